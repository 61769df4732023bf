"""Funding gaps in US dollars, pure: worked examples computed by hand in the comments."""

from __future__ import annotations

import datetime
from decimal import Decimal

from sdg87.pathfinders.funding import (
    BudgetLine,
    Rate,
    RateTable,
    Totals,
    action_totals,
    funding_summary,
    gap_by_year,
)

D = Decimal
DAY = datetime.date(2024, 6, 30)
EUR_RATES = RateTable(
    [
        Rate("EUR", datetime.date(2023, 1, 1), D("1.10")),
        Rate("EUR", datetime.date(2024, 1, 1), D("1.20")),
    ]
)


def line(
    action_id: int = 1,
    *,
    planned: str = "1000",
    secured: str = "400",
    spent: str = "0",
    currency: str = "USD",
    priority_id: int = 10,
    country: str = "FRA",
    themes: tuple[str, ...] = (),
    cancelled: bool = False,
) -> BudgetLine:
    return BudgetLine(
        action_id=action_id,
        action_title=f"Action {action_id}",
        priority_id=priority_id,
        priority_title=f"Priority {priority_id}",
        country=country,
        currency=currency,
        planned=D(planned),
        secured=D(secured),
        spent=D(spent),
        themes=themes,
        cancelled=cancelled,
    )


# --- the rate table ---------------------------------------------------------------------------


def test_rate_is_the_latest_dated_on_or_before_the_day():
    # 2023-01-01 → 1.10 and 2024-01-01 → 1.20; on 2023-12-31 the latest on or before is 1.10.
    assert EUR_RATES.rate("EUR", datetime.date(2023, 12, 31)) == (
        D("1.10"),
        datetime.date(2023, 1, 1),
    )


def test_rate_dated_on_the_day_itself_is_used():
    assert EUR_RATES.rate("EUR", datetime.date(2024, 1, 1)) == (
        D("1.20"),
        datetime.date(2024, 1, 1),
    )


def test_rate_is_the_earliest_when_the_table_has_only_later_rates():
    # 2022-06-30 is before every EUR rate: the earliest (2023-01-01, 1.10) is used and reported.
    assert EUR_RATES.rate("EUR", datetime.date(2022, 6, 30)) == (
        D("1.10"),
        datetime.date(2023, 1, 1),
    )


def test_usd_converts_to_itself_without_a_rate_in_the_table():
    assert RateTable([]).to_usd(D("123.45"), "USD", DAY) == D("123.45")


def test_currency_without_any_rate_converts_to_nothing():
    assert EUR_RATES.to_usd(D("100"), "KES", DAY) is None


def test_conversion_rounds_half_up_to_the_cent():
    # 1.01 × 0.5 = 0.505 → 0.51 (half up; banker's rounding would give 0.50).
    rates = RateTable([Rate("GBP", datetime.date(2024, 1, 1), D("0.5"))])

    assert rates.to_usd(D("1.01"), "GBP", DAY) == D("0.51")


def test_conversion_uses_the_rate_of_the_day_given():
    # 1000 EUR on 2023-06-30 at 1.10 = 1100.00 USD; on 2024-06-30 at 1.20 = 1200.00 USD.
    assert EUR_RATES.to_usd(D("1000"), "EUR", datetime.date(2023, 6, 30)) == D("1100.00")
    assert EUR_RATES.to_usd(D("1000"), "EUR", datetime.date(2024, 6, 30)) == D("1200.00")


# --- one action -------------------------------------------------------------------------------


def test_action_gap_is_planned_minus_secured_in_usd():
    # EUR at 1.20: planned 1000 → 1200.00, secured 400 → 480.00, spent 250 → 300.00;
    # gap 1200.00 − 480.00 = 720.00.
    funding = action_totals(line(currency="EUR", spent="250"), EUR_RATES, DAY)

    assert funding.totals == Totals(
        planned_usd=D("1200.00"),
        secured_usd=D("480.00"),
        spent_usd=D("300.00"),
        gap_usd=D("720.00"),
        actions=1,
    )
    assert funding.rate_date == datetime.date(2024, 1, 1)


