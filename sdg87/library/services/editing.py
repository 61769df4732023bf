"""Correcting a resource's metadata: curators (any resource) and its owners — the partner
editors of the organisation that contributed it and the person who submitted it — while it
is a draft or in review. The same field rules as ingestion (``library.ingest``); an audit row
with the changed fields before and after; the search index kept in step."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from django.db import transaction
from django.utils import timezone

from sdg87.accounts.permissions import require_signed_in
from sdg87.core.audit import audit_record
from sdg87.core.errors import InvalidInput, NotFound, PermissionDenied
from sdg87.core.models import AuditSource
from sdg87.countries.models import Country
from sdg87.framework.models import Target, Theme
from sdg87.library import access, ingest
from sdg87.library.models import Resource, ResourceStatus, ResourceType
from sdg87.library.search import index_resources
from sdg87.library.services.ingestion import fingerprints_refresh

# While a resource is in these statuses its owners may still correct it.
OWNER_EDITABLE = frozenset({ResourceStatus.DRAFT, ResourceStatus.IN_REVIEW})
MAX_ABSTRACT_LENGTH = 20_000


class Unchanged:
    """The value of a field the edit leaves as it is."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = Unchanged()


@dataclass(frozen=True)
class ResourceEdit:
    """The fields to change; a field left ``UNCHANGED`` keeps its value."""

    title: str = UNCHANGED
    abstract: str = UNCHANGED
    language: str = UNCHANGED
    year: int | None = UNCHANGED
    type: str = UNCHANGED
    countries: tuple[str, ...] = UNCHANGED
    themes: tuple[str, ...] = UNCHANGED
    targets: tuple[str, ...] = UNCHANGED
    url: str = UNCHANGED
    licence: str = UNCHANGED

    def given(self) -> dict[str, Any]:
        return {
            item.name: getattr(self, item.name)
            for item in fields(self)
            if not isinstance(getattr(self, item.name), Unchanged)
        }


# The fields a duplicate fingerprint is made of (see ``duplicates.fingerprint``).
FINGERPRINTED = frozenset({"title", "abstract", "full_text"})


def can_edit(user: Any, resource: Resource) -> bool:
    """Curators edit any resource; owners edit theirs while it is a draft or in review."""
    if access.can_review(user):
        return True
    return resource.status in OWNER_EDITABLE and access.is_owner(user, resource)


def _text(value: Any, field_name: str, max_length: int) -> str:
    if not isinstance(value, str):
        raise ingest.RecordInvalid(field_name, "expected text")
    text = value.replace("\x00", "").strip()
    if len(text) > max_length:
        raise ingest.RecordInvalid(field_name, f"longer than {max_length} characters")
    return text


def _codes(values: Iterable[str], field_name: str, known: set[str], what: str) -> list[str]:
    codes: list[str] = []
    for value in values:
        code = str(value).strip()
        if code not in known:
            raise ingest.RecordInvalid(field_name, f"unknown {what} {code!r}")
        if code not in codes:
            codes.append(code)
    return codes


def _language(value: Any) -> str:
    language = ingest.parse_language(value)
    if not language:
        raise ingest.RecordInvalid("language", "required: an ISO 639-1 code such as en, fr or es")
    return language


def _type(value: Any) -> str:
    if value not in ResourceType.values:
        raise ingest.RecordInvalid("type", f"unknown type {value!r}")
    return str(value)


def _parse(name: str, value: Any) -> Any:
    """One field, parsed and checked as ingestion checks it (``RecordInvalid``)."""
    if name == "title":
        return ingest.parse_title(value)
    if name == "abstract":
        return _text(value, name, MAX_ABSTRACT_LENGTH)
    if name == "language":
        return _language(value)
    if name == "year":
        return ingest.parse_year(value, today=timezone.now().date())
    if name == "type":
        return _type(value)
    if name == "countries":
        known = frozenset(Country.objects.values_list("iso3", flat=True))
        return list(ingest.parse_countries(list(value), known=known))
    if name == "themes":
        return _codes(value, name, set(Theme.objects.values_list("slug", flat=True)), "theme")
    if name == "targets":
        return _codes(value, name, set(Target.objects.values_list("code", flat=True)), "target")
    if name == "url":
        return ingest.parse_url(value)
    if name == "licence":
        return _text(value, name, ingest.MAX_NAME_LENGTH)
    raise ValueError(f"not an editable field: {name}")


def _validated(changes: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        try:
            clean[name] = _parse(name, value)
        except ingest.RecordInvalid as problem:
            field_name = problem.field or name
            raise InvalidInput(
                f"{field_name}: {problem.message}", details={field_name: problem.message}
            ) from None
    return clean


_RELATIONS: dict[str, tuple[str, Any, str]] = {
    "countries": ("countries", Country, "iso3"),
    "themes": ("themes", Theme, "slug"),
    "targets": ("targets", Target, "code"),
}


def _current(resource: Resource, name: str) -> Any:
    if name in _RELATIONS:
        attribute, _model, key = _RELATIONS[name]
        return sorted(getattr(resource, attribute).values_list(key, flat=True))
    return getattr(resource, name)


@transaction.atomic
def resource_edit(
    *, actor: Any, resource_id: int, edit: ResourceEdit, source: str = AuditSource.WEB
) -> Resource:
    """Change the given fields of a resource; ``NotFound`` when ``actor`` may not see it,
    ``PermissionDenied`` when they see it but may not change it, ``InvalidInput`` (naming the
    field) for a bad value. Nothing is written when nothing changes."""
    require_signed_in(actor)
    resource = Resource.objects.select_for_update().filter(pk=resource_id).first()
    if resource is None or not access.can_view(actor, resource):
        raise NotFound(f"no resource {resource_id}")
    if not can_edit(actor, resource):
        raise PermissionDenied(
            "only curators, or the resource's owners while it is a draft or in review, may edit it"
        )
    clean = _validated(edit.given())
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in clean.items():
        current = _current(resource, name)
        wanted = sorted(value) if name in _RELATIONS else value
        if current != wanted:
            before[name], after[name] = current, wanted
    if not after:
        return resource
    for name, value in after.items():
        if name in _RELATIONS:
            attribute, model, key = _RELATIONS[name]
            getattr(resource, attribute).set(model.objects.filter(**{f"{key}__in": value}))
        else:
            setattr(resource, name, value)
    columns = [name for name in after if name not in _RELATIONS]
    if "language" in after:
        resource.language_detected = False
        columns.append("language_detected")
    resource.updated_at = timezone.now()
    resource.save(update_fields=[*columns, "updated_at"])
    audit_record(
        actor=actor,
        action="library.resource.edit",
        instance=resource,
        before=_short(before),
        after=_short(after),
        source=source,
    )
    if resource.status != ResourceStatus.WITHDRAWN:
        index_resources([resource.pk])
    if after.keys() & FINGERPRINTED:
        fingerprints_refresh([resource])
    return resource


def _short(values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value[:500] + "…"
        if isinstance(value, str) and len(value) > 500
        else value.isoformat()
        if isinstance(value, datetime.date)
        else value
        for name, value in values.items()
    }
