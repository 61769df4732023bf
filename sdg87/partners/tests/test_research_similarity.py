"""Similar research: scores and reasons (pure)."""

import datetime

from sdg87.partners.research_similarity import ResearchText, period_overlap, similar_research

D = datetime.date

EXISTING = [
    ResearchText(
        1,
        "Child labour in cocoa farming households",
        "Prevalence of hazardous child labour among cocoa farming households; household survey",
        frozenset({"CIV", "GHA"}),
        frozenset({"child-labour"}),
        D(2024, 1, 1),
        D(2025, 6, 30),
    ),
    ResearchText(
        2,
        "Recruitment fees paid by migrant domestic workers",
        "Debt bondage and forced labour risks in recruitment corridors",
        frozenset({"NPL", "QAT"}),
        frozenset({"forced-labour"}),
        D(2023, 1, 1),
        D(2023, 12, 31),
    ),
]


def test_similar_research_comes_first_with_its_reasons():
    candidate = ResearchText(
        None,
        "Hazardous child labour in cocoa farming",
        "How many children in cocoa farming households do hazardous work?",
        frozenset({"GHA"}),
        frozenset({"child-labour"}),
        D(2025, 1, 1),
        D(2026, 12, 31),
    )

    matches = similar_research(candidate, EXISTING)

    assert [match.id for match in matches] == [1]
    reasons = matches[0].reasons
    assert "same country GHA" in reasons
    assert "same theme child-labour" in reasons
    assert "periods overlap 2025" in reasons
    assert any(reason.startswith("title 0.") for reason in reasons)
    assert 0.3 <= matches[0].score <= 1


def test_unrelated_research_is_not_listed():
    candidate = ResearchText(
        None,
        "Legal frameworks on forced marriage",
        "Comparative review of marriage laws",
        frozenset({"FRA"}),
        frozenset({"forced-marriage"}),
        D(2020, 1, 1),
        D(2020, 12, 31),
    )

    assert similar_research(candidate, EXISTING) == []


def test_an_empty_description_matches_nothing():
    assert similar_research(ResearchText(None, "", ""), EXISTING) == []


def test_periods_overlap_in_years_and_open_ends_count_as_ongoing():
    first = ResearchText(None, "a", start=D(2024, 1, 1), end=D(2025, 12, 31))
    open_ended = ResearchText(None, "b", start=D(2025, 6, 1))
    later = ResearchText(None, "c", start=D(2026, 1, 1), end=D(2026, 12, 31))

    assert period_overlap(first, open_ended) == (2025, 2025)
    assert period_overlap(first, later) is None
    assert period_overlap(first, ResearchText(None, "d")) is None
