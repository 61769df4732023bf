"""Correcting a resource's metadata (the service and ``PATCH /api/v1/resources/{id}``):
curators edit any resource, its owners only while it is a draft or in review; the same field
rules as ingestion; an audit row; the search index follows."""

from __future__ import annotations

import json

import pytest

from sdg87.core.errors import InvalidInput, NotFound, PermissionDenied
from sdg87.core.models import AuditEntry
from sdg87.library.models import ResourceStatus
from sdg87.library.search import resource_search
from sdg87.library.services import ResourceEdit, resource_edit
from sdg87.library.tests.resources_support import (
    CuratorFactory,
    PartnerEditorFactory,
    UserFactory,
    library_reference,
    resource_with_status,
)

__all__ = ["library_reference"]
pytestmark = pytest.mark.usefixtures("library_reference")


def owned(editor, status=ResourceStatus.DRAFT):
    return resource_with_status(
        status,
        actor=editor,
        owner_organisation_id=editor.organisation_id,
        source="contribution",
        record_id=f"own-{status}",
    )


def patch(client, resource_id, document):
    return client.patch(
        f"/api/v1/resources/{resource_id}",
        data=json.dumps(document),
        content_type="application/json",
    )


# --- the service ------------------------------------------------------------------------------


def test_a_curator_corrects_fields_and_the_change_is_audited():
    resource = resource_with_status(ResourceStatus.PUBLISHED)
    curator = CuratorFactory()

    resource_edit(
        actor=curator,
        resource_id=resource.pk,
        edit=ResourceEdit(title="Forced labour in fishing", year=2020, countries=("THA", "IDN")),
    )

    resource.refresh_from_db()
    assert (resource.title, resource.year) == ("Forced labour in fishing", 2020)
    assert sorted(c.iso3 for c in resource.countries.all()) == ["IDN", "THA"]
    entry = AuditEntry.objects.get(action="library.resource.edit")
    assert entry.actor == curator
    assert entry.before["title"] == "Report s-published"
    assert entry.after == {
        "title": "Forced labour in fishing",
        "year": 2020,
        "countries": ["IDN", "THA"],
    }


def test_an_edit_reaches_the_search_index():
    resource = resource_with_status(ResourceStatus.PUBLISHED)
    resource_edit(
        actor=CuratorFactory(),
        resource_id=resource.pk,
        edit=ResourceEdit(title="Debt bondage in brick kilns"),
    )
    assert [hit.id for hit in resource_search(query="brick kilns").hits] == [resource.pk]


def test_an_edit_that_changes_nothing_writes_nothing():
    resource = resource_with_status(ResourceStatus.PUBLISHED)
    resource_edit(
        actor=CuratorFactory(), resource_id=resource.pk, edit=ResourceEdit(title=resource.title)
    )
    assert not AuditEntry.objects.filter(action="library.resource.edit").exists()


def test_the_owner_edits_a_draft_but_not_a_published_resource():
    editor = PartnerEditorFactory()
    draft = owned(editor)
    resource_edit(actor=editor, resource_id=draft.pk, edit=ResourceEdit(licence="CC BY 4.0"))
    draft.refresh_from_db()
    assert draft.licence == "CC BY 4.0"

    published = owned(editor, ResourceStatus.PUBLISHED)
    with pytest.raises(PermissionDenied):
        resource_edit(actor=editor, resource_id=published.pk, edit=ResourceEdit(licence="x"))


def test_a_resource_the_user_cannot_see_is_not_found():
    draft = owned(PartnerEditorFactory())
    with pytest.raises(NotFound):
        resource_edit(actor=UserFactory(), resource_id=draft.pk, edit=ResourceEdit(title="x"))


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (ResourceEdit(title="  "), "title"),
        (ResourceEdit(language="klingon"), "language"),
        (ResourceEdit(year=1066), "year"),
        (ResourceEdit(type="novel"), "type"),
        (ResourceEdit(countries=("XXX",)), "countries"),
        (ResourceEdit(themes=("no-such-theme",)), "themes"),
        (ResourceEdit(targets=("99.9",)), "targets"),
        (ResourceEdit(url="ftp://example.org/report.pdf"), "url"),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(edit, field):
    resource = resource_with_status(ResourceStatus.PUBLISHED)
    with pytest.raises(InvalidInput) as refused:
        resource_edit(actor=CuratorFactory(), resource_id=resource.pk, edit=edit)
    assert field in refused.value.details


