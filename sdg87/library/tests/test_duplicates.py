"""Near-duplicate detection: a lightly edited copy is flagged, an unrelated text is not; titles
naming different years are different works; stored signatures find duplicates at ingest."""

from __future__ import annotations

import pytest

from sdg87.library import duplicates
from sdg87.library.models import DuplicateLink, Resource, ResourceBucket, ResourceFingerprint
from sdg87.library.services import ResourceEdit, resource_edit
from sdg87.library.tests.resources_support import (
    CuratorFactory,
    ingest,
    library_reference,
    record,
)

__all__ = ["library_reference"]

REPORT = (
    "In 2021, the government made moderate advancement in efforts to eliminate the worst forms "
    "of child labor. It adopted a national action plan, increased the number of labor "
    "inspectors and prosecuted several cases of forced child labor in cocoa production. "
    "However, children continue to be subjected to the worst forms of child labor, including "
    "in commercial sexual exploitation, and in agriculture, harvesting cocoa and coffee. "
    "Gaps remain in the legal framework: the minimum age for work is below international "
    "standards and the law does not criminally prohibit the use of children in illicit "
    "activities. Social programs do not reach children working in domestic service."
)
UNRELATED = (
    "The central bank raised interest rates by half a point to curb inflation, which reached "
    "its highest level in a decade as energy and food prices rose. Analysts expect further "
    "increases next quarter while unemployment remains low and wages grow slowly. Exporters "
    "welcomed the weaker currency, but importers warned that consumer prices would keep rising."
)


def lightly_edited(text: str) -> str:
    return (
        text.replace("moderate", "minimal")
        .replace("several", "three")
        .replace("coffee", "coffee beans")
        .replace("Gaps remain", "Some gaps remain")
    )


def test_a_lightly_edited_copy_has_a_high_estimated_similarity():
    first = duplicates.fingerprint(title="A", text=REPORT)
    second = duplicates.fingerprint(title="B", text=lightly_edited(REPORT))
    assert duplicates.estimated_jaccard(first.signature, second.signature) >= 0.7


def test_an_unrelated_text_has_a_low_estimated_similarity():
    first = duplicates.fingerprint(title="A", text=REPORT)
    second = duplicates.fingerprint(title="B", text=UNRELATED)
    assert duplicates.estimated_jaccard(first.signature, second.signature) < 0.1


def test_signatures_are_stable_across_runs():
    assert duplicates.fingerprint(title="A", text=REPORT) == duplicates.fingerprint(
        title="A", text=REPORT
    )


def test_near_duplicates_share_an_lsh_bucket():
    first = duplicates.fingerprint(title="A", text=REPORT)
    second = duplicates.fingerprint(title="B", text=lightly_edited(REPORT))
    assert set(enumerate(first.bands)) & set(enumerate(second.bands))


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Child Labour in Cocoa: A Review", "child labour in cocoa — a review", True),
        (
            "2019 Findings on the Worst Forms of Child Labor: Kenya",
            "2020 Findings on the Worst Forms of Child Labor: Kenya",
            False,
        ),
        (
            "Forced Labour Convention, 1930 (No. 29)",
            "Forced Labour Convention, 1930 (No. 105)",
            False,
        ),
        ("Trafficking in persons in Europe", "Child marriage in South Asia", False),
    ],
)
def test_titles_are_similar_only_when_they_name_the_same_numbers(first, second, same):
    assert (duplicates.title_similarity(first, second) >= duplicates.TITLE_THRESHOLD) is same


def test_short_records_with_the_same_title_and_year_are_title_duplicates():
    first = duplicates.fingerprint(title="Guide to fair recruitment", text="")
    second = duplicates.fingerprint(title="Guide to Fair Recruitment.", text="")
    verdict = duplicates.duplicate_verdict(
        first=first,
        second=second,
        first_title="Guide to fair recruitment",
        second_title="Guide to Fair Recruitment.",
        first_year=2020,
        second_year=2020,
    )
    assert verdict is not None
    assert verdict.method == "title"


@pytest.mark.usefixtures("library_reference")
def test_the_same_report_under_two_ids_is_linked_at_ingest():
    ingest(record("a", title="Findings: Kenya", text=REPORT))
    report = ingest(
        record("b", title="Kenya findings (copy)", text=lightly_edited(REPORT)), source="mirror"
    )
    assert report.duplicates == 1
    link = DuplicateLink.objects.get()
    assert link.method == "minhash"
    assert link.similarity >= 0.7
    assert link.duplicate_of.source_record_id == "a"


@pytest.mark.usefixtures("library_reference")
def test_an_unrelated_text_is_not_linked():
    ingest(record("a", title="Findings: Kenya", text=REPORT))
    ingest(record("b", title="Inflation outlook", text=UNRELATED))
    assert not DuplicateLink.objects.exists()


@pytest.mark.usefixtures("library_reference")
def test_duplicates_within_one_call_are_linked_too():
    report = ingest(record("a", text=REPORT), record("b", text=lightly_edited(REPORT)))
    assert report.duplicates == 1


@pytest.mark.usefixtures("library_reference")
def test_signatures_and_buckets_are_stored_and_replaced_on_update():
    ingest(record("a", text=REPORT))
    assert ResourceFingerprint.objects.count() == 1
    assert ResourceBucket.objects.count() == duplicates.BANDS
    ingest(record("a", text=UNRELATED))
    assert ResourceBucket.objects.count() == duplicates.BANDS
    assert ResourceFingerprint.objects.get().word_count == len(UNRELATED.split())


@pytest.mark.usefixtures("library_reference")
def test_similar_resources_lists_the_near_duplicate_first(client):
    ingest(record("a", title="Findings: Kenya", text=REPORT, countries=("KEN",)))
    ingest(record("b", title="Copy", text=lightly_edited(REPORT), countries=("KEN",)), source="m")
    ingest(record("c", title="Inflation", text=UNRELATED, countries=("UGA",)))
    ingest(
        record(
            "d", title="Other Kenya study", text="Tea estates in Kenya. " * 20, countries=("KEN",)
        )
    )
    from sdg87.library.models import Resource

    first = Resource.objects.get(source_record_id="a")
    response = client.get(f"/api/v1/resources/{first.pk}/similar")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["title"] for item in results][:2] == ["Copy", "Other Kenya study"]
    assert results[0]["duplicate"] is True
    assert "Inflation" not in [item["title"] for item in results]


@pytest.mark.usefixtures("library_reference")
def test_a_title_edit_recomputes_the_fingerprint_and_links_the_new_duplicate():
    ingest(record("a", title="Guide to fair recruitment", text="", url="https://example.org/a"))
    ingest(
        record("b", title="Inflation outlook", text="", url="https://example.org/b"),
        source="mirror",
    )
    assert not DuplicateLink.objects.exists()
    copy = Resource.objects.get(source_record_id="b")

    resource_edit(
        actor=CuratorFactory(),
        resource_id=copy.pk,
        edit=ResourceEdit(title="Guide to Fair Recruitment."),
    )

    assert ResourceFingerprint.objects.get(resource=copy).title_key == duplicates.title_key(
        "Guide to fair recruitment"
    )
    link = DuplicateLink.objects.get()
    assert (link.resource_id, link.method) == (copy.pk, "title")
    assert link.duplicate_of.source_record_id == "a"
