"""How values, disaggregations and their codes read on a page, in the page language."""

from __future__ import annotations

import re
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

from sdg87.indicators.headline import breakdown_code

SERIES_KEY = "__series"
UNIT_KEY = "__unit"
TOTAL = ""


def format_value(value: float | None) -> str:
    """A value as people read it in the page language: grouped thousands, few decimals."""
    if value is None:
        return ""
    magnitude = abs(value)
    decimals = 0 if magnitude >= 1000 else 1 if magnitude >= 100 else 2 if magnitude >= 1 else 3
    rounded = round(value, decimals)
    number: float | int = int(rounded) if rounded == int(rounded) else rounded
    return number_format(number, force_grouping=True)


DIMENSION_LABELS = {
    "sex": gettext_lazy("Sex"),
    "age": gettext_lazy("Age"),
    "location": gettext_lazy("Location"),
    "urbanisation": gettext_lazy("Location"),
    "urbanization": gettext_lazy("Location"),
    "area": gettext_lazy("Location"),
    "education_lev": gettext_lazy("Education level"),
    "income_wealth_quantile": gettext_lazy("Wealth quintile"),
    "disability_status": gettext_lazy("Disability status"),
    "occupation": gettext_lazy("Occupation"),
    "activity": gettext_lazy("Economic activity"),
    "reporting_type": gettext_lazy("Reporting type"),
    "type_of_exploitation": gettext_lazy("Type of exploitation"),
    SERIES_KEY: gettext_lazy("Series"),
    UNIT_KEY: gettext_lazy("Unit"),
}
CODE_LABELS = {
    "sex": {"F": gettext_lazy("Female"), "M": gettext_lazy("Male"), "_T": gettext_lazy("Total")},
    "urbanisation": {"U": gettext_lazy("Urban"), "R": gettext_lazy("Rural")},
    "location": {"U": gettext_lazy("Urban"), "R": gettext_lazy("Rural")},
}
AGE_RANGE = re.compile(r"Y(\d+)T(\d+)")
AGE_FROM = re.compile(r"Y_?GE(\d+)")


def _normalized(key: str) -> str:
    return re.sub(r"[\s-]+", "_", key.strip().lower())


def dimension_label(key: str) -> str:
    label = DIMENSION_LABELS.get(_normalized(key)) or DIMENSION_LABELS.get(key)
    return str(label) if label else key.replace("_", " ").strip().capitalize()


def dimension_value_label(key: str, value: str) -> str:
    labels = CODE_LABELS.get(_normalized(key), {})
    if value in labels:
        return str(labels[value])
    if _normalized(key) == "age":
        if match := AGE_RANGE.fullmatch(value):
            return f"{match.group(1)}–{match.group(2)}"
        if match := AGE_FROM.fullmatch(value):
            return f"{match.group(1)}+"
    return value


def breakdown_label(breakdown: dict[str, str]) -> str:
    """How a breakdown standing for the headline reads: "Age: 5–17 (AGE=Y5T17)", the codes
    as published added where a value reads differently; "" for totals."""
    if not breakdown:
        return ""
    names = sorted(breakdown)
    values = {name: dimension_value_label(name, breakdown[name]) for name in names}
    readable = "; ".join(f"{dimension_label(name)}: {values[name]}" for name in names)
    if all(values[name] == breakdown[name] for name in names):
        return readable  # "Age: aged 5-17 years" reads as published
    return f"{readable} ({breakdown_code(breakdown)})"


def natural_key(text: str) -> tuple[Any, ...]:
    return tuple(
        int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)
    )
