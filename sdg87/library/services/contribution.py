"""Contributions: partner editors (for their organisation) and curators submit a resource with
its metadata and a file (PDF, .docx, HTML or .txt) whose text is extracted, through the same
ingestion service as every other way in."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from sdg87.accounts.permissions import is_editor_for, require_signed_in, role_of
from sdg87.accounts.roles import Role
from sdg87.core.errors import InvalidInput, PermissionDenied
from sdg87.core.models import AuditSource
from sdg87.countries.models import Country
from sdg87.library import access
from sdg87.library.extraction import extract_upload
from sdg87.library.ingest import RecordInvalid, ResourceRecord, record_from_mapping
from sdg87.library.models import Resource, ResourceStatus, ResourceType
from sdg87.library.services.ingestion import resources_ingest
from sdg87.library.services.review import resource_submit

CONTRIBUTION_SOURCE = "contribution"


@dataclass(frozen=True)
class Contribution:
    """What a contributor says about the resource (the form's or the API's fields)."""

    title: str
    abstract: str = ""
    text: str = ""
    language: str = ""
    year: int | None = None
    type: str = ResourceType.RESEARCH
    countries: tuple[str, ...] = ()
    url: str = ""
    organisation: str = ""
    licence: str = ""
    authors: tuple[str, ...] = ()
    submit: bool = True


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


def _record(contribution: Contribution, *, text: str) -> ResourceRecord:
    if contribution.type not in ResourceType.values:
        raise InvalidInput(f"unknown type {contribution.type!r}", details={"type": "unknown type"})
    known = frozenset(Country.objects.values_list("iso3", flat=True))
    try:
        record = record_from_mapping(
            {
                "id": uuid.uuid4().hex,
                "title": contribution.title,
                "text": text,
                "abstract": contribution.abstract,
                "language": contribution.language,
                "year": contribution.year,
                "type": contribution.type,
                "countries": list(contribution.countries),
                "url": contribution.url,
                "organisation": contribution.organisation,
                "licence": contribution.licence,
            },
            known_countries=known,
        )
    except RecordInvalid as problem:
        raise InvalidInput(
            f"{problem.field}: {problem.message}", details={problem.field: problem.message}
        ) from None
    authors = tuple(author.strip()[:200] for author in contribution.authors if author.strip())
    return ResourceRecord(**{**record.__dict__, "authors": authors[:50]})


@transaction.atomic
def resource_contribute(
    *,
    actor: Any,
    contribution: Contribution,
    upload: Upload | None = None,
    source: str = AuditSource.WEB,
) -> Resource:
    """Create a draft resource from a contribution (and send it for review when
    ``contribution.submit``). The upload is checked by content and size before anything is
    written; ``UploadRefused`` explains a refusal."""
    require_signed_in(actor)
    if not access.can_contribute(actor):
        raise PermissionDenied("only partner editors and curators may contribute resources")
    if upload is None and not contribution.url.strip():
        raise InvalidInput(
            "attach a file or give the resource's address",
            details={"file": "a file or an address is required"},
        )
    extracted = None
    if upload is not None:
        extracted = extract_upload(
            upload.content,
            filename=upload.name,
            max_bytes=settings.LIBRARY_UPLOAD_MAX_BYTES,
            max_expanded_bytes=settings.LIBRARY_UPLOAD_MAX_EXPANDED_BYTES,
        )
    owner_organisation_id = None
    organisation = contribution.organisation
    if role_of(actor) == Role.PARTNER_EDITOR:
        owner_organisation_id = actor.organisation_id
        if not is_editor_for(actor, owner_organisation_id):
            raise PermissionDenied("a partner editor contributes for their organisation")
        if not organisation and actor.organisation is not None:
            organisation = actor.organisation.name
    text = extracted.text if extracted is not None else contribution.text
    record = _record(
        Contribution(**{**contribution.__dict__, "organisation": organisation}), text=text
    )
    report = resources_ingest(
        records=[record],
        source=CONTRIBUTION_SOURCE,
        status=ResourceStatus.DRAFT,
        actor=actor,
        owner_organisation_id=owner_organisation_id,
        audit_source=source,
    )
    resource = Resource.objects.get(pk=report.resource_ids[record.id])
    if upload is not None and extracted is not None:
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", upload.name.rsplit(".", 1)[0]).strip("-")[:60]
        resource.file.save(
            f"{stem or 'resource'}.{extracted.extension}", ContentFile(upload.content), save=False
        )
        resource.file_sha256 = hashlib.sha256(upload.content).hexdigest()
        resource.save(update_fields=["file", "file_sha256"])
    if contribution.submit:
        resource = resource_submit(actor=actor, resource_id=resource.pk, source=source)
    return resource