def test_over_funded_action_has_no_gap():
    # planned 100, secured 300: 100 − 300 = −200 → gap 0.
    funding = action_totals(line(planned="100", secured="300"), EUR_RATES, DAY)

    assert funding.totals is not None
    assert funding.totals.gap_usd == D(0)


def test_action_in_a_currency_without_a_rate_has_no_totals():
    funding = action_totals(line(currency="KES"), EUR_RATES, DAY)

    assert funding.totals is None


# --- summaries --------------------------------------------------------------------------------


def test_over_funded_action_does_not_offset_another_actions_gap():
    # Action 1: 100 planned, 300 secured → gap 0 (not −200). Action 2: 1000 − 400 → gap 600.
    # Priority gap 0 + 600 = 600, not 400.
    summary = funding_summary(
        [line(1, planned="100", secured="300"), line(2, planned="1000", secured="400")],
        EUR_RATES,
        DAY,
    )

    assert summary.by_priority[10].gap_usd == D("600")
    assert summary.total.gap_usd == D("600")


def test_cancelled_action_is_left_out_of_every_total():
    summary = funding_summary(
        [
            line(1, planned="1000", secured="0"),
            line(2, planned="5000", secured="0", cancelled=True),
        ],
        EUR_RATES,
        DAY,
    )

    assert summary.total.planned_usd == D("1000")
    assert summary.total.actions == 1
    assert [item.line.action_id for item in summary.actions] == [1]


def test_currency_without_rate_is_listed_and_left_out_of_totals():
    # KES and NGN have no rate: listed (sorted, once each); only the USD action counts.
    summary = funding_summary(
        [
            line(1, planned="1000", secured="400"),
            line(2, planned="9999", secured="0", currency="NGN"),
            line(3, planned="9999", secured="0", currency="KES", country="KEN", priority_id=20),
            line(4, planned="1", secured="0", currency="KES", country="KEN", priority_id=20),
        ],
        EUR_RATES,
        DAY,
    )

    assert summary.missing_rates == ["KES", "NGN"]
    assert summary.total.gap_usd == D("600")
    assert summary.total.actions == 1
    assert "KEN" not in summary.by_country
    assert 20 not in summary.by_priority


def test_action_with_missing_rate_stays_listed_without_totals():
    summary = funding_summary([line(1, currency="KES")], EUR_RATES, DAY)

    assert [(item.line.action_id, item.totals) for item in summary.actions] == [(1, None)]


def test_rate_date_used_is_reported_per_currency():
    summary = funding_summary([line(1, currency="EUR")], EUR_RATES, datetime.date(2022, 1, 1))

    assert summary.rate_dates == {"EUR": datetime.date(2023, 1, 1)}


def test_priority_country_and_global_totals_add_up_exactly_from_actions():
    # EUR at 1.20 on DAY. Each action is rounded to the cent on its own, then summed:
    # 1: FRA p10, 333.33 EUR planned → 399.996 → 400.00, secured 0 → gap 400.00
    # 2: FRA p10, 0.01 EUR planned → 0.012 → 0.01, secured 0 → gap 0.01
    # 3: FRA p11, 250 USD planned, 100 secured → gap 150.00
    # 4: KEN p20, 1000 USD planned, 1500 secured → gap 0 (over-funded)
    # 5: KEN p21, 10.01 EUR planned → 12.012 → 12.01, secured 0 → gap 12.01
    # priorities: p10 400.01, p11 150.00, p20 0, p21 12.01 → 562.02
    # countries: FRA 550.01, KEN 12.01 → 562.02
    lines = [
        line(1, planned="333.33", secured="0", currency="EUR", priority_id=10),
        line(2, planned="0.01", secured="0", currency="EUR", priority_id=10),
        line(3, planned="250", secured="100", priority_id=11),
        line(4, planned="1000", secured="1500", priority_id=20, country="KEN"),
        line(5, planned="10.01", secured="0", currency="EUR", priority_id=21, country="KEN"),
    ]

    summary = funding_summary(lines, EUR_RATES, DAY)

    assert {pid: totals.gap_usd for pid, totals in summary.by_priority.items()} == {
        10: D("400.01"),
        11: D("150.00"),
        20: D("0"),
        21: D("12.01"),
    }
    assert {code: totals.gap_usd for code, totals in summary.by_country.items()} == {
        "FRA": D("550.01"),
        "KEN": D("12.01"),
    }
    assert summary.total.gap_usd == D("562.02")
    assert summary.total.gap_usd == sum(t.gap_usd for t in summary.by_country.values())
    assert summary.total.gap_usd == sum(t.gap_usd for t in summary.by_priority.values())
    assert summary.total.planned_usd == sum(t.planned_usd for t in summary.by_country.values())
    assert summary.total.secured_usd == sum(t.secured_usd for t in summary.by_priority.values())
    assert summary.total.actions == 5


