"""Writes for the SDG framework, themes, target synergies and global estimates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unicodedata import normalize

import yaml
from django.db import transaction

from sdg87.core.bundled_files import (
    CsvRow,
    file_label,
    invalid_field,
    parents_first,
    read_csv,
    require_unique,
    upsert,
)
from sdg87.core.errors import InvalidInput
from sdg87.core.i18n import UI_LANGUAGES
from sdg87.core.reports import LoadReport
from sdg87.framework.models import GlobalEstimate, Goal, Indicator, Target, TargetSynergy, Theme

FRAMEWORK_DIR = Path("sdg_framework")
THEMES_FILE = Path("reference") / "themes.csv"
SYNERGIES_FILE = Path("reference") / "target_synergies.csv"
ESTIMATES_FILE = Path("reference") / "global_estimates.csv"

GOAL_KEY = re.compile(r"(?P<goal>\d{1,2})-(?P<field>title|short)")
TARGET_KEY = re.compile(r"(?P<goal>\d{1,2})-(?P<part>\d{1,2}|[a-z])-title")
# Indicator keys: goal-target-number, possibly with sub-parts ("16-2-2-a-title").
INDICATOR_KEY = re.compile(r"(?P<code>\d{1,2}-(?:\d{1,2}|[a-z])(?:-[0-9a-z]{1,3})+)-title")
DEADLINE = re.compile(r"\b[Bb]y (?P<year>(?:19|20)\d\d)\b")
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
URL = r"https?://\S+"

THEME_COLUMNS = ("slug", "sort_order", *(f"name_{lang}" for lang in UI_LANGUAGES))
SYNERGY_COLUMNS = ("source_target", "related_target", "sort_order", "description_en")
ESTIMATE_COLUMNS = (
    "key",
    "parent_key",
    "sort_order",
    *(f"label_{lang}" for lang in UI_LANGUAGES),
    "value",
    "unit",
    "reference_year",
    "source",
    "source_year",
)


@dataclass
class FrameworkTexts:
    """Goal, target and indicator texts by code: ``{code: {"title_en": …, "short_fr": …}}``."""

    goals: dict[str, dict[str, str]] = field(default_factory=dict)
    targets: dict[str, dict[str, str]] = field(default_factory=dict)
    indicators: dict[str, dict[str, str]] = field(default_factory=dict)


def natural_sort_key(code: str) -> tuple[tuple[int, int, str], ...]:
    """Order SDG codes as the UN lists them: 8.2 < 8.10 < 8.a; 16.2.2 < 16.2.2.a."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.split("."))


def deadline_year(english_title: str) -> int | None:
    """The first "by YYYY" in a target's English text (8.7: "by 2025 end child labour")."""
    match = DEADLINE.search(english_title)
    return int(match.group("year")) if match else None


def _read_yaml(path: Path, data_dir: Path) -> dict[str, str]:
    label = file_label(path, data_dir)
    if not path.is_file():
        raise InvalidInput(f"{label}: file not found", details={"file": label})
    try:
        with path.open(encoding="utf-8") as handle:
            document = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{label}: not valid YAML ({exc})", details={"file": label}) from None
    if not isinstance(document, dict):
        raise InvalidInput(f"{label}: expected a mapping of key → text", details={"file": label})
    for key, text in document.items():
        if not isinstance(key, str) or not isinstance(text, str) or not text.strip():
            raise invalid_field(label, str(key), "expected a non-empty text")
    # Some translations use decomposed accents (e + U+0301): store composed (NFC) text.
    return {key: normalize("NFC", " ".join(text.split())) for key, text in document.items()}


