"""Action groups (membership, work plan, meetings) and the research register."""

import datetime

import pytest

from sdg87.core.errors import Conflict, InvalidInput, PermissionDenied
from sdg87.core.models import AuditEntry
from sdg87.partners import selectors, services
from sdg87.partners.models import ActionGroupMembership, ResearchProject
from sdg87.partners.tests.factories import (
    ActionGroupFactory,
    CuratorFactory,
    EditorFactory,
    OrganisationFactory,
    ResearchProjectFactory,
    UserFactory,
    country,
    membership,
    theme,
)

pytestmark = pytest.mark.django_db


def test_a_curator_creates_a_group_on_a_theme():
    theme("forced-labour")

    group = services.action_group_create(
        actor=CuratorFactory(),
        theme_slug="forced-labour",
        name_en="Example group on forced labour",
        name_fr="Groupe d'exemple sur le travail forcé",
    )

    assert group.slug == "example-group-on-forced-labour"
    assert (
        AuditEntry.objects.get(object_type="partners.actiongroup").after["theme"] == group.theme_id
    )


def test_only_curators_create_groups():
    theme("forced-labour")
    with pytest.raises(PermissionDenied):
        services.action_group_create(
            actor=EditorFactory(), theme_slug="forced-labour", name_en="Mine"
        )
    with pytest.raises(InvalidInput):
        services.action_group_create(actor=CuratorFactory(), theme_slug="nope", name_en="X")


def test_an_editor_joins_and_leaves_a_group_for_its_own_organisation():
    editor = EditorFactory()
    group = ActionGroupFactory()

    services.action_group_member_add(
        actor=editor, group_id=group.pk, organisation_id=editor.organisation_id
    )
    with pytest.raises(Conflict):
        services.action_group_member_add(
            actor=editor, group_id=group.pk, organisation_id=editor.organisation_id
        )
    services.action_group_member_remove(
        actor=editor, group_id=group.pk, organisation_id=editor.organisation_id
    )

    assert [entry.action for entry in AuditEntry.objects.order_by("id")] == ["join", "leave"]
    assert not ActionGroupMembership.objects.exists()


def test_an_editor_cannot_join_for_another_organisation_or_become_chair():
    editor = EditorFactory()
    group = ActionGroupFactory()

    with pytest.raises(PermissionDenied):
        services.action_group_member_add(
            actor=editor, group_id=group.pk, organisation_id=OrganisationFactory().pk
        )
    with pytest.raises(PermissionDenied):
        services.action_group_member_add(
            actor=editor, group_id=group.pk, organisation_id=editor.organisation_id, role="chair"
        )


def test_a_curator_names_a_chair_and_pending_organisations_cannot_join():
    group = ActionGroupFactory()
    curator = CuratorFactory()
    chair = OrganisationFactory()

    services.action_group_member_add(
        actor=curator, group_id=group.pk, organisation_id=chair.pk, role="chair"
    )
    with pytest.raises(InvalidInput):
        services.action_group_member_add(
            actor=curator,
            group_id=group.pk,
            organisation_id=OrganisationFactory(status="applied").pk,
        )

    assert group.memberships.get().role == "chair"


def test_members_editors_add_and_update_work_plan_items_others_cannot():
    group = ActionGroupFactory()
    member = EditorFactory()
    membership(group, member.organisation)

    item = services.work_plan_item_create(
        actor=member,
        group_id=group.pk,
        title="Map child labour research",
        due_date=datetime.date(2026, 6, 30),
        responsible_id=member.organisation_id,
    )
    services.work_plan_item_update(
        actor=member, item_id=item.pk, status="in_progress", progress_note="Half done"
    )
    with pytest.raises(PermissionDenied):
        services.work_plan_item_create(actor=EditorFactory(), group_id=group.pk, title="Mine")
    with pytest.raises(PermissionDenied):
        services.work_plan_item_update(actor=UserFactory(), item_id=item.pk, status="done")
    with pytest.raises(InvalidInput):
        services.work_plan_item_update(actor=member, item_id=item.pk, status="finished")

    item.refresh_from_db()
    assert (item.status, item.progress_note) == ("in_progress", "Half done")
    entry = AuditEntry.objects.get(object_type="partners.workplanitem", action="update")
    assert (entry.before["status"], entry.after["status"]) == ("planned", "in_progress")


