"""The one ingestion service: idempotent on (source, id), all-or-nothing, audited, with language
detection, facts from the source and suggestions from the text."""

from __future__ import annotations

import pytest

from sdg87.core.errors import InvalidInput
from sdg87.core.models import AuditEntry
from sdg87.library.models import Resource, ResourceStatus, TagSuggestion
from sdg87.library.tests.resources_support import ingest, library_reference, record

__all__ = ["library_reference"]
pytestmark = pytest.mark.usefixtures("library_reference")


def test_new_records_are_created_published_by_default():
    report = ingest(record("a"), record("b"))
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert set(Resource.objects.values_list("status", flat=True)) == {ResourceStatus.PUBLISHED}


def test_ingesting_the_same_records_again_changes_nothing():
    ingest(record("a"), record("b"))
    report = ingest(record("a"), record("b"))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert Resource.objects.count() == 2


def test_a_changed_record_is_updated_not_duplicated_and_audited():
    ingest(record("a", title="Old title"))
    report = ingest(record("a", title="New title"))
    assert (report.created, report.updated) == (0, 1)
    resource = Resource.objects.get()
    assert resource.title == "New title"
    entry = AuditEntry.objects.filter(action="library.resource.update").get()
    assert entry.before == {"title": "Old title"}
    assert entry.after == {"title": "New title"}


def test_the_same_id_from_another_source_is_another_resource():
    ingest(record("a"), source="one")
    ingest(record("a"), source="two")
    assert Resource.objects.count() == 2


def test_an_update_keeps_the_status_a_curator_set():
    ingest(record("a"))
    Resource.objects.update(status=ResourceStatus.WITHDRAWN)
    ingest(record("a", title="Changed"))
    assert Resource.objects.get().status == ResourceStatus.WITHDRAWN


def test_a_repeated_id_in_one_call_writes_nothing():
    with pytest.raises(InvalidInput):
        ingest(record("a"), record("a", title="again"))
    assert Resource.objects.count() == 0


def test_an_unknown_fact_refuses_the_whole_call():
    with pytest.raises(InvalidInput, match="unknown theme"):
        ingest(record("a"), record("b", themes=("no-such-theme",)))
    assert Resource.objects.count() == 0


@pytest.mark.parametrize(
    ("title", "text", "language"),
    [
        (
            "Le travail des enfants",
            "Les enfants travaillent dans les mines artisanales et les plantations de cacao.",
            "fr",
        ),
        (
            "La trata de personas",
            "Las víctimas de la trata son explotadas en la agricultura y en el trabajo doméstico.",
            "es",
        ),
        (
            "Forced labour",
            "Workers are trapped in debt bondage on fishing boats and construction sites.",
            "en",
        ),
    ],
)
def test_the_language_is_detected_when_not_given(title, text, language):
    ingest(record("a", title=title, text=text, language=""))
    resource = Resource.objects.get()
    assert (resource.language, resource.language_detected) == (language, True)


def test_a_given_language_is_kept_and_not_marked_detected():
    ingest(record("a", language="fr"))
    resource = Resource.objects.get()
    assert (resource.language, resource.language_detected) == ("fr", False)


def test_countries_given_by_the_source_are_facts_not_suggestions():
    ingest(record("a", text="Children work in Kenya and in Uganda. " * 3, countries=("KEN",)))
    resource = Resource.objects.get()
    assert [country.iso3 for country in resource.countries.all()] == ["KEN"]
    assert not resource.tag_suggestions.filter(kind="country").exists()


def test_countries_named_in_the_text_are_suggested_with_evidence():
    ingest(record("a", text="Child labour in Kenya. Kenya's cocoa farms employ children. " * 2))
    suggestion = TagSuggestion.objects.get(kind="country", value="KEN")
    assert "«Kenya»" in suggestion.evidence
    assert suggestion.score > 0
    assert not Resource.objects.get().countries.exists()


def test_themes_and_targets_given_as_facts_become_facets():
    ingest(record("a", themes=("child-labour",), targets=("8.7",)))
    resource = Resource.objects.get()
    assert [theme.slug for theme in resource.themes.all()] == ["child-labour"]
    assert [target.code for target in resource.targets.all()] == ["8.7"]


def test_an_accepted_tag_survives_an_update_of_the_record():
    ingest(record("a", text="Forced labour and forced labour again in brick kilns. " * 3))
    suggestion = TagSuggestion.objects.get(kind="theme", value="forced-labour")
    suggestion.decision = TagSuggestion.Decision.ACCEPTED
    suggestion.save()
    ingest(record("a", text="Forced labour in brick kilns, updated. " * 3))
    resource = Resource.objects.get()
    assert resource.themes.filter(slug="forced-labour").exists()
    assert resource.tag_suggestions.get(value="forced-labour").decision == "accepted"


def test_creations_are_audited_in_one_row_each():
    ingest(record("a"), record("b"))
    assert AuditEntry.objects.filter(action="library.resource.create").count() == 2


def test_progress_is_reported_up_to_the_total():
    calls = []
    ingest(record("a"), record("b"), progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (2, 2)


WORDS = [
    "cocoa",
    "mining",
    "brick",
    "fishing",
    "cotton",
    "coffee",
    "domestic",
    "street",
    "garment",
    "tea",
]


def _distinct_text(index: int) -> str:
    return " ".join(
        f"{WORDS[(index * 7 + step) % 10]}{(index * 31 + step) % 97}" for step in range(60)
    )


def test_many_records_are_ingested_with_a_bounded_number_of_queries(
    django_assert_max_num_queries,
):
    records = [
        record(f"n{index}", title=f"Study number {index}", text=_distinct_text(index))
        for index in range(300)
    ]
    with django_assert_max_num_queries(150):
        report = ingest(*records)
    assert report.created == 300