def _read_framework(data_dir: Path) -> FrameworkTexts:
    texts = FrameworkTexts()
    kinds = (
        ("global_goals.yml", GOAL_KEY, texts.goals),
        ("global_targets.yml", TARGET_KEY, texts.targets),
        ("global_indicators.yml", INDICATOR_KEY, texts.indicators),
    )
    for file_name, pattern, bucket in kinds:
        for language in UI_LANGUAGES:
            path = data_dir / FRAMEWORK_DIR / language / file_name
            label = file_label(path, data_dir)
            for key, text in _read_yaml(path, data_dir).items():
                match = pattern.fullmatch(key)
                if match is None:
                    raise invalid_field(label, key, "not a key of this file (e.g. 8-7-title)")
                if pattern is GOAL_KEY:
                    code, kind = match.group("goal"), match.group("field")
                elif pattern is TARGET_KEY:
                    code, kind = f"{match.group('goal')}.{match.group('part')}", "title"
                else:
                    code, kind = match.group("code").replace("-", "."), "title"
                if language != "en" and f"{kind}_en" not in bucket.get(code, {}):
                    raise invalid_field(label, key, "has no English text to translate")
                bucket.setdefault(code, {})[f"{kind}_{language}"] = text
    for code, entry in texts.goals.items():
        if "short_en" not in entry:
            raise invalid_field(
                str(FRAMEWORK_DIR / "en" / "global_goals.yml"), f"{code}-short", "missing"
            )
    for code in texts.targets:
        if code.split(".")[0] not in texts.goals:
            raise invalid_field(
                str(FRAMEWORK_DIR / "en" / "global_targets.yml"),
                f"{code.replace('.', '-')}-title",
                f"target of an unknown goal {code.split('.')[0]}",
            )
    for code in texts.indicators:
        if ".".join(code.split(".")[:2]) not in texts.targets:
            raise invalid_field(
                str(FRAMEWORK_DIR / "en" / "global_indicators.yml"),
                f"{code.replace('.', '-')}-title",
                "indicator of an unknown target",
            )
    return texts


def _texts(entry: dict[str, str], *fields: str) -> dict[str, str]:
    return {
        f"{name}_{language}": entry.get(f"{name}_{language}", "")
        for name in fields
        for language in UI_LANGUAGES
    }


def _parse_themes(rows: list[CsvRow]) -> list[dict[str, Any]]:
    records = []
    for row in rows:
        record: dict[str, Any] = {
            "slug": row.matching("slug", SLUG, "a lower-case slug such as forced-labour"),
            "position": row.integer("sort_order"),
        }
        for language in UI_LANGUAGES:
            record[f"name_{language}"] = row.text(f"name_{language}", max_length=120)
            record[f"description_{language}"] = row.text(f"description_{language}", required=False)
        records.append(record)
    require_unique(rows, [record["slug"] for record in records], "slug")
    return records


def _parse_synergies(rows: list[CsvRow], target_codes: set[str]) -> list[dict[str, Any]]:
    records = []
    for row in rows:
        record: dict[str, Any] = {}
        for column in ("source_target", "related_target"):
            code = row.text(column)
            if code not in target_codes:
                raise row.error(column, f"{code!r} is not an SDG target")
            record[column] = code
        if record["source_target"] == record["related_target"]:
            raise row.error("related_target", "a target cannot be in synergy with itself")
        record["position"] = row.integer("sort_order")
        for language in UI_LANGUAGES:
            record[f"description_{language}"] = row.text(
                f"description_{language}", required=language == "en", max_length=255
            )
        records.append(record)
    pairs = [f"{r['source_target']}→{r['related_target']}" for r in records]
    require_unique(rows, pairs, "related_target")
    return records


def _parse_estimates(rows: list[CsvRow]) -> list[dict[str, Any]]:
    records = []
    for row in rows:
        record: dict[str, Any] = {
            "key": row.matching("key", SLUG, "a lower-case slug such as modern-slavery"),
            "parent": row.matching("parent_key", SLUG, "a key of this file", required=False),
            "position": row.integer("sort_order"),
            "value": row.decimal("value"),
            "unit": row.choice("unit", GlobalEstimate.Unit.values),
            "reference_year": row.integer(
                "reference_year", required=False, minimum=1900, maximum=2100
            ),
            "source": row.text("source", max_length=255),
            "source_year": row.integer("source_year", minimum=1900, maximum=2100),
            "source_url": row.matching("source_url", URL, "an http(s) address", required=False),
            "note": row.text("note", required=False),
        }
        for language in UI_LANGUAGES:
            record[f"label_{language}"] = row.text(f"label_{language}", max_length=255)
        records.append(record)
    require_unique(rows, [record["key"] for record in records], "key")
    keys = {record["key"] for record in records}
    for row, record in zip(rows, records, strict=True):
        if record["parent"] and record["parent"] not in keys:
            raise row.error("parent_key", f"{record['parent']!r} is not a key of this file")
    return records


