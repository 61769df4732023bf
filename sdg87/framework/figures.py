"""Writing large figures the way people read them: "49.6 million", "49,6 millions",
"USD 150 billion" — in the active language and with its number format. No ORM here."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

MILLION = Decimal(1_000_000)
BILLION = Decimal(1_000_000_000)
ONE_DECIMAL = Decimal("0.1")


def _scaled_number(value: Decimal, scale: Decimal) -> tuple[str, int]:
    """``value / scale`` with at most one decimal, in the active locale, and its whole part."""
    scaled = (value / scale).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    decimals = 0 if scaled == scaled.to_integral_value() else 1
    return number_format(scaled, decimal_pos=decimals), int(scaled)


def format_amount(value: Decimal) -> str:
    """A count in words for millions and billions, else the grouped number."""
    if value >= BILLION:
        number, whole = _scaled_number(value, BILLION)
        return ngettext("%(number)s billion", "%(number)s billion", whole) % {"number": number}
    if value >= MILLION:
        number, whole = _scaled_number(value, MILLION)
        return ngettext("%(number)s million", "%(number)s million", whole) % {"number": number}
    return number_format(value.quantize(Decimal(1)), decimal_pos=0, force_grouping=True)


def format_figure(value: Decimal, unit: str) -> str:
    """``format_amount`` plus the currency for amounts of money (unit ``usd``)."""
    amount = format_amount(value)
    if unit == "usd":
        return gettext("USD %(amount)s") % {"amount": amount}
    return amount