# --- the API ----------------------------------------------------------------------------------


def test_the_api_patches_the_given_fields_only(client):
    resource = resource_with_status(ResourceStatus.PUBLISHED, fields={"year": 2019})
    client.force_login(CuratorFactory())

    response = patch(client, resource.pk, {"abstract": "Short summary.", "themes": []})

    assert response.status_code == 200
    document = response.json()
    assert (document["abstract"], document["year"]) == ("Short summary.", 2019)
    assert AuditEntry.objects.get(action="library.resource.edit").source == "api"


def test_the_api_answers_400_with_the_field_for_a_bad_value(client):
    resource = resource_with_status(ResourceStatus.PUBLISHED)
    client.force_login(CuratorFactory())
    response = patch(client, resource.pk, {"countries": ["ZZZ"]})
    assert response.status_code == 400
    assert "countries" in response.json()["error"]["details"]


def test_the_api_answers_404_when_hidden_and_403_when_visible_but_not_editable(client):
    editor = PartnerEditorFactory()
    draft = owned(editor)
    published = resource_with_status(ResourceStatus.PUBLISHED)
    client.force_login(UserFactory())
    assert patch(client, draft.pk, {"title": "x"}).status_code == 404
    assert patch(client, published.pk, {"title": "x"}).status_code == 403
    client.force_login(editor)
    assert patch(client, draft.pk, {"title": "Corrected"}).json()["title"] == "Corrected"


def test_the_api_asks_for_sign_in(client):
    resource = resource_with_status(ResourceStatus.PUBLISHED)
    assert patch(client, resource.pk, {"title": "x"}).status_code == 401


# --- the edit page ----------------------------------------------------------------------------


def edit_form(resource, **changes):
    """The form as the page fills it, with ``changes`` applied."""
    values = {
        "title": resource.title,
        "abstract": resource.abstract,
        "type": resource.type,
        "language": resource.language,
        "year": resource.year or "",
        "countries": ", ".join(sorted(c.iso3 for c in resource.countries.all())),
        "targets": ", ".join(sorted(t.code for t in resource.targets.all())),
        "url": resource.url,
        "licence": resource.licence,
    }
    values.update(changes)
    return values


def test_the_edit_page_corrects_the_changed_fields_and_returns_to_the_resource(client):
    resource = resource_with_status(ResourceStatus.PUBLISHED)
    curator = CuratorFactory()
    client.force_login(curator)
    page = client.get(f"/en/library/{resource.pk}/")
    assert f'href="/en/library/{resource.pk}/edit/"' in page.content.decode()

    response = client.post(
        f"/en/library/{resource.pk}/edit/",
        edit_form(resource, title="Debt bondage in brick kilns", countries="IND, NPL"),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/en/library/{resource.pk}/"
    resource.refresh_from_db()
    assert resource.title == "Debt bondage in brick kilns"
    assert sorted(c.iso3 for c in resource.countries.all()) == ["IND", "NPL"]
    entry = AuditEntry.objects.filter(action="library.resource.edit").get()
    assert set(entry.after) == {"title", "countries"}
    assert [hit.id for hit in resource_search(query="brick kilns").hits] == [resource.pk]


def test_the_edit_page_shows_a_bad_value_on_its_field_and_writes_nothing(client):
    resource = resource_with_status(ResourceStatus.PUBLISHED)
    client.force_login(CuratorFactory())
    response = client.post(
        f"/en/library/{resource.pk}/edit/", edit_form(resource, title="New", countries="XXX")
    )
    assert response.status_code == 200
    assert "unknown" in response.content.decode()
    assert "XXX" in response.content.decode()
    resource.refresh_from_db()
    assert resource.title != "New"
    assert not AuditEntry.objects.filter(action="library.resource.edit").exists()


def test_the_edit_page_is_refused_to_whoever_may_not_edit(client):
    resource = resource_with_status(ResourceStatus.PUBLISHED)
    anonymous = client.get(f"/en/library/{resource.pk}/edit/")
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    client.force_login(UserFactory())
    assert client.get(f"/en/library/{resource.pk}/edit/").status_code == 403
    assert (
        f"/en/library/{resource.pk}/edit/"
        not in client.get(f"/en/library/{resource.pk}/").content.decode()
    )
    hidden = resource_with_status(ResourceStatus.DRAFT, record_id="hidden")
    assert client.get(f"/en/library/{hidden.pk}/edit/").status_code == 404