def _load_goals_targets_indicators(texts: FrameworkTexts) -> tuple[list[LoadReport], dict]:
    goal_report = LoadReport(name="goals")
    goal_codes = sorted(texts.goals, key=natural_sort_key)
    goals = upsert(
        Goal,
        key="code",
        records=[
            {"code": code, "position": position, **_texts(texts.goals[code], "title", "short")}
            for position, code in enumerate(goal_codes, start=1)
        ],
        report=goal_report,
    )

    target_report = LoadReport(name="targets")
    target_codes = sorted(texts.targets, key=natural_sort_key)
    targets = upsert(
        Target,
        key="code",
        records=[
            {
                "code": code,
                "goal_id": goals[code.split(".")[0]].pk,
                "position": position,
                "deadline_year": deadline_year(texts.targets[code]["title_en"]),
                **_texts(texts.targets[code], "title"),
            }
            for position, code in enumerate(target_codes, start=1)
        ],
        report=target_report,
    )

    indicator_report = LoadReport(name="indicators")
    indicator_codes = sorted(texts.indicators, key=natural_sort_key)
    upsert(
        Indicator,
        key="code",
        records=[
            {
                "code": code,
                "target_id": targets[".".join(code.split(".")[:2])].pk,
                "position": position,
                **_texts(texts.indicators[code], "title"),
            }
            for position, code in enumerate(indicator_codes, start=1)
        ],
        report=indicator_report,
    )
    return [goal_report, target_report, indicator_report], targets


def _load_synergies(records: list[dict[str, Any]], targets: dict[str, Target]) -> LoadReport:
    report = LoadReport(name="target synergies")
    existing = {
        (synergy.source_id, synergy.related_id): synergy for synergy in TargetSynergy.objects.all()
    }
    to_create, to_update = [], []
    fields = ["position", *(f"description_{language}" for language in UI_LANGUAGES)]
    for record in records:
        pair = (targets[record["source_target"]].pk, targets[record["related_target"]].pk)
        values = {name: record[name] for name in fields}
        current = existing.get(pair)
        if current is None:
            to_create.append(TargetSynergy(source_id=pair[0], related_id=pair[1], **values))
            report.count("created")
        elif any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            to_update.append(current)
            report.count("updated")
        else:
            report.count("unchanged")
    TargetSynergy.objects.bulk_create(to_create)
    TargetSynergy.objects.bulk_update(to_update, fields)
    return report


def _load_estimates(records: list[dict[str, Any]]) -> LoadReport:
    report = LoadReport(name="global estimates")
    ids: dict[str, int] = {}
    for batch in parents_first(records, key="key", parent="parent"):
        rows = []
        for record in batch:
            values = {name: value for name, value in record.items() if name != "parent"}
            values["parent_id"] = ids[record["parent"]] if record["parent"] else None
            rows.append(values)
        saved = upsert(GlobalEstimate, key="key", records=rows, report=report)
        ids.update({key: estimate.pk for key, estimate in saved.items()})
    return report


@transaction.atomic
def framework_load_bundled(data_dir: Path) -> list[LoadReport]:
    """Load the SDG goals, targets and indicators (``sdg_framework/{en,fr,es}/*.yml``), the
    themes, the synergies of Target 8.7 and the global estimates (``reference/*.csv``).

    Every file is validated before anything is written; a bad entry raises ``InvalidInput``
    naming the file, the row (or YAML key) and the field.
    """
    texts = _read_framework(data_dir)
    theme_rows = read_csv(data_dir / THEMES_FILE, data_dir=data_dir, columns=THEME_COLUMNS)
    themes = _parse_themes(theme_rows)
    synergy_rows = read_csv(data_dir / SYNERGIES_FILE, data_dir=data_dir, columns=SYNERGY_COLUMNS)
    synergies = _parse_synergies(synergy_rows, set(texts.targets))
    estimate_rows = read_csv(data_dir / ESTIMATES_FILE, data_dir=data_dir, columns=ESTIMATE_COLUMNS)
    estimates = _parse_estimates(estimate_rows)

    reports, targets = _load_goals_targets_indicators(texts)
    theme_report = LoadReport(name="themes")
    upsert(Theme, key="slug", records=themes, report=theme_report)
    reports.append(theme_report)
    reports.append(_load_synergies(synergies, targets))
    reports.append(_load_estimates(estimates))
    return reports
