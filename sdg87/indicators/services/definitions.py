"""Indicator definitions: loaded from ``data/reference/indicators.csv``, edited by curators.

The file holds the SDG indicators of Target 8.7 and its synergy targets that have data here
(titles come from the SDG framework) and the custom agreed indicators, with unit, desired
direction, target value and year (defaults of docs: progress methods), themes and the UN SDG
series codes whose SDMX observations belong to each. ``sdg87 load-data`` creates and updates
them, except an indicator a curator has edited (``curated_at`` set): curators' edits win.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from sdg87.accounts.permissions import require_curator
from sdg87.core.audit import AuditChange, audit_record, audit_record_many, snapshot
from sdg87.core.bundled_files import AUDIT_COMMENT, CsvRow, read_csv, require_unique
from sdg87.core.errors import InvalidInput
from sdg87.core.models import AuditSource
from sdg87.core.reports import LoadReport
from sdg87.framework.models import Indicator as SdgIndicator
from sdg87.framework.models import Target, Theme
from sdg87.indicators.models import Direction, Indicator, IndicatorKind

INDICATORS_FILE = Path("reference") / "indicators.csv"
COLUMNS = (
    "code",
    "kind",
    "target",
    "position",
    "is_headline",
    "unit",
    "desired_direction",
    "target_value",
    "target_year",
    "natural_limit",
    "themes",
    "sdmx_series",
    "title_en",
    "title_fr",
    "title_es",
    "definition_en",
    "definition_fr",
    "definition_es",
    "reading_note_en",
    "reading_note_fr",
    "reading_note_es",
    "source",
)
TEXT_FIELDS = (
    "title_en",
    "title_fr",
    "title_es",
    "definition_en",
    "definition_fr",
    "definition_es",
    "reading_note_en",
    "reading_note_fr",
    "reading_note_es",
    "source",
)
AUDITED_FIELDS = (
    "code",
    "kind",
    "sdg_indicator",
    "target",
    *TEXT_FIELDS,
    "unit",
    "desired_direction",
    "target_value",
    "target_year",
    "natural_limit",
    "is_headline",
    "position",
    "sdmx_series",
    "themes",
)
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SDG_CODE = r"\d{1,2}\.(?:\d{1,2}|[a-z])\.\d{1,2}"
SERIES_CODE = r"[A-Z0-9_]+"


def _optional_float(row: CsvRow, field: str) -> float | None:
    text = row.text(field, required=False)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise row.error(field, f"{text!r} is not a number") from None


def _parse(
    rows: list[CsvRow],
    sdg_indicators: dict[str, SdgIndicator],
    targets: dict[str, Target],
    themes: dict[str, int],
) -> list[tuple[dict[str, Any], list[int]]]:
    records = []
    series_owner: dict[str, str] = {}
    for row in rows:
        kind = row.choice("kind", IndicatorKind.values)
        if kind == IndicatorKind.SDG:
            code = row.matching("code", SDG_CODE, "an SDG indicator code such as 8.7.1")
            sdg_indicator = sdg_indicators.get(code)
            if sdg_indicator is None:
                raise row.error("code", f"{code!r} is not an indicator of the SDG framework")
        else:
            code = row.matching("code", SLUG, "a lower-case slug (gsi-prevalence)")
            sdg_indicator = None
        target_code = row.text("target", required=False)
        if sdg_indicator is not None:
            target = sdg_indicator.target
            if target_code and target_code != target.code:
                raise row.error("target", f"{code} belongs to target {target.code}")
        elif target_code:
            target = targets.get(target_code)
            if target is None:
                raise row.error("target", f"{target_code!r} is not an SDG target")
        else:
            target = None
        direction = row.choice("desired_direction", Direction.values)
        theme_slugs = [part.strip() for part in row.text("themes", required=False).split(";")]
        theme_ids = []
        for slug in filter(None, theme_slugs):
            if slug not in themes:
                raise row.error("themes", f"unknown theme {slug!r}")
            theme_ids.append(themes[slug])
        series_codes = [part.strip() for part in row.text("sdmx_series", required=False).split(";")]
        series_codes = [part for part in series_codes if part]
        for series in series_codes:
            if not all(char.isalnum() or char == "_" for char in series):
                raise row.error("sdmx_series", f"{series!r} is not a series code")
            if series in series_owner:
                raise row.error(
                    "sdmx_series", f"{series} is already listed for {series_owner[series]}"
                )
            series_owner[series] = code
        texts = {name: row.text(name, required=False) for name in TEXT_FIELDS}
        if sdg_indicator is not None:
            for language in ("en", "fr", "es"):
                texts[f"title_{language}"] = texts[f"title_{language}"] or getattr(
                    sdg_indicator, f"title_{language}"
                )
        if not texts["title_en"]:
            raise row.error("title_en", "a title is required for an agreed indicator")
        record = {
            "code": code,
            "kind": kind,
            "sdg_indicator_id": sdg_indicator.pk if sdg_indicator else None,
            "target_id": target.pk if target else None,
            **texts,
            "unit": row.text("unit", required=False, max_length=64),
            "desired_direction": direction,
            "target_value": _optional_float(row, "target_value"),
            "target_year": row.integer("target_year", required=False, minimum=2000, maximum=2100),
            "natural_limit": _optional_float(row, "natural_limit"),
            "is_headline": row.boolean("is_headline")
            if row.text("is_headline", required=False)
            else False,
            "position": row.integer("position", maximum=32767) or 0,
            "sdmx_series": series_codes,
        }
        records.append((record, theme_ids))
    require_unique(rows, [record["code"] for record, _themes in records], "code")
    return records


@transaction.atomic
def indicators_load_bundled(data_dir: Path) -> list[LoadReport]:
    """Create or update the indicator definitions of ``reference/indicators.csv``.

    The whole file is validated first (``InvalidInput`` names file, row and field).
    Indicators edited by a curator are left as they are and counted ``unchanged``.
    """
    rows = read_csv(data_dir / INDICATORS_FILE, data_dir=data_dir, columns=COLUMNS)
    sdg_indicators = {
        indicator.code: indicator for indicator in SdgIndicator.objects.select_related("target")
    }
    targets = {target.code: target for target in Target.objects.all()}
    themes = dict(Theme.objects.values_list("slug", "id"))
    records = _parse(rows, sdg_indicators, targets, themes)

    report = LoadReport(name="indicator definitions")
    existing = {
        indicator.code: indicator for indicator in Indicator.objects.prefetch_related("themes")
    }
    created: list[AuditChange] = []
    updated: list[AuditChange] = []
    for record, theme_ids in records:
        current = existing.get(record["code"])
        if current is None:
            indicator = Indicator.objects.create(**record)
            indicator.themes.set(theme_ids)
            report.count("created")
            created.append(
                AuditChange(str(indicator.pk), str(indicator), None, _audit_view(indicator))
            )
            continue
        if current.curated_at is not None:
            report.count("unchanged")
            continue
        before = _audit_view(current)
        differing = [name for name, value in record.items() if getattr(current, name) != value]
        current_themes = sorted(theme.pk for theme in current.themes.all())
        if not differing and current_themes == sorted(theme_ids):
            report.count("unchanged")
            continue
        for name in differing:
            setattr(current, name, record[name])
        current.save()
        current.themes.set(theme_ids)
        report.count("updated")
        after = _audit_view(current)
        updated.append(
            AuditChange(
                str(current.pk),
                str(current),
                {key: before[key] for key in after if before.get(key) != after[key]},
                {key: after[key] for key in after if before.get(key) != after[key]},
            )
        )
    object_type = Indicator._meta.label_lower
    audit_record_many(
        action="create", object_type=object_type, changes=created, comment=AUDIT_COMMENT
    )
    audit_record_many(
        action="update", object_type=object_type, changes=updated, comment=AUDIT_COMMENT
    )
    return [report]


def _audit_view(indicator: Indicator) -> dict[str, Any]:
    return snapshot(indicator, AUDITED_FIELDS)


EDITABLE_FIELDS = (
    *TEXT_FIELDS,
    "unit",
    "desired_direction",
    "target_value",
    "target_year",
    "natural_limit",
    "is_headline",
    "position",
    "sdmx_series",
)


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, actor: Any, changes: dict[str, Any], source: str = AuditSource.WEB
) -> Indicator:
    """A curator's edit of a definition: audited, and kept by later ``load-data`` runs."""
    require_curator(actor)
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise InvalidInput(f"these fields cannot be edited: {', '.join(unknown)}")
    if "desired_direction" in changes and changes["desired_direction"] not in Direction.values:
        raise InvalidInput(
            "desired_direction must be up or down", details={"field": "desired_direction"}
        )
    before = _audit_view(indicator)
    for name, value in changes.items():
        setattr(indicator, name, value)
    indicator.curated_at = timezone.now()
    indicator.full_clean(exclude=["themes"])
    indicator.save()
    after = _audit_view(indicator)
    audit_record(
        actor=actor,
        action="update",
        instance=indicator,
        before={key: before[key] for key in after if before.get(key) != after[key]},
        after={key: after[key] for key in after if before.get(key) != after[key]},
        source=source,
    )
    return indicator
