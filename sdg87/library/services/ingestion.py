"""The one ingestion service behind every way in: ``sdg87 import-resources``, ``sdg87
load-data``, the contribution form and the harvester all call :func:`resources_ingest`.

All-or-nothing per call (one transaction) and idempotent on ``(source, record id)``: a record
whose content hash is unchanged is left alone (only ``last_seen_at`` moves), a changed one is
updated (an audit row with the changed fields before and after), a new one created. New and
changed resources get their language detected when not given, tag suggestions with evidence,
a MinHash fingerprint with LSH buckets and duplicate links, and are (re)indexed for search.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sdg87.accounts.permissions import is_signed_in
from sdg87.core.audit import AuditChange, audit_record, audit_record_many, snapshot
from sdg87.core.errors import InvalidInput
from sdg87.core.models import AuditSource
from sdg87.core.reports import LoadReport
from sdg87.countries.models import Country
from sdg87.framework.models import Target, Theme
from sdg87.library import duplicates, tagging
from sdg87.library.ingest import ResourceRecord
from sdg87.library.language import language_of_record
from sdg87.library.models import (
    DuplicateLink,
    Resource,
    ResourceBucket,
    ResourceFingerprint,
    ResourceStatus,
    TagSuggestion,
)
from sdg87.library.search import index_resources

Progress = Callable[[int, int], None]

BATCH_SIZE = 500
QUERY_CHUNK = 800
# Fields compared and audited on update.
CONTENT_FIELDS = (
    "title",
    "abstract",
    "full_text",
    "language",
    "language_detected",
    "year",
    "type",
    "organisation",
    "url",
    "licence",
    "authors",
    "extra",
)
AUDIT_TEXT_LIMIT = 500
UNBIS_FILE = Path("vocab") / "unbis" / "unbis_thesaurus_all_topics.json"
AURORA_DIR = Path("vocab") / "sdg_queries" / "aurora_v5"
SEESUS_FILE = Path("vocab") / "sdg_queries" / "seesus" / "seesus_sdg_target_patterns.csv"
SEESUS_TARGETS = ("8.7",)


@dataclass
class IngestReport(LoadReport):
    """A ``LoadReport`` with what the ingestion found; ``resource_ids`` maps record id →
    resource id for the records created or updated (not printed)."""

    suggestions: int = 0
    duplicates: int = 0
    resource_ids: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        document = super().as_dict()
        document.pop("resource_ids", None)
        return document


# --- vocabulary ----------------------------------------------------------------------------


def tagging_vocabulary() -> tagging.TaggingVocabulary:
    """The tagging vocabulary: country names from the Country table, themes and targets from
    the bundled UNBIS, Aurora and seesus files (missing files are skipped)."""
    countries = [
        tagging.CountryNames(
            iso3,
            tuple(name for name in (name_en, name_fr, name_es, official) if name),
        )
        for iso3, name_en, name_fr, name_es, official in Country.objects.values_list(
            "iso3", "name_en", "name_fr", "name_es", "official_name_en"
        )
    ]
    return _vocabulary(tuple(countries), str(settings.DATA_DIR))


def _vocabulary(
    countries: tuple[tagging.CountryNames, ...], data_dir: str
) -> tagging.TaggingVocabulary:
    directory = Path(data_dir)
    concept_ids = [item for ids in tagging.UNBIS_THEME_CONCEPTS.values() for item in ids]
    unbis = directory / UNBIS_FILE
    aurora = directory / AURORA_DIR
    seesus = directory / SEESUS_FILE
    return tagging.build_vocabulary(
        countries=countries,
        unbis_labels=tagging.read_unbis_labels(unbis, concept_ids) if unbis.exists() else {},
        aurora_queries=tagging.read_aurora_queries(aurora, tagging.TARGET_CODES)
        if aurora.is_dir()
        else {},
        seesus_patterns=tagging.read_seesus_patterns(seesus, SEESUS_TARGETS)
        if seesus.exists()
        else {},
    )


# --- the service ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lookups:
    countries: dict[str, int]
    themes: dict[str, int]
    targets: dict[str, int]

    @classmethod
    def read(cls) -> _Lookups:
        return cls(
            countries=dict(Country.objects.values_list("iso3", "id")),
            themes=dict(Theme.objects.values_list("slug", "id")),
            targets=dict(Target.objects.values_list("code", "id")),
        )


@transaction.atomic
def resources_ingest(
    *,
    records: Iterable[ResourceRecord],
    source: str,
    status: str = ResourceStatus.PUBLISHED,
    actor: Any = None,
    owner_organisation_id: int | None = None,
    audit_source: str = AuditSource.SYSTEM,
    progress: Progress | None = None,
    report_name: str | None = None,
) -> IngestReport:
    """Create, update or leave each record of ``source``; see the module docstring.

    ``status`` applies to resources created by this call (an update never changes a status a
    curator set). ``actor`` is recorded as the submitter of new resources and in the audit
    trail. ``progress(done, total)`` is called as records are processed.
    """
    records = list(records)
    if not source or len(source) > 255:
        raise InvalidInput("a resource source is 1-255 characters", details={"source": source})
    if status not in ResourceStatus.values:
        raise InvalidInput(f"unknown status {status!r}", details={"status": status})
    _require_unique_ids(records)
    report = IngestReport(name=report_name or source)
    total = len(records)
    lookups = _Lookups.read()
    _require_known_facets(records, lookups)
    now = timezone.now()
    existing = _existing(source, [record.id for record in records])

    new: list[tuple[ResourceRecord, Resource]] = []
    changed: list[tuple[ResourceRecord, Resource, dict[str, Any]]] = []
    unchanged_ids: list[int] = []
    for done, record in enumerate(records, start=1):
        content_hash = record.content_hash()
        current = existing.get(record.id)
        if current is not None and current.content_hash == content_hash:
            unchanged_ids.append(current.pk)
        elif current is None:
            resource = _new_resource(
                record,
                source=source,
                status=status,
                actor=actor,
                owner_organisation_id=owner_organisation_id,
                now=now,
            )
            resource.content_hash = content_hash
            new.append((record, resource))
        else:
            before = {name: getattr(current, name) for name in CONTENT_FIELDS}
            _apply(current, record)
            current.content_hash = content_hash
            current.last_seen_at = now
            changed.append((record, current, before))
        if progress is not None and (done % 200 == 0 or done == total):
            progress(done, total)

    created = Resource.objects.bulk_create([resource for _record, resource in new], BATCH_SIZE)
    if changed:
        Resource.objects.bulk_update(
            [resource for _record, resource, _before in changed],
            [*CONTENT_FIELDS, "content_hash", "last_seen_at", "updated_at"],
            batch_size=BATCH_SIZE,
        )
    for chunk in _chunks(unchanged_ids):
        Resource.objects.filter(pk__in=chunk).update(last_seen_at=now)

    touched = [(record, resource) for record, resource in new] + [
        (record, resource) for record, resource, _before in changed
    ]
    report.created, report.updated, report.unchanged = (
        len(created),
        len(changed),
        len(unchanged_ids),
    )
    report.resource_ids = {record.id: resource.pk for record, resource in touched}
    if touched:
        vocabulary = tagging_vocabulary()
        _set_facts(touched, lookups, replace=bool(changed))
        report.suggestions = _suggest(touched, vocabulary, lookups)
        report.duplicates = _fingerprint_and_link(
            [(resource, record.title, record.abstract, record.text) for record, resource in touched]
        )
        _audit(new, changed, actor=actor, audit_source=audit_source, source=source)
        index_resources([resource.pk for _record, resource in touched])
    return report


def _require_unique_ids(records: Sequence[ResourceRecord]) -> None:
    seen: dict[str, int | None] = {}
    for record in records:
        if record.id in seen:
            raise InvalidInput(
                f"record id {record.id!r} appears twice",
                details={"errors": [{"line": record.line, "field": "id", "message": "repeated"}]},
            )
        seen[record.id] = record.line


def _require_known_facets(records: Sequence[ResourceRecord], lookups: _Lookups) -> None:
    errors = []
    for record in records:
        for name, singular, values, known in (
            ("countries", "country", record.countries, lookups.countries),
            ("themes", "theme", record.themes, lookups.themes),
            ("targets", "target", record.targets, lookups.targets),
        ):
            errors += [
                {"line": record.line, "field": name, "message": f"unknown {singular} {value}"}
                for value in values
                if value not in known
            ]
    if errors:
        first = errors[0]
        raise InvalidInput(
            f"record on line {first['line']}: field {first['field']}: {first['message']}",
            details={"errors": errors},
        )


def _existing(source: str, record_ids: list[str]) -> dict[str, Resource]:
    found: dict[str, Resource] = {}
    for chunk in _chunks(record_ids):
        for resource in Resource.objects.filter(source=source, source_record_id__in=chunk):
            found[resource.source_record_id] = resource
    return found


def _chunks(items: Sequence[Any], size: int = QUERY_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _new_resource(
    record: ResourceRecord,
    *,
    source: str,
    status: str,
    actor: Any,
    owner_organisation_id: int | None,
    now: Any,
) -> Resource:
    resource = Resource(
        source=source,
        source_record_id=record.id,
        status=status,
        submitted_by=actor if is_signed_in(actor) else None,
        owner_organisation_id=owner_organisation_id,
        published_at=now if status == ResourceStatus.PUBLISHED else None,
        first_seen_at=now,
        last_seen_at=now,
        created_at=now,
        updated_at=now,
    )
    _apply(resource, record)
    return resource


def _apply(resource: Resource, record: ResourceRecord) -> None:
    language = record.language
    detected = not language
    if detected:
        language = language_of_record(
            title=record.title, abstract=record.abstract, text=record.text
        )
    resource.title = record.title
    resource.abstract = record.abstract
    resource.full_text = record.text
    resource.language = language[:8]
    resource.language_detected = detected
    resource.year = record.year
    resource.type = record.type
    resource.organisation = record.organisation
    resource.url = record.url
    resource.licence = record.licence
    resource.authors = list(record.authors)
    resource.extra = dict(record.extra)
    resource.updated_at = timezone.now()


# --- facets, suggestions -------------------------------------------------------------------

_FACETS = (
    ("countries", TagSuggestion.Kind.COUNTRY, "country_id", "countries"),
    ("themes", TagSuggestion.Kind.THEME, "theme_id", "themes"),
    ("targets", TagSuggestion.Kind.TARGET, "target_id", "targets"),
)


def _set_facts(
    touched: Sequence[tuple[ResourceRecord, Resource]], lookups: _Lookups, *, replace: bool
) -> None:
    """Countries, themes and targets given by the source, plus tags curators accepted."""
    ids = [resource.pk for _record, resource in touched]
    accepted: dict[tuple[int, str], set[str]] = defaultdict(set)
    if replace:
        for chunk in _chunks(ids):
            for resource_id, kind, value in TagSuggestion.objects.filter(
                resource_id__in=chunk, decision=TagSuggestion.Decision.ACCEPTED
            ).values_list("resource_id", "kind", "value"):
                accepted[(resource_id, kind)].add(value)
    for attribute, kind, column, field_name in _FACETS:
        through = getattr(Resource, field_name).through
        known = getattr(lookups, attribute)
        if replace:
            for chunk in _chunks(ids):
                through.objects.filter(resource_id__in=chunk).delete()
        rows = []
        for record, resource in touched:
            values = set(getattr(record, attribute)) | accepted[(resource.pk, kind)]
            rows += [
                through(resource_id=resource.pk, **{column: known[value]})
                for value in sorted(values)
                if value in known
            ]
        through.objects.bulk_create(rows, batch_size=BATCH_SIZE, ignore_conflicts=True)


def _suggest(
    touched: Sequence[tuple[ResourceRecord, Resource]],
    vocabulary: tagging.TaggingVocabulary,
    lookups: _Lookups,
) -> int:
    ids = [resource.pk for _record, resource in touched]
    decided: set[tuple[int, str, str]] = set()
    for chunk in _chunks(ids):
        TagSuggestion.objects.filter(
            resource_id__in=chunk, decision=TagSuggestion.Decision.SUGGESTED
        ).delete()
        decided |= set(
            TagSuggestion.objects.filter(resource_id__in=chunk).values_list(
                "resource_id", "kind", "value"
            )
        )
    rows = []
    for record, resource in touched:
        kinds = [tagging.THEME, tagging.TARGET]
        if not record.countries:  # countries the source gives are facts, not suggestions
            kinds.append(tagging.COUNTRY)
        given = {
            tagging.COUNTRY: set(record.countries),
            tagging.THEME: set(record.themes),
            tagging.TARGET: set(record.targets),
        }
        for suggestion in tagging.suggest_tags(
            title=record.title,
            abstract=record.abstract,
            text=record.text,
            vocabulary=vocabulary,
            kinds=kinds,
        ):
            known = {
                tagging.COUNTRY: lookups.countries,
                tagging.THEME: lookups.themes,
                tagging.TARGET: lookups.targets,
            }[suggestion.kind]
            if suggestion.value not in known or suggestion.value in given[suggestion.kind]:
                continue
            if (resource.pk, suggestion.kind, suggestion.value) in decided:
                continue
            rows.append(
                TagSuggestion(
                    resource_id=resource.pk,
                    kind=suggestion.kind,
                    value=suggestion.value,
                    evidence=suggestion.evidence,
                    score=suggestion.score,
                )
            )
    TagSuggestion.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


# --- fingerprints and duplicates -------------------------------------------------------------


def fingerprints_refresh(resources: Sequence[Resource]) -> int:
    """Recompute the duplicate fingerprints of edited resources (title, abstract or text
    changed) and link any new likely duplicate; returns the number of new links."""
    return _fingerprint_and_link(
        [
            (resource, resource.title, resource.abstract, resource.full_text)
            for resource in resources
        ]
    )


def _fingerprint_and_link(touched: Sequence[tuple[Resource, str, str, str]]) -> int:
    """(resource, title, abstract, text) of each resource to fingerprint."""
    ids = [resource.pk for resource, *_texts in touched]
    for chunk in _chunks(ids):
        ResourceBucket.objects.filter(resource_id__in=chunk).delete()
        ResourceFingerprint.objects.filter(resource_id__in=chunk).delete()
    prints: dict[int, duplicates.Fingerprint] = {}
    for resource, title, abstract, text in touched:
        body = f"{abstract}\n\n{text}" if abstract else text
        prints[resource.pk] = duplicates.fingerprint(title=title, text=body)
    ResourceFingerprint.objects.bulk_create(
        [
            ResourceFingerprint(
                resource_id=resource_id,
                signature=fingerprint.signature,
                word_count=fingerprint.word_count,
                title_key=fingerprint.title_key,
            )
            for resource_id, fingerprint in prints.items()
        ],
        batch_size=BATCH_SIZE,
    )
    ResourceBucket.objects.bulk_create(
        [
            ResourceBucket(resource_id=resource_id, band=band, bucket=bucket)
            for resource_id, fingerprint in prints.items()
            for band, bucket in enumerate(fingerprint.bands)
        ],
        batch_size=2000,
    )
    candidates = _candidates(prints)
    return _link_duplicates(prints, candidates)


def _candidates(prints: dict[int, duplicates.Fingerprint]) -> dict[int, set[int]]:
    """Other resources sharing an LSH bucket or the folded title with each new print."""
    wanted: dict[tuple[int, int], set[int]] = defaultdict(set)
    for resource_id, fingerprint in prints.items():
        for band, bucket in enumerate(fingerprint.bands):
            wanted[(band, bucket)].add(resource_id)
    found: dict[int, set[int]] = defaultdict(set)
    buckets = sorted({bucket for _band, bucket in wanted})
    for chunk in _chunks(buckets):
        for other, band, bucket in ResourceBucket.objects.filter(bucket__in=chunk).values_list(
            "resource_id", "band", "bucket"
        ):
            for resource_id in wanted.get((band, bucket), ()):
                if other != resource_id:
                    found[resource_id].add(other)
    by_title: dict[str, set[int]] = defaultdict(set)
    for resource_id, fingerprint in prints.items():
        if fingerprint.title_key:
            by_title[fingerprint.title_key].add(resource_id)
    keys = sorted(by_title)
    for chunk in _chunks(keys):
        for other, key in ResourceFingerprint.objects.filter(title_key__in=chunk).values_list(
            "resource_id", "title_key"
        ):
            for resource_id in by_title[key]:
                if other != resource_id:
                    found[resource_id].add(other)
    return found


def _link_duplicates(
    prints: dict[int, duplicates.Fingerprint], candidates: dict[int, set[int]]
) -> int:
    others = sorted({other for group in candidates.values() for other in group} - set(prints))
    stored: dict[int, duplicates.Fingerprint] = dict(prints)
    for chunk in _chunks(others):
        for row in ResourceFingerprint.objects.filter(resource_id__in=chunk):
            stored[row.resource_id] = duplicates.Fingerprint(
                signature=bytes(row.signature),
                bands=(),
                word_count=row.word_count,
                title_key=row.title_key,
            )
    involved = sorted(set(stored))
    details: dict[int, tuple[str, int | None]] = {}
    for chunk in _chunks(involved):
        for resource_id, title, year in Resource.objects.filter(pk__in=chunk).values_list(
            "pk", "title", "year"
        ):
            details[resource_id] = (title, year)
    links: dict[tuple[int, int], duplicates.DuplicateVerdict] = {}
    for resource_id, group in candidates.items():
        for other in group:
            newer, older = max(resource_id, other), min(resource_id, other)
            if (newer, older) in links:
                continue
            verdict = duplicates.duplicate_verdict(
                first=stored[resource_id],
                second=stored[other],
                first_title=details[resource_id][0],
                second_title=details[other][0],
                first_year=details[resource_id][1],
                second_year=details[other][1],
            )
            if verdict is not None:
                links[(newer, older)] = verdict
    if not links:
        return 0
    existing = set()
    newer_ids = sorted({newer for newer, _older in links})
    for chunk in _chunks(newer_ids):
        existing |= set(
            DuplicateLink.objects.filter(resource_id__in=chunk).values_list(
                "resource_id", "duplicate_of_id"
            )
        )
    rows = [
        DuplicateLink(
            resource_id=newer,
            duplicate_of_id=older,
            similarity=verdict.similarity,
            method=verdict.method,
        )
        for (newer, older), verdict in sorted(links.items())
        if (newer, older) not in existing
    ]
    DuplicateLink.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


# --- audit ------------------------------------------------------------------------------------


def _short(value: Any) -> Any:
    if isinstance(value, str) and len(value) > AUDIT_TEXT_LIMIT:
        return value[:AUDIT_TEXT_LIMIT] + f"… ({len(value)} characters)"
    return value


def _audit(
    new: Sequence[tuple[ResourceRecord, Resource]],
    changed: Sequence[tuple[ResourceRecord, Resource, dict[str, Any]]],
    *,
    actor: Any,
    audit_source: str,
    source: str,
) -> None:
    creations = [
        AuditChange(
            object_id=str(resource.pk),
            object_repr=resource.title,
            before=None,
            after={
                **snapshot(resource, ["source", "source_record_id", "status", "type", "language"]),
                "title": _short(resource.title),
            },
        )
        for _record, resource in new
    ]
    updates = []
    for _record, resource, before in changed:
        fields = [name for name in CONTENT_FIELDS if before[name] != getattr(resource, name)]
        updates.append(
            AuditChange(
                object_id=str(resource.pk),
                object_repr=resource.title,
                before={name: _short(before[name]) for name in fields},
                after={name: _short(getattr(resource, name)) for name in fields},
            )
        )
    comment = f"ingested from {source}"
    for action, changes in (
        ("library.resource.create", creations),
        ("library.resource.update", updates),
    ):
        if not changes:
            continue
        if is_signed_in(actor):
            for change in changes:
                audit_record(
                    actor=actor,
                    action=action,
                    object_type="library.resource",
                    object_id=change.object_id,
                    object_repr=change.object_repr,
                    before=change.before,
                    after=change.after,
                    source=audit_source,
                    comment=comment,
                )
        else:
            audit_record_many(
                action=action,
                object_type="library.resource",
                changes=changes,
                source=audit_source,
                comment=comment,
            )
