"""The review workflow and who sees what: transitions declared once, one service per
transition with its permission check and audit row; the public never sees unpublished
resources through the API or the pages; curators decide on tags and duplicates."""

from __future__ import annotations

import pytest

from sdg87.accounts.tests.factories import api_token
from sdg87.core.errors import Conflict, InvalidInput, PermissionDenied
from sdg87.core.models import AuditEntry
from sdg87.library import workflow
from sdg87.library.models import DuplicateLink, ResourceStatus, TagSuggestion
from sdg87.library.services import (
    duplicate_link_decide,
    resource_publish,
    resource_return_to_draft,
    resource_submit,
    resource_withdraw,
    tag_suggestion_decide,
)
from sdg87.library.tests.resources_support import (
    CuratorFactory,
    PartnerEditorFactory,
    UserFactory,
    ingest,
    library_reference,
    record,
    resource_with_status,
)

__all__ = ["library_reference"]
pytestmark = pytest.mark.usefixtures("library_reference")


def owned_draft(editor, **fields):
    return resource_with_status(
        ResourceStatus.DRAFT,
        actor=editor,
        owner_organisation_id=editor.organisation_id,
        source="contribution",
        fields=fields,
    )


# --- the workflow, declared once ------------------------------------------------------------


def test_the_declared_transitions_cover_the_review_path():
    assert workflow.target_status("draft", "submit") == "in_review"
    assert workflow.target_status("in_review", "publish") == "published"
    assert workflow.target_status("in_review", "return") == "draft"
    assert workflow.target_status("published", "withdraw") == "withdrawn"


def test_an_undeclared_transition_is_a_conflict():
    with pytest.raises(Conflict):
        workflow.target_status("withdrawn", "publish")


def test_owners_may_submit_and_withdraw_but_not_publish():
    assert workflow.allowed_actions("draft", curator=False, owner=True) == ["submit", "withdraw"]
    assert "publish" in workflow.allowed_actions("in_review", curator=True, owner=False)


# --- services ------------------------------------------------------------------------------------