def test_chairs_editors_record_meetings_plain_members_do_not():
    group = ActionGroupFactory()
    chair, member = EditorFactory(), EditorFactory()
    membership(group, chair.organisation, "chair")
    membership(group, member.organisation)

    services.meeting_record(
        actor=chair, group_id=group.pk, held_on=datetime.date(2026, 3, 1), online=True
    )
    with pytest.raises(PermissionDenied):
        services.meeting_record(actor=member, group_id=group.pk, held_on=datetime.date(2026, 3, 2))

    assert group.meetings.count() == 1


# --- research ---------------------------------------------------------------------------


@pytest.fixture
def cocoa_study():
    return ResearchProjectFactory(
        title="Child labour in cocoa farming households",
        questions="How prevalent is hazardous child labour among cocoa farming households?",
        countries=[country("GHA", "Ghana")],
        themes=[theme("child-labour")],
    )


def register(actor, **fields):
    values = {
        "organisation_id": actor.organisation_id,
        "title": "Hazardous child labour in cocoa farming",
        "questions": "How many children in cocoa farming households do hazardous work?",
        "country_codes": ["GHA"],
        "theme_slugs": ["child-labour"],
        "period_start": datetime.date(2025, 1, 1),
        "period_end": datetime.date(2026, 12, 31),
    }
    values.update(fields)
    return services.research_project_register(actor=actor, **values)


def test_similar_research_is_shown_first_and_registering_anyway_needs_a_reason(cocoa_study):
    editor = EditorFactory()

    with pytest.raises(Conflict) as raised:
        register(editor)

    assert raised.value.code == "similar_research"
    [match] = raised.value.details["matches"]
    assert match["id"] == cocoa_study.pk
    assert "same country GHA" in match["reasons"]
    assert "same theme child-labour" in match["reasons"]
    assert ResearchProject.objects.count() == 1

    project = register(editor, similar_work_reason="We cover the Volta region, they do not")

    assert project.similar_work_reason == "We cover the Volta region, they do not"
    assert list(project.similar_projects.all()) == [cocoa_study]
    entry = AuditEntry.objects.get(object_type="partners.researchproject")
    assert entry.comment == "We cover the Volta region, they do not"
    assert entry.after["similar_projects"] == [cocoa_study.pk]


def test_research_on_a_new_topic_needs_no_reason(cocoa_study):
    editor = EditorFactory()
    theme("forced-marriage")
    country("FRA", "France")

    project = register(
        editor,
        title="Forced marriage legislation review",
        questions="Which laws define forced marriage?",
        country_codes=["FRA"],
        theme_slugs=["forced-marriage"],
        similar_work_reason="ignored",
    )

    assert project.similar_work_reason == ""
    assert not project.similar_projects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"country_codes": ["ZZZ"]}, "countries"),
        ({"period_end": datetime.date(2024, 1, 1)}, "period_end"),
        ({"status": "abandoned"}, "status"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"questions": ""}, "questions"),
    ],
)
def test_bad_research_input_is_refused_and_nothing_is_written(fields, field):
    theme("child-labour")
    country("GHA", "Ghana")

    with pytest.raises(InvalidInput) as raised:
        register(EditorFactory(), **fields)

    assert field in raised.value.details
    assert not ResearchProject.objects.exists()
    assert not AuditEntry.objects.exists()


def test_editors_register_and_edit_only_their_own_organisations_research(cocoa_study):
    editor = EditorFactory()

    with pytest.raises(PermissionDenied):
        register(editor, organisation_id=cocoa_study.organisation_id, similar_work_reason="x")
    with pytest.raises(PermissionDenied):
        services.research_project_edit(actor=editor, project_id=cocoa_study.pk, status="ongoing")


def test_the_evidence_gap_map_counts_research_per_theme_and_place(cocoa_study):
    gap_map = selectors.evidence_gap_map(by="country")

    [row] = gap_map.rows
    assert row.code == "GHA"
    counts = {cell.theme.slug: cell.projects for cell in row.cells}
    assert counts["child-labour"] == 1
    assert gap_map.library_available is True
    with pytest.raises(InvalidInput):
        selectors.evidence_gap_map(by="planet")