def test_priority_with_several_themes_counts_in_each_theme():
    # Priority 10 (themes a, b) has a gap of 600; priority 11 (theme b) one of 100.
    # Theme a: 600; theme b: 700; their sum 1300 exceeds the global 700.
    summary = funding_summary(
        [
            line(1, planned="1000", secured="400", priority_id=10, themes=("a", "b")),
            line(2, planned="100", secured="0", priority_id=11, themes=("b",)),
        ],
        EUR_RATES,
        DAY,
    )

    assert summary.by_theme["a"].gap_usd == D("600")
    assert summary.by_theme["b"].gap_usd == D("700")
    assert summary.total.gap_usd == D("700")
    assert sum(t.gap_usd for t in summary.by_theme.values()) == D("1300")


def test_priorities_most_in_need_are_ranked_by_gap_largest_first_ties_by_id():
    # gaps: p30 500, p10 200, p20 500, p40 0 → p20 and p30 tie at 500 (lower id first), then
    # p10; p40 has no gap and is left out.
    summary = funding_summary(
        [
            line(1, planned="200", secured="0", priority_id=10),
            line(2, planned="500", secured="0", priority_id=20),
            line(3, planned="600", secured="100", priority_id=30),
            line(4, planned="100", secured="100", priority_id=40),
        ],
        EUR_RATES,
        DAY,
    )

    ranked = summary.priorities_most_in_need()

    assert [pid for pid, _totals in ranked] == [20, 30, 10]


def test_priorities_most_in_need_stops_at_the_limit():
    summary = funding_summary(
        [line(n, planned=str(n * 100), secured="0", priority_id=n) for n in range(1, 6)],
        EUR_RATES,
        DAY,
    )

    assert [pid for pid, _totals in summary.priorities_most_in_need(limit=2)] == [5, 4]


def test_gap_by_year_converts_each_year_at_the_rate_of_31_december():
    # 2022: rate on 2022-12-31 is 1.00 (dated 2022-06-01); gap (1000 − 500) × 1.00 = 500.00.
    # 2023: rate on 2023-12-31 is 1.10 (dated that day; 2.00 starts 2024-01-01);
    #       gap (1000 − 800) × 1.10 = 220.00.
    rates = RateTable(
        [
            Rate("EUR", datetime.date(2022, 6, 1), D("1.00")),
            Rate("EUR", datetime.date(2023, 12, 31), D("1.10")),
            Rate("EUR", datetime.date(2024, 1, 1), D("2.00")),
        ]
    )

    history = gap_by_year(
        {
            2023: [line(1, planned="1000", secured="800", currency="EUR")],
            2022: [line(1, planned="1000", secured="500", currency="EUR")],
        },
        rates,
    )

    assert [(year, totals.gap_usd) for year, totals in history] == [
        (2022, D("500.00")),
        (2023, D("220.00")),
    ]


def test_gap_by_year_of_no_reports_is_empty():
    assert gap_by_year({}, EUR_RATES) == []