def test_an_editor_submits_and_a_curator_publishes_with_audit_rows():
    editor = PartnerEditorFactory()
    resource = owned_draft(editor)
    resource_submit(actor=editor, resource_id=resource.pk)
    published = resource_publish(actor=CuratorFactory(), resource_id=resource.pk)
    assert published.status == ResourceStatus.PUBLISHED
    assert published.published_at is not None
    actions = list(
        AuditEntry.objects.filter(
            object_id=str(resource.pk), action__startswith="library.resource."
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["library.resource.submit", "library.resource.publish"]


def test_an_editor_may_not_publish():
    editor = PartnerEditorFactory()
    resource = owned_draft(editor)
    resource_submit(actor=editor, resource_id=resource.pk)
    with pytest.raises(PermissionDenied):
        resource_publish(actor=editor, resource_id=resource.pk)


def test_an_editor_of_another_organisation_cannot_even_find_it():
    resource = owned_draft(PartnerEditorFactory())
    from sdg87.core.errors import NotFound

    with pytest.raises(NotFound):
        resource_submit(actor=PartnerEditorFactory(), resource_id=resource.pk)


def test_returning_to_draft_needs_a_comment_which_the_owner_sees():
    editor = PartnerEditorFactory()
    resource = owned_draft(editor)
    resource_submit(actor=editor, resource_id=resource.pk)
    curator = CuratorFactory()
    with pytest.raises(InvalidInput):
        resource_return_to_draft(actor=curator, resource_id=resource.pk, comment=" ")
    returned = resource_return_to_draft(
        actor=curator, resource_id=resource.pk, comment="Add the year, please."
    )
    assert (returned.status, returned.review_comment) == ("draft", "Add the year, please.")
    assert AuditEntry.objects.filter(action="library.resource.return").get().comment == (
        "Add the year, please."
    )


def test_publishing_a_withdrawn_resource_is_a_conflict():
    resource = resource_with_status(ResourceStatus.WITHDRAWN)
    with pytest.raises(Conflict):
        resource_publish(actor=CuratorFactory(), resource_id=resource.pk)


def test_withdrawing_takes_the_resource_out_of_the_index(monkeypatch):
    removed = []
    monkeypatch.setattr(
        "sdg87.library.services.review.unindex_resources", lambda ids: removed.extend(ids)
    )
    resource = resource_with_status(ResourceStatus.PUBLISHED)
    resource_withdraw(actor=CuratorFactory(), resource_id=resource.pk)
    assert removed == [resource.pk]


# --- tags and duplicates ------------------------------------------------------------------------


def suggested(kind="theme", value="forced-labour"):
    ingest(
        record("t", text="Forced labour in the brick kilns; forced labour on farms. " * 3),
        status=ResourceStatus.IN_REVIEW,
    )
    return TagSuggestion.objects.get(kind=kind, value=value)


def test_an_accepted_tag_becomes_a_facet_and_a_rejected_one_does_not():
    suggestion = suggested()
    curator = CuratorFactory()
    tag_suggestion_decide(actor=curator, suggestion_id=suggestion.pk, accept=True)
    assert suggestion.resource.themes.filter(slug="forced-labour").exists()
    tag_suggestion_decide(actor=curator, suggestion_id=suggestion.pk, accept=False)
    assert not suggestion.resource.themes.exists()
    assert AuditEntry.objects.filter(action__startswith="library.tag.").count() == 2


def test_only_curators_decide_on_tags():
    suggestion = suggested()
    with pytest.raises(PermissionDenied):
        tag_suggestion_decide(
            actor=PartnerEditorFactory(), suggestion_id=suggestion.pk, accept=True
        )


def test_a_curator_dismisses_a_suspected_duplicate():
    text = "Children harvest cocoa on small family farms in the forest belt. " * 6
    ingest(record("a", text=text), record("b", text=text))
    link = DuplicateLink.objects.get()
    duplicate_link_decide(actor=CuratorFactory(), link_id=link.pk, decision="dismissed")
    link.refresh_from_db()
    assert link.decision == "dismissed"


# --- what the public sees ------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "in_review", "withdrawn"])
def test_the_public_never_sees_an_unpublished_resource(client, status):
    resource = resource_with_status(status)
    assert client.get(f"/api/v1/resources/{resource.pk}").status_code == 404
    assert client.get(f"/api/v1/resources/{resource.pk}/similar").status_code == 404
    assert client.get(f"/en/library/{resource.pk}/").status_code == 404


def test_a_viewer_does_not_see_a_draft_either(client):
    resource = resource_with_status("draft")
    _token, plaintext = api_token(UserFactory())
    response = client.get(
        f"/api/v1/resources/{resource.pk}", HTTP_AUTHORIZATION=f"Bearer {plaintext}"
    )
    assert response.status_code == 404


def test_the_owning_organisations_editor_sees_the_draft_with_its_suggestions(client):
    editor = PartnerEditorFactory()
    resource = owned_draft(editor, text="Forced labour and forced labour in mines. " * 3)
    _token, plaintext = api_token(PartnerEditorFactory(organisation=editor.organisation))
    response = client.get(
        f"/api/v1/resources/{resource.pk}", HTTP_AUTHORIZATION=f"Bearer {plaintext}"
    )
    assert response.status_code == 200
    assert response.json()["tag_suggestions"]


def test_the_public_sees_a_published_resource_without_review_details(client):
    resource = resource_with_status("published")
    body = client.get(f"/api/v1/resources/{resource.pk}").json()
    assert body["status"] == "published"
    assert body["tag_suggestions"] is None
    assert body["source_record_id"] == resource.source_record_id


def test_similar_resources_never_list_unpublished_ones(client):
    text = "Children harvest cocoa on small family farms in the forest belt. " * 6
    ingest(record("pub", text=text, countries=("GHA",)))
    ingest(record("draft", text=text, countries=("GHA",)), status="draft")
    from sdg87.library.models import Resource

    published = Resource.objects.get(source_record_id="pub")
    results = client.get(f"/api/v1/resources/{published.pk}/similar").json()["results"]
    assert results == []


def test_the_resource_page_shows_metadata_provenance_and_links(client):
    resource = resource_with_status(
        "published", fields={"countries": ("KEN",), "targets": ("8.7",), "licence": "CC BY 4.0"}
    )
    page = client.get(f"/fr/library/{resource.pk}/").content.decode()
    assert resource.title in page
    assert "/fr/countries/KEN/" in page
    assert "/fr/framework/targets/8.7/" in page
    assert resource.source_record_id in page
    assert "CC BY 4.0" in page


# --- the review queue -------------------------------------------------------------------------


def test_the_review_queue_lists_resources_in_review_with_suggestions(client):
    suggestion = suggested()
    client.force_login(CuratorFactory())
    page = client.get("/en/library/review/").content.decode()
    assert suggestion.resource.title in page
    assert "«Forced labour»" in page


def test_the_review_queue_is_for_curators_only(client):
    client.force_login(PartnerEditorFactory())
    assert client.get("/en/library/review/").status_code == 403


def test_a_curator_publishes_from_the_page(client):
    resource = resource_with_status("in_review")
    client.force_login(CuratorFactory())
    response = client.post(
        f"/en/library/{resource.pk}/action/", {"action": "publish", "next": "/en/library/review/"}
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == "published"


def test_a_curator_accepts_a_tag_from_the_page(client):
    suggestion = suggested()
    client.force_login(CuratorFactory())
    client.post(f"/en/library/suggestions/{suggestion.pk}/", {"decision": "accept"})
    assert suggestion.resource.themes.filter(slug="forced-labour").exists()


def test_an_editor_cannot_publish_through_the_page(client):
    editor = PartnerEditorFactory()
    resource = owned_draft(editor)
    client.force_login(editor)
    response = client.post(f"/en/library/{resource.pk}/action/", {"action": "publish"})
    assert response.status_code == 403
    resource.refresh_from_db()
    assert resource.status == "draft"
