"""The review workflow: one service per transition (``library.workflow``), curators' decisions on
tag suggestions and on suspected duplicates. Each checks the rule and the person's role, writes
an audit row and keeps the search index in step."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from sdg87.accounts.permissions import require_curator, require_signed_in
from sdg87.core.audit import audit_record
from sdg87.core.errors import InvalidInput, NotFound, PermissionDenied
from sdg87.core.models import AuditSource
from sdg87.countries.models import Country
from sdg87.framework.models import Target, Theme
from sdg87.library import access, workflow
from sdg87.library.models import DuplicateLink, Resource, ResourceStatus, TagSuggestion
from sdg87.library.search import index_resources, unindex_resources

MAX_COMMENT = 4000


def _locked(resource_id: int) -> Resource:
    try:
        return Resource.objects.select_for_update().get(pk=resource_id)
    except Resource.DoesNotExist:
        raise NotFound(f"no resource {resource_id}") from None


def _transition(
    *, actor: Any, resource_id: int, action: str, comment: str = "", source: str
) -> Resource:
    require_signed_in(actor)
    resource = _locked(resource_id)
    if not access.can_view(actor, resource):
        raise NotFound(f"no resource {resource_id}")
    move = workflow.transition(resource.status, action)
    if not workflow.may_take(
        move, curator=access.can_review(actor), owner=access.is_owner(actor, resource)
    ):
        raise PermissionDenied(f"you may not {action} this resource")
    comment = comment.strip()
    if move.needs_comment and not comment:
        raise InvalidInput(
            "say why the resource goes back to draft", details={"comment": "required"}
        )
    if len(comment) > MAX_COMMENT:
        raise InvalidInput("the comment is too long", details={"comment": f"≤ {MAX_COMMENT}"})
    before = {"status": resource.status}
    resource.status = move.target
    fields = ["status", "updated_at"]
    if move.target == ResourceStatus.PUBLISHED and resource.published_at is None:
        resource.published_at = timezone.now()
        fields.append("published_at")
    if action == "return":
        resource.review_comment = comment
        fields.append("review_comment")
    elif action == "submit":
        resource.review_comment = ""
        fields.append("review_comment")
    resource.updated_at = timezone.now()
    resource.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=f"library.resource.{action}",
        instance=resource,
        before=before,
        after={"status": resource.status},
        source=source,
        comment=comment,
    )
    if move.target == ResourceStatus.WITHDRAWN:
        unindex_resources([resource.pk])
    else:
        index_resources([resource.pk])
    return resource


@transaction.atomic
def resource_submit(*, actor: Any, resource_id: int, source: str = AuditSource.WEB) -> Resource:
    """Draft → in review (the owner's editors or a curator)."""
    return _transition(actor=actor, resource_id=resource_id, action="submit", source=source)


@transaction.atomic
def resource_publish(*, actor: Any, resource_id: int, source: str = AuditSource.WEB) -> Resource:
    """In review (or draft) → published (curators)."""
    return _transition(actor=actor, resource_id=resource_id, action="publish", source=source)


@transaction.atomic
def resource_return_to_draft(
    *, actor: Any, resource_id: int, comment: str, source: str = AuditSource.WEB
) -> Resource:
    """In review or published → draft with the curator's comment (curators)."""
    return _transition(
        actor=actor, resource_id=resource_id, action="return", comment=comment, source=source
    )


@transaction.atomic
def resource_withdraw(
    *, actor: Any, resource_id: int, comment: str = "", source: str = AuditSource.WEB
) -> Resource:
    """Any status but withdrawn → withdrawn (the owner's editors or a curator); the resource
    leaves the search index."""
    return _transition(
        actor=actor, resource_id=resource_id, action="withdraw", comment=comment, source=source
    )


@transaction.atomic
def resource_restore(*, actor: Any, resource_id: int, source: str = AuditSource.WEB) -> Resource:
    """Withdrawn → draft (curators)."""
    return _transition(actor=actor, resource_id=resource_id, action="restore", source=source)


RESOURCE_TRANSITIONS = {
    "submit": resource_submit,
    "publish": resource_publish,
    "return": resource_return_to_draft,
    "withdraw": resource_withdraw,
    "restore": resource_restore,
}


# --- tag suggestions ------------------------------------------------------------------------------

_FACET_FIELDS = {
    TagSuggestion.Kind.COUNTRY: ("countries", Country, "iso3"),
    TagSuggestion.Kind.THEME: ("themes", Theme, "slug"),
    TagSuggestion.Kind.TARGET: ("targets", Target, "code"),
}


@transaction.atomic
def tag_suggestion_decide(
    *, actor: Any, suggestion_id: int, accept: bool, source: str = AuditSource.WEB
) -> TagSuggestion:
    """A curator accepts (the tag becomes one of the resource's countries, themes or targets)
    or rejects a suggestion (a tag it had added is taken away again)."""
    require_curator(actor)
    try:
        suggestion = (
            TagSuggestion.objects.select_for_update()
            .select_related("resource")
            .get(pk=suggestion_id)
        )
    except TagSuggestion.DoesNotExist:
        raise NotFound(f"no tag suggestion {suggestion_id}") from None
    field_name, model, key = _FACET_FIELDS[TagSuggestion.Kind(suggestion.kind)]
    target = model.objects.filter(**{key: suggestion.value}).first()
    if target is None:
        raise InvalidInput(
            f"{suggestion.value} is not a known {suggestion.kind}",
            details={"value": suggestion.value},
        )
    before = {"decision": suggestion.decision}
    suggestion.decision = (
        TagSuggestion.Decision.ACCEPTED if accept else TagSuggestion.Decision.REJECTED
    )
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["decision", "decided_by", "decided_at"])
    related = getattr(suggestion.resource, field_name)
    if accept:
        related.add(target)
    else:
        related.remove(target)
    audit_record(
        actor=actor,
        action="library.tag." + ("accept" if accept else "reject"),
        instance=suggestion,
        object_repr=f"{suggestion.kind} {suggestion.value} on resource {suggestion.resource_id}",
        before=before,
        after={"decision": suggestion.decision},
        source=source,
    )
    index_resources([suggestion.resource_id])
    return suggestion


@transaction.atomic
def duplicate_link_decide(
    *, actor: Any, link_id: int, decision: str, source: str = AuditSource.WEB
) -> DuplicateLink:
    """A curator confirms a suspected duplicate or dismisses it."""
    require_curator(actor)
    if decision not in (DuplicateLink.Decision.CONFIRMED, DuplicateLink.Decision.DISMISSED):
        raise InvalidInput(f"unknown decision {decision!r}", details={"decision": decision})
    try:
        link = DuplicateLink.objects.select_for_update().get(pk=link_id)
    except DuplicateLink.DoesNotExist:
        raise NotFound(f"no duplicate link {link_id}") from None
    before = {"decision": link.decision}
    link.decision = decision
    link.save(update_fields=["decision"])
    audit_record(
        actor=actor,
        action="library.duplicate.decide",
        instance=link,
        object_repr=f"resource {link.resource_id} ~ {link.duplicate_of_id}",
        before=before,
        after={"decision": decision},
        source=source,
    )
    return link
