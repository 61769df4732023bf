"""The knowledge library: research, practices and lessons learned, with provenance.

A resource comes from a contribution (web form), a bulk import (JSONL/CSV) or a harvest
(OAI-PMH, RSS). ``(source, source_record_id)`` identifies it at its origin, so importing or
harvesting the same record again updates it and never creates a second resource.
"""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class ResourceType(models.TextChoices):
    RESEARCH = "research", _("Research or report")
    EVALUATION = "evaluation", _("Evaluation")
    PROMISING_PRACTICE = "promising_practice", _("Promising practice")
    LESSON_LEARNED = "lesson_learned", _("Lesson learned")
    GUIDANCE = "guidance", _("Guidance or tool")
    LAW_POLICY = "law_policy", _("Law or policy")
    DATASET = "dataset", _("Dataset")
    NEWS = "news", _("News")


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Resource(models.Model):
    Type = ResourceType
    Status = ResourceStatus

    type = models.CharField(
        max_length=32, choices=ResourceType.choices, default=ResourceType.RESEARCH
    )
    title = models.TextField()
    abstract = models.TextField(blank=True)
    full_text = models.TextField(blank=True)
    language = models.CharField(max_length=8, help_text="ISO 639-1")
    language_detected = models.BooleanField(default=False, help_text="Detected, not given")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    countries = models.ManyToManyField("countries.Country", blank=True, related_name="resources")
    themes = models.ManyToManyField("framework.Theme", blank=True, related_name="resources")
    targets = models.ManyToManyField("framework.Target", blank=True, related_name="resources")
    organisation = models.CharField(
        max_length=255, blank=True, help_text="Publishing organisation as named by the source"
    )
    partner_organisations = models.ManyToManyField(
        "partners.Organisation", blank=True, related_name="resources"
    )
    authors = models.JSONField(default=list, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    file = models.FileField(upload_to="library/%Y/", blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    licence = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=16, choices=ResourceStatus.choices, default=ResourceStatus.DRAFT
    )
    # provenance
    source = models.CharField(
        max_length=255, help_text='"contribution", "import:<file>", "oai:<base URL>", "rss:<URL>"…'
    )
    source_record_id = models.CharField(max_length=500)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)
    extra = models.JSONField(default=dict, blank=True, help_text="Other metadata of the source")
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # workflow
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_organisation = models.ForeignKey(
        "partners.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributed_resources",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(
        blank=True, help_text="The curator's last comment when returning it to draft"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_record_id"], name="resource_origin"),
            models.CheckConstraint(
                condition=models.Q(status__in=ResourceStatus.values), name="resource_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(type__in=ResourceType.values), name="resource_type_valid"
            ),
        ]
        indexes = [
            # The library's listing (the empty query): newest first, in this order, read from
            # the index (a top-N sort of every resource otherwise). SQLite refuses NULLS LAST
            # in an index but sorts nulls last in descending order anyway: migration 0010
            # writes the index for each database.
            models.Index(
                F("status"),
                F("year").desc(nulls_last=True),
                F("created_at").desc(),
                F("id").desc(),
                name="resource_newest_idx",
            )
        ]

    def __str__(self) -> str:
        return self.title[:120]


class TagSuggestion(models.Model):
    """A tag found in a resource's text at ingest, offered to curators with its evidence."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        THEME = "theme", _("Theme")
        TARGET = "target", _("SDG target")

    class Decision(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="tag_suggestions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(max_length=64, help_text="ISO3, theme slug or target code")
    evidence = models.TextField(help_text="The matched words in their context")
    score = models.FloatField(default=0)
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.SUGGESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "kind", "value"], name="tag_suggestion_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.value} ({self.decision})"


class DuplicateLink(models.Model):
    """Two resources that are likely the same work (near-duplicate text or title)."""

    class Decision(models.TextChoices):
        SUSPECTED = "suspected", _("Suspected")
        CONFIRMED = "confirmed", _("Confirmed duplicate")
        DISMISSED = "dismissed", _("Not a duplicate")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="duplicate_links")
    duplicate_of = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField()
    method = models.CharField(max_length=32, help_text='"minhash", "title"')
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.SUSPECTED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "duplicate_of"], name="duplicate_link_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(resource=models.F("duplicate_of")), name="duplicate_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} ~ {self.duplicate_of_id} ({self.method} {self.similarity:.2f})"


class ResourceFingerprint(models.Model):
    """What near-duplicate detection stores per resource (``library.duplicates``): the text's
    MinHash signature and its folded title. Its LSH buckets are ``ResourceBucket`` rows."""

    resource = models.OneToOneField(
        Resource, on_delete=models.CASCADE, primary_key=True, related_name="fingerprint"
    )
    signature = models.BinaryField(blank=True, help_text="MinHash, little-endian uint32 values")
    word_count = models.PositiveIntegerField(default=0)
    title_key = models.CharField(max_length=255, db_index=True)

    def __str__(self) -> str:
        return f"fingerprint of {self.resource_id}"


class ResourceBucket(models.Model):
    """One LSH band of a resource's signature: resources sharing a bucket are candidates."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    band = models.PositiveSmallIntegerField()
    bucket = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "band"], name="resource_bucket_unique"),
        ]
        indexes = [models.Index(fields=["band", "bucket"], name="resource_bucket_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.resource_id} band {self.band}"


class Harvest(models.Model):
    """An endpoint harvested incrementally (OAI-PMH or RSS); one row per URL and protocol."""

    class Protocol(models.TextChoices):
        OAI_PMH = "oai-pmh", "OAI-PMH"
        RSS = "rss", "RSS/Atom"

    url = models.URLField(max_length=2000)
    protocol = models.CharField(max_length=16, choices=Protocol.choices)
    last_harvested_at = models.DateTimeField(null=True, blank=True)
    last_datestamp = models.CharField(
        max_length=64, blank=True, help_text="OAI `from` for the next run"
    )
    resumption_token = models.TextField(blank=True, help_text="Where an interrupted run resumes")
    records_seen = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["url", "protocol"], name="harvest_unique")]

    def __str__(self) -> str:
        return f"{self.protocol} {self.url}"
