"""The instrument page's table of every country, read as plain values and written in Python:
the same standings as the model instances give, every value escaped."""

from __future__ import annotations

import pytest

from sdg87.countries.models import Country
from sdg87.instruments import selectors
from sdg87.instruments.models import Instrument


def model_standings(instrument: Instrument) -> dict[str, list[tuple]]:
    grouped = selectors._group(selectors._ratifications().filter(instrument=instrument))
    return {
        item.country.iso3: [
            (r.kind, r.status, r.date, r.date_precision, r.source, r.source_as_of)
            for r in item.records
        ]
        for item in grouped
    }


def test_the_plain_standings_equal_those_of_the_model_instances(ratification_data):
    compared = 0
    for instrument in Instrument.objects.all():
        expected = model_standings(instrument)
        standings = selectors.instrument_standings(instrument)

        assert len(standings) == Country.objects.count()
        for item in standings:
            got = [
                (r.kind, r.status, r.date, r.date_precision, r.source, r.source_as_of)
                for r in item.records
            ]
            assert got == expected.get(item.country.iso3, []), (instrument.code, item.country)
            compared += bool(got)
    assert compared > 1000  # every instrument, the bundled records of each


def test_the_countries_are_in_the_order_of_their_name_in_the_language(client, ratification_data):
    names = [row["name"] for row in client.get("/fr/instruments/C182/").context["table_rows"]]

    assert names.index("Allemagne") < names.index("Belgique") < names.index("Égypte")
    assert names.index("Égypte") < names.index("Espagne")  # accents ignored


def test_the_table_escapes_every_value(client, ratification_data):
    Country.objects.filter(iso3="FRA").update(name_en='France <b>&</b> "co"')

    html = client.get("/en/instruments/C182/").content.decode()

    row = html[html.index('<tr data-iso3="FRA"') :]
    row = row[: row.index("</tr>")]
    assert "France &lt;b&gt;&amp;&lt;/b&gt; &quot;co&quot;" in row
    assert "<b>" not in row
    assert 'href="/en/instruments/countries/FRA/"' in row


@pytest.mark.parametrize("language", ["en", "fr"])
def test_other_sources_are_listed_after_the_record_used(client, ratification_data, language):
    rows = client.get(f"/{language}/instruments/PALERMO/").context["table_rows"]
    standings = {
        s.country.iso3: s
        for s in selectors.instrument_standings(Instrument.objects.get(code="PALERMO"))
    }

    several = [row for row in rows if len(standings[row["iso3"]].records) > 1]
    assert several, "the bundled data has countries recorded by two sources"
    for row in several:
        others = standings[row["iso3"]].records[1:]
        assert row["others"].count("; ") == len(others) - 1
        assert all(other.source in row["others"] for other in others)
    single = [row for row in rows if len(standings[row["iso3"]].records) == 1]
    assert all(row["others"] == "—" for row in single)
