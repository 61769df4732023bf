"""Harvest OAI-PMH repositories and RSS/Atom feeds into the library (``sdg87 harvest``).

- Every request goes through the SSRF guard (:mod:`sdg87.library.safe_http`); every response
  is parsed without entity expansion (:mod:`sdg87.library.safe_xml`).
- Records become resources through ``services.resources_ingest``, keyed by
  ``(source, record id)`` with source ``oai:<base URL>`` or ``rss:<feed URL>``: a second
  harvest of the same records creates nothing.
- One OAI-PMH page is one transaction: the page's resources and the endpoint's
  :class:`~sdg87.library.models.Harvest` row (resumption state, records seen) are saved
  together. A harvest that fails half-way keeps the pages it finished; the next run resumes
  from the saved resumption token, and restarts from its ``from`` datestamp if the
  repository no longer knows the token (``badResumptionToken``).
- Incremental: a finished OAI-PMH run saves the repository's clock at its start (the
  ``responseDate`` of Identify, in the repository's granularity) as the next run's ``from``.
- Deleted OAI-PMH records withdraw the resources harvested from them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sdg87.core.audit import AuditChange, audit_record_many
from sdg87.core.errors import InvalidInput
from sdg87.core.models import AuditSource
from sdg87.countries.selectors import country_list
from sdg87.framework.selectors import theme_list
from sdg87.library import harvest_oai, harvest_rss
from sdg87.library.dublin_core import Vocabulary, record_from_dublin_core
from sdg87.library.ingest import RecordInvalid, ResourceRecord, fold
from sdg87.library.models import Harvest, Resource, ResourceStatus
from sdg87.library.safe_http import BadResponse, FetchPolicy, fetch, parse_url
from sdg87.library.search import unindex_resources
from sdg87.library.services.ingestion import resources_ingest

Progress = Callable[..., None]
MAX_REPORTED_ERRORS = 100
PROTOCOLS = tuple(Harvest.Protocol.values)


@dataclass
class HarvestSummary:
    """What one run did; ``sdg87 harvest --json`` prints it."""

    url: str
    protocol: str
    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    withdrawn: int = 0
    records_seen: int = 0
    pages: int = 0
    resumed: bool = False
    restarted: bool = False
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add_errors(self, errors: Sequence[dict[str, Any]]) -> None:
        room = MAX_REPORTED_ERRORS - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])

    def progress_message(self) -> str:
        return (
            f"page {self.pages}: {self.records_seen} records "
            f"({self.created} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.rejected} rejected, {self.withdrawn} withdrawn)"
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RunState:
    """Where an unfinished OAI-PMH run stands (kept in ``Harvest.resumption_token``)."""

    token: str
    started: str
    granularity: str

    def dumps(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def loads(cls, text: str) -> RunState | None:
        if not text:
            return None
        try:
            data = json.loads(text)
            return cls(
                token=str(data["token"]),
                started=str(data["started"]),
                granularity=str(data["granularity"]),
            )
        except (ValueError, KeyError, TypeError):
            # A bare token saved by hand or by an older version.
            return cls(token=text, started="", granularity=harvest_oai.DAY_GRANULARITY)


def harvest_url(url: str, protocol: str) -> str:
    """The URL a harvest is known by: an OAI-PMH base URL loses its query string."""
    parse_url(url)
    if protocol not in PROTOCOLS:
        raise InvalidInput(
            f"unknown protocol {protocol!r}: use {' or '.join(PROTOCOLS)}",
            details={"field": "protocol"},
        )
    return harvest_oai.base_url(url) if protocol == Harvest.Protocol.OAI_PMH else url.strip()


def harvest_source(url: str, protocol: str) -> str:
    prefix = "oai" if protocol == Harvest.Protocol.OAI_PMH else "rss"
    return f"{prefix}:{url}"


def harvest_run(
    *,
    url: str,
    protocol: str,
    actor: Any = None,
    progress: Progress | None = None,
    policy: FetchPolicy | None = None,
    audit_source: str = AuditSource.SYSTEM,
) -> HarvestSummary:
    """Harvest ``url`` once (incrementally when it was harvested before).

    Raises ``InvalidInput`` for a malformed URL or protocol and ``FetchError`` (or a
    subclass) when the endpoint cannot be fetched safely or answers nonsense; the pages
    saved before the failure stay saved, and the next run resumes after them.
    """
    endpoint = harvest_url(url, protocol)
    longest = Resource._meta.get_field("source").max_length - len("oai:")
    if len(endpoint) > longest:
        raise InvalidInput(f"the URL is longer than {longest} characters", details={"field": "url"})
    # Saved with the first page: a harvest that fails before any page writes nothing.
    state = Harvest.objects.filter(url=endpoint, protocol=protocol).first() or Harvest(
        url=endpoint, protocol=protocol
    )
    run = _Run(
        state=state,
        summary=HarvestSummary(
            url=endpoint, protocol=protocol, source=harvest_source(endpoint, protocol)
        ),
        vocabulary=harvest_vocabulary(),
        policy=policy or FetchPolicy.from_settings(),
        actor=actor,
        audit_source=audit_source,
        progress=progress or _no_progress,
    )
    if protocol == Harvest.Protocol.OAI_PMH:
        run.harvest_oai()
    else:
        run.harvest_rss()
    return run.summary


def _no_progress(*args: Any, **kwargs: Any) -> None:
    return None


def harvest_vocabulary() -> Vocabulary:
    """Country names/codes and theme names/slugs, folded, as harvested words are matched."""
    countries: dict[str, str] = {}
    for country in country_list():
        names = (country.name_en, country.name_fr, country.name_es, country.official_name_en)
        for key in (*names, country.iso2, country.iso3):
            if key:
                countries.setdefault(fold(key), country.iso3)
    themes: dict[str, str] = {}
    for theme in theme_list():
        for key in (theme.slug, theme.name_en, theme.name_fr, theme.name_es):
            if key:
                themes.setdefault(fold(key), theme.slug)
    return Vocabulary(countries=countries, themes=themes)


def _utc_now_datestamp() -> str:
    return timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class _Run:
    """One harvest run: the endpoint's state, what the run did so far, and how it works."""

    state: Harvest
    summary: HarvestSummary
    vocabulary: Vocabulary
    policy: FetchPolicy
    actor: Any
    audit_source: str
    progress: Progress

    # --- OAI-PMH ---------------------------------------------------------------------

    def harvest_oai(self) -> None:
        position = RunState.loads(self.state.resumption_token)
        self.summary.resumed = position is not None and bool(position.token)
        restarts_left = 1
        while True:
            from_datestamp = ""
            if position is None or not position.token:
                identify = self.identify()
                started = identify.response_date or _utc_now_datestamp()
                position = RunState(
                    token="",
                    started=harvest_oai.as_granularity(started, identify.granularity),
                    granularity=identify.granularity,
                )
                from_datestamp = harvest_oai.as_granularity(
                    self.state.last_datestamp, identify.granularity
                )
            try:
                self.oai_pages(position, from_datestamp)
                return
            except harvest_oai.BadResumptionToken:
                if restarts_left == 0:
                    raise
                restarts_left -= 1
                self.summary.restarted = True
                position = None
                Harvest.objects.filter(pk=self.state.pk).update(resumption_token="")
                self.state.resumption_token = ""

    def identify(self) -> harvest_oai.Identify:
        response = fetch(harvest_oai.identify_url(self.state.url), policy=self.policy)
        return harvest_oai.parse_identify(response.body, url=response.url)

    def oai_pages(self, position: RunState, from_datestamp: str) -> None:
        max_pages = int(getattr(settings, "HARVEST_MAX_PAGES", 10_000))
        token = position.token
        tokens_seen = {token} if token else set()
        pages = 0
        total: int | None = None
        while True:
            request_url = harvest_oai.list_records_url(
                self.state.url, token=token, from_datestamp="" if token else from_datestamp
            )
            response = fetch(request_url, policy=self.policy)
            page = harvest_oai.parse_list_records(response.body, url=response.url)
            pages += 1
            if pages > max_pages:
                raise BadResponse(f"{self.state.url} sent more than {max_pages} pages")
            if page.token and page.token in tokens_seen:
                raise BadResponse(f"{self.state.url} sent the same resumption token twice")
            tokens_seen.add(page.token)
            records, deleted = self.oai_records(page.records)
            following = RunState(
                token=page.token, started=position.started, granularity=position.granularity
            )
            self.save_page(
                records=records,
                deleted=deleted,
                seen=len(page.records),
                resumption=following.dumps() if page.token else "",
                finished_datestamp="" if page.token else position.started,
            )
            total = page.complete_list_size or total
            done = self.summary.records_seen
            if total and page.cursor is not None:
                done = page.cursor + len(page.records)
            elif total and not page.token:
                done = total
            self.progress(done, total, self.summary.progress_message())
            if not page.token:
                return
            token = page.token

    def oai_records(
        self, oai_records: Sequence[harvest_oai.OaiRecord]
    ) -> tuple[list[ResourceRecord], list[str]]:
        records: dict[str, ResourceRecord] = {}
        deleted: list[str] = []
        problems = []
        for item in oai_records:
            if item.deleted:
                deleted.append(item.identifier)
                records.pop(item.identifier, None)
                continue
            extra: dict[str, Any] = {
                "oai_identifier": item.identifier,
                "oai_datestamp": item.datestamp,
            }
            if item.sets:
                extra["oai_sets"] = list(item.sets)
            try:
                records[item.identifier] = record_from_dublin_core(
                    item.identifier, item.elements, vocabulary=self.vocabulary, extra=extra
                )
            except RecordInvalid as problem:
                problems.append(
                    {"id": item.identifier, "field": problem.field, "message": problem.message}
                )
        self.summary.rejected += len(problems)
        self.summary.add_errors(problems)
        return list(records.values()), deleted

    # --- RSS / Atom ------------------------------------------------------------------

    def harvest_rss(self) -> None:
        response = fetch(
            self.state.url,
            policy=self.policy,
            headers={"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9"},
        )
        feed = harvest_rss.parse_feed(
            response.body, url=response.url, content_type=response.content_type
        )
        records: dict[str, ResourceRecord] = {}
        problems = []
        for position, entry in enumerate(feed.entries, start=1):
            if not entry.identifier:
                problems.append(
                    {"id": f"entry {position}", "field": "id", "message": "no id and no link"}
                )
                continue
            try:
                records[entry.identifier] = record_from_dublin_core(
                    entry.identifier, entry.elements, vocabulary=self.vocabulary
                )
            except RecordInvalid as problem:
                problems.append(
                    {"id": entry.identifier, "field": problem.field, "message": problem.message}
                )
        self.summary.rejected += len(problems)
        self.summary.add_errors(problems)
        self.save_page(
            records=list(records.values()),
            deleted=[],
            seen=len(feed.entries),
            resumption="",
            finished_datestamp=feed.updated,
        )
        seen = self.summary.records_seen
        self.progress(seen, seen, self.summary.progress_message())

    # --- saving one page -------------------------------------------------------------

    def save_page(
        self,
        *,
        records: list[ResourceRecord],
        deleted: list[str],
        seen: int,
        resumption: str,
        finished_datestamp: str,
    ) -> None:
        """The page's resources and the endpoint's harvest state, in one transaction."""
        summary = self.summary
        status = getattr(settings, "HARVEST_RESOURCE_STATUS", ResourceStatus.PUBLISHED)
        with transaction.atomic():
            if self.state.pk is None:
                created, _new = Harvest.objects.get_or_create(
                    url=self.state.url, protocol=self.state.protocol
                )
                self.state.pk = created.pk
            locked = Harvest.objects.select_for_update().get(pk=self.state.pk)
            if records:
                try:
                    report = resources_ingest(
                        records=records,
                        source=summary.source,
                        status=status,
                        actor=self.actor,
                        audit_source=self.audit_source,
                    )
                except InvalidInput as exc:
                    raise BadResponse(
                        f"{summary.url}: {exc.message}", details=exc.details
                    ) from None
                summary.created += report.created
                summary.updated += report.updated
                summary.unchanged += report.unchanged
                summary.rejected += report.rejected
                summary.add_errors(report.errors)
            if deleted:
                summary.withdrawn += resources_withdraw_harvested(
                    source=summary.source, record_ids=deleted, audit_source=self.audit_source
                )
            locked.resumption_token = resumption
            locked.records_seen += seen
            if not resumption:
                locked.last_harvested_at = timezone.now()
                if finished_datestamp:
                    locked.last_datestamp = finished_datestamp[:64]
            locked.save()
        self.state = locked
        summary.records_seen += seen
        summary.pages += 1


def resources_withdraw_harvested(
    *, source: str, record_ids: Sequence[str], audit_source: str = AuditSource.SYSTEM
) -> int:
    """Withdraw the resources of ``source`` whose records the repository deleted."""
    resources = list(
        Resource.objects.filter(source=source, source_record_id__in=list(record_ids)).exclude(
            status=ResourceStatus.WITHDRAWN
        )
    )
    if not resources:
        return 0
    ids = [resource.pk for resource in resources]
    with transaction.atomic():
        Resource.objects.filter(pk__in=ids).update(
            status=ResourceStatus.WITHDRAWN, updated_at=timezone.now()
        )
        audit_record_many(
            action="resource.withdraw",
            object_type="library.resource",
            changes=[
                AuditChange(
                    object_id=str(resource.pk),
                    object_repr=str(resource),
                    before={"status": resource.status},
                    after={"status": ResourceStatus.WITHDRAWN},
                )
                for resource in resources
            ],
            source=audit_source,
            comment=f"deleted at the source ({source})",
        )
        unindex_resources(ids)
    return len(resources)
