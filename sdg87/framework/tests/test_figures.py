from decimal import Decimal

import pytest
from django.utils import translation

from sdg87.framework.figures import format_figure


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "49.6 million"), ("fr", "49,6"), ("es", "49,6")],
)
def test_millions_use_the_locale_decimal_separator(language, expected):
    with translation.override(language):
        assert format_figure(Decimal(49_570_000), "people").startswith(expected)


def test_whole_millions_have_no_decimal():
    with translation.override("en"):
        assert format_figure(Decimal(160_000_000), "children") == "160 million"


def test_money_in_billions_names_the_currency():
    with translation.override("en"):
        assert format_figure(Decimal(150_000_000_000), "usd") == "USD 150 billion"


def test_rounding_is_half_up_to_one_decimal():
    with translation.override("en"):
        assert format_figure(Decimal(3_950_000), "people") == "4 million"
        assert format_figure(Decimal(6_332_000), "people") == "6.3 million"


def test_small_numbers_are_written_in_full():
    with translation.override("en"):
        assert format_figure(Decimal(12_345), "people") == "12,345"
