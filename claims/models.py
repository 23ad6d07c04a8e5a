from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import Truncator, slugify
from simple_history.models import HistoricalRecords

from claims.search import (
    SEARCHED_REVIEW_FIELDS,
    review_search_text,
    searched_fields_saved,
)
from core.text import fold
from core.validators import validate_visible_host
from sources.models import Source

# claimReviewed: Google recommends at most 75 characters.
CLAIM_REVIEWED_MAX_LENGTH = 75

language_validator = RegexValidator(
    r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$",
    "Enter a BCP 47 language tag such as en, pt-BR or es-419.",
)
colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #RRGGBB.")


def unique_slug(model: type[models.Model], text: str, *, max_length: int = 80) -> str:
    """A slug for `text` that no row of `model` has yet (suffixes -2, -3, ... on collision)."""
    base = slugify(text)[:max_length].strip("-") or model._meta.model_name or "item"
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)].rstrip("-") + suffix
    return slug


class ClaimantKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Verdict(models.TextChoices):
    """An imported review's rating on one common scale, whatever the publisher's own words
    (imports.verdicts derives it from the label, or from the numeric position on a given scale).
    """

    TRUE = "true", "True"
    MOSTLY_TRUE = "mostly_true", "Mostly true"
    MIXED = "mixed", "Mixed"
    MOSTLY_FALSE = "mostly_false", "Mostly false"
    FALSE = "false", "False"
    OTHER = "other", "Unrated / other"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports the claim"
    REFUTES = "refutes", "Refutes the claim"
    CONTEXT = "context", "Gives context"


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", "Correction"
    UPDATE = "update", "Update"
    CLARIFICATION = "clarification", "Clarification"
    VERDICT_CHANGE = "verdict_change", "Verdict change"
    # Recorded by the withdraw action, never chosen: the public record of a withdrawal.
    WITHDRAWAL = "withdrawal", "Withdrawal"


# What a publisher chooses when correcting or publishing a revision (a withdrawal is recorded
# by the withdraw action itself).
CHOSEN_CORRECTION_KINDS = [
    (value, label) for value, label in CorrectionKind.choices if value != CorrectionKind.WITHDRAWAL
]


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    DISCARDED = "discarded", "Discarded"


# A revision in one of these states is open: at most one per review.
OPEN_REVISION_STATES = (RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW, RevisionStatus.APPROVED)


class Topic(models.Model):
    """A subject claims are filed under ("Russia inquiry", "Health"), for browsing and filters."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~Q(slug=""), name="topic_slug_not_empty")]

    def __str__(self) -> str:
        return self.name


class Claimant(models.Model):
    """Who made a claim: a person or an organization ("Social media users" is one too).

    `same_as` is a list of URLs identifying the claimant elsewhere (Wikipedia, Wikidata, an
    official site); it becomes `sameAs` of the claim's author in ClaimReview.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(
        max_length=20, choices=ClaimantKind.choices, default=ClaimantKind.PERSON
    )
    job_title = models.CharField(
        max_length=200, blank=True, help_text="As at the time of the claim, e.g. 'Senator'."
    )
    description = models.TextField(blank=True)
    same_as = models.JSONField(
        "same as", default=list, blank=True, help_text="URLs that identify this claimant."
    )
    image_url = models.URLField(
        "image URL", max_length=2000, blank=True, validators=[validate_visible_host]
    )
    # db_default: rows written by raw SQL (the benchmarks' COPY) need no value for these.
    folded_name = models.CharField(
        max_length=200,
        blank=True,
        db_default="",
        editable=False,
        db_index=True,
        help_text="Derived: the name folded (case, accents, spaces), to find a claimant again.",
    )
    # Optimistic locking, as on Review: bumped by every edit (claims.services.claimants). The
    # database default serves rows written around the ORM (bulk loads with COPY).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="claimant_version_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=ClaimantKind.values), name="claimant_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="claimant_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Claimant, self.name)
        self.folded_name = fold(self.name)[:200]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "folded_name"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if not isinstance(self.same_as, list):
            raise ValidationError({"same_as": "Enter a list of URLs."})
        validate = URLValidator(schemes=["http", "https"])
        for url in self.same_as:
            try:
                validate(url)
            except ValidationError:
                raise ValidationError({"same_as": f"{url!r} is not a valid URL."}) from None
            try:
                validate_visible_host(url)
            except ValidationError as exc:
                raise ValidationError({"same_as": exc.messages}) from None


class Claim(models.Model):
    """A statement as it was made: who said what, when and where.

    `text` is the claim in full; `short_text` is what ClaimReview publishes as `claimReviewed`
    (derived from `text` when empty, see `claim_reviewed`). A claim has at most one published
    review of ours; other publishers' imported reviews may hang off it too.
    """

    text = models.TextField(help_text="The claim in full, as it was made.")
    short_text = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            f"Published as claimReviewed; at most {CLAIM_REVIEWED_MAX_LENGTH} characters is "
            "recommended. Derived from the text when empty."
        ),
    )
    slug = models.SlugField(max_length=100, unique=True, blank=True)
    claimant = models.ForeignKey(
        Claimant, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    date_claimed = models.DateField("date made", null=True, blank=True)
    venue = models.CharField(
        max_length=300, blank=True, help_text="Where it was made, e.g. a hearing or a TV show."
    )
    language = models.CharField(max_length=35, default="en", validators=[language_validator])
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    # Optimistic locking, as on Review: bumped by every edit of the claim, its topics or its
    # appearances (claims.services.claims, and a correction that changes the claim).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date_claimed", "-id"]
        # The admin's changelist reads claims in Meta.ordering.
        indexes = [models.Index(fields=["-date_claimed", "-id"], name="claim_newest")]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="claim_slug_not_empty"),
            models.CheckConstraint(condition=Q(version__gte=1), name="claim_version_positive"),
        ]

    def __str__(self) -> str:
        return self.claim_reviewed

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Claim, self.claim_reviewed)
        super().save(*args, **kwargs)

    @property
    def claim_reviewed(self) -> str:
        """The short form ClaimReview publishes: `short_text`, or `text` cut at a word."""
        if self.short_text:
            return self.short_text
        return Truncator(" ".join(self.text.split())).chars(CLAIM_REVIEWED_MAX_LENGTH)


class Appearance(models.Model):
    """A place the claim appeared: a video, a transcript, a post. At most one is the first."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="appearances")
    url = models.URLField("URL", max_length=2000, validators=[validate_visible_host])
    archived_url = models.URLField(
        "archived URL", max_length=2000, blank=True, validators=[validate_visible_host]
    )
    title = models.CharField(
        max_length=300, blank=True, help_text="Title or medium, e.g. 'C-SPAN video'."
    )
    date = models.DateField(null=True, blank=True)
    first = models.BooleanField(
        "first appearance", default=False, help_text="The earliest known appearance."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"], condition=Q(first=True), name="appearance_one_first_per_claim"
            ),
            models.UniqueConstraint(fields=["claim", "url"], name="appearance_unique_url"),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class RatingScaleQuerySet(models.QuerySet["RatingScale"]):
    def default(self) -> RatingScale:
        return self.get(is_default=True)


class RatingScale(models.Model):
    """The organisation's rating scale, as explained on the methodology page.

    Exactly one scale is the default (installed by a data migration, editable in the admin);
    new reviews rate on it.
    """

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)

    objects = RatingScaleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="ratingscale_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Rating(models.Model):
    """One verdict on a scale ("False", "Misleading").

    `value` is optional: ratings with a value (1 = worst) publish ratingValue, bestRating and
    worstRating; ratings without ("Misleading", "Unproven") publish only their label. Values are
    unique within a scale. `colour` is the badge background; `text_colour` picks black or white
    text for the better contrast.
    """

    scale = models.ForeignKey(RatingScale, on_delete=models.PROTECT, related_name="ratings")
    label = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(
        blank=True, help_text="The definition, for the methodology page."
    )
    colour = models.CharField(max_length=7, default="#555555", validators=[colour_validator])
    image_url = models.URLField(
        "image URL", max_length=2000, blank=True, validators=[validate_visible_host]
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scale", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "slug"], name="rating_unique_slug_in_scale"),
            models.UniqueConstraint(fields=["scale", "value"], name="rating_unique_value_in_scale"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1), name="rating_value_at_least_1"
            ),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="rating_colour_hex"
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="rating_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def text_colour(self) -> str:
        """Black or white, whichever contrasts more with `colour` (WCAG relative luminance)."""
        return (
            "#000000"
            if contrast_ratio(self.colour, "#000000") >= contrast_ratio(self.colour, "#ffffff")
            else "#ffffff"
        )


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB colours (1 to 21; AA for body text needs 4.5)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


class Publisher(models.Model):
    """Another fact-checking organisation whose ClaimReviews we imported as prior checks.

    We ourselves are not a row here: our name, URL and logo come from settings
    (FACTCHECK_PUBLISHER_*), and our reviews have no publisher.
    """

    name = models.CharField(max_length=200)
    site = models.CharField(max_length=253, unique=True, help_text="Domain, e.g. politifact.com.")
    url = models.URLField("URL", max_length=2000, blank=True, validators=[validate_visible_host])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(site=""), name="publisher_site_not_empty")
        ]

    def __str__(self) -> str:
        return self.name


# "Newest first", everywhere a list of reviews is shown: by first publication (ClaimReview's
# datePublished), the id breaking ties. The public keyset cursor reads the same order, served
# by the index review_public_list.
NEWEST_FIRST = ("-date_published", "-id")


class ReviewQuerySet(models.QuerySet["Review"]):
    def newest_first(self) -> ReviewQuerySet:
        return self.order_by(*NEWEST_FIRST)

    def ours(self) -> ReviewQuerySet:
        return self.filter(publisher__isnull=True)

    def imported(self) -> ReviewQuerySet:
        return self.filter(publisher__isnull=False)

    def published(self, *, now: datetime.datetime | None = None) -> ReviewQuerySet:
        """Our reviews the public may see now.

        The one definition of "public": ours, published, and its publication time reached (a
        review scheduled for later becomes public at that moment, with no job to flip it).
        Every public page, endpoint, feed and count starts here.
        """
        return self.filter(
            publisher__isnull=True,
            status=ReviewStatus.PUBLISHED,
            publish_at__lte=now or timezone.now(),
        )

    def imported_published(self) -> ReviewQuerySet:
        """Other publishers' reviews: public reference data, never shown as our verdicts."""
        return self.filter(publisher__isnull=False, status=ReviewStatus.PUBLISHED)

    def in_language(self, tag: str) -> ReviewQuerySet:
        """Reviews in the language `tag` or a variant of it, any case: "en" matches "en" and
        "en-GB", "en-GB" only "en-GB" (and "en-GB-oxendict")."""
        return self.filter(Q(language__iexact=tag) | Q(language__istartswith=f"{tag}-"))

    def with_public_page(self, *, now: datetime.datetime | None = None) -> ReviewQuerySet:
        """Our reviews whose claim page answers the public: `published()` ones, and every one
        that was public once (`date_published` reached: a review withdrawn, or withdrawn and
        reopened, or scheduled again after a reopen). A URL once public never 404s: those pages
        show the withdrawal notice and no verdict until a new version is public. Lists, feeds
        of fact checks, search and the sitemap use `published()`.
        """
        now = now or timezone.now()
        return self.filter(
            Q(status=ReviewStatus.PUBLISHED, publish_at__lte=now)
            # date_published is the first time it actually went public (a schedule withdrawn
            # before its time clears it, and nothing else ever moves it).
            | Q(date_published__lte=now),
            publisher__isnull=True,
        )

    def was_public(self, *, now: datetime.datetime | None = None) -> ReviewQuerySet:
        """Our reviews readers have seen: their first publication time has come. What the
        public record (the corrections log) covers; once in, a review never leaves."""
        return self.filter(publisher__isnull=True, date_published__lte=now or timezone.now())

    def for_list(self) -> ReviewQuerySet:
        """What a list of fact checks shows (claim, claimant, rating): one query, no prefetch."""
        return self.select_related("claim__claimant", "rating")

    def for_page(self) -> ReviewQuerySet:
        """Everything the claim page shows: what the ClaimReview builder reads, the evidence
        with its sources and the claim's topics, in 5 queries whatever the number of rows (the
        review with claim, claimant, rating and the bounds of its scale as `scale_bounds`;
        appearances; corrections; evidence with sources; topics)."""
        return (
            self.select_related("claim__claimant", "rating__scale", "publisher")
            .annotate(scale_worst=scale_bound(models.Min), scale_best=scale_bound(models.Max))
            .prefetch_related(
                "claim__appearances",
                Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "id")),
                Prefetch(
                    "evidence",
                    queryset=Evidence.objects.select_related("source").order_by("order", "id"),
                ),
                "claim__topics",
            )
        )

    def for_claimreview(self) -> ReviewQuerySet:
        """Everything the ClaimReview builder reads, in a constant number of queries.

        Adds 3 queries to the main one whatever the number of rows: appearances, corrections,
        and the ratings of each scale (for bestRating/worstRating).
        """
        return self.select_related(
            "claim__claimant", "rating__scale", "publisher"
        ).prefetch_related(
            "claim__appearances",
            Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "id")),
            Prefetch("rating__scale__ratings", queryset=Rating.objects.order_by("order", "id")),
        )


class Review(models.Model):
    """A fact check of a claim: the verdict, the short answer and the full explanation.

    Ours (`publisher` is null) move through the workflow in claims.services; `status` and the
    dates are server-owned and change only there. `version` is bumped on every content change
    so a stale edit can be refused (optimistic locking). A review is public when
    `Review.objects.published()` says so: status published and `publish_at` reached.

    Imported reviews (`publisher` set) are other publishers' fact checks kept as reference data:
    always published by them, with their own `external_url` and textual rating `rating_label`.
    """

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="reviews")
    publisher = models.ForeignKey(
        Publisher,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        help_text="Empty for our own reviews; set for imported ones.",
    )
    rating = models.ForeignKey(
        Rating, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    rating_label = models.CharField(
        max_length=200, blank=True, help_text="Imported reviews: the publisher's textual rating."
    )
    external_url = models.URLField(
        "external URL",
        max_length=2000,
        blank=True,
        help_text="Imported reviews: where it lives.",
        validators=[validate_visible_host],
    )
    # Imported reviews (and our archive brought in with --as-ours): the rating as the publisher
    # published it, beside `rating_label`, and its verdict on the common scale.
    rating_value = models.FloatField(null=True, blank=True, editable=False)
    rating_best = models.FloatField(null=True, blank=True, editable=False)
    rating_worst = models.FloatField(null=True, blank=True, editable=False)
    # db_default: rows written by raw SQL (the benchmarks' seeding) need no value for these.
    verdict = models.CharField(
        max_length=20,
        choices=Verdict.choices,
        blank=True,
        db_default="",
        editable=False,
        db_index=True,
    )
    canonical_url = models.CharField(
        "canonical URL",
        max_length=2000,
        blank=True,
        db_default="",
        editable=False,
        help_text="Imported reviews: the review URL canonicalised, the key a re-import finds.",
    )
    import_digest = models.CharField(
        max_length=64,
        blank=True,
        db_default="",
        editable=False,
        help_text="Imported reviews: fingerprint of what was imported, to tell unchanged records.",
    )
    headline = models.CharField(max_length=300)
    summary = models.TextField(blank=True, help_text='"If your time is short": a few sentences.')
    body = models.TextField(blank=True, help_text="The full explanation.")
    language = models.CharField(max_length=35, default="en", validators=[language_validator])
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="authored_reviews"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    publish_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it is, or becomes, public."
    )
    date_published = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="First publication."
    )
    date_modified = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Latest public correction or update."
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawal_note = models.TextField(blank=True, editable=False)
    search_text = models.TextField(
        blank=True,
        editable=False,
        help_text="Derived: claim, claimant, headline and summary folded for search.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # search_text is derived from fields that have their own history.
    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        permissions = [
            ("review_review", "Can approve reviews or request changes"),
            ("publish_review", "Can publish, correct, withdraw and reopen reviews"),
        ]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="review_status_publish_at"),
            # The public list's default order (newest first) and its keyset cursor: the first
            # page and any later one read a few index entries instead of sorting every row.
            # It carries the rest of published()'s filter (publish_at) and the columns lists
            # filter or join on (rating, claim), so the reader's capped OFFSET pages
            # (reader.views.CappedPaginator), their counts and the ratings' counts per rating
            # are index-only scans that never touch the wide rows they skip.
            models.Index(
                fields=["-date_published", "-id"],
                include=["publish_at", "rating_id", "claim_id"],
                condition=Q(status=ReviewStatus.PUBLISHED, publisher__isnull=True),
                name="review_public_list",
            ),
            # The public list ordered by latest change (`ordering=-modified`) and its cursor.
            models.Index(
                Coalesce("date_modified", "date_published").desc(),
                F("id").desc(),
                condition=Q(status=ReviewStatus.PUBLISHED, publisher__isnull=True),
                name="review_public_modified",
            ),
            # The admin's changelist (Meta.ordering), which sorts every review, drafts included.
            models.Index(fields=["-publish_at", "-id"], name="review_admin_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values), name="review_status_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="review_version_positive"),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(status=ReviewStatus.PUBLISHED, publisher__isnull=True),
                name="review_one_published_per_claim",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.PUBLISHED)
                | Q(publish_at__isnull=False, date_published__isnull=False),
                name="review_published_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.PUBLISHED, publisher__isnull=True)
                | Q(rating__isnull=False),
                name="review_published_has_rating",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.WITHDRAWN)
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_note="")),
                name="review_withdrawn_has_note",
            ),
            models.CheckConstraint(
                condition=Q(publisher__isnull=True)
                | (Q(status=ReviewStatus.PUBLISHED) & ~Q(external_url="")),
                name="review_imported_is_published_with_url",
            ),
            models.UniqueConstraint(
                fields=["canonical_url"],
                condition=~Q(canonical_url=""),
                name="review_unique_canonical_url",
            ),
            models.CheckConstraint(
                condition=Q(verdict="") | Q(verdict__in=Verdict.values),
                name="review_verdict_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refold `search_text` when the searched fields are saved (see claims.search)."""
        update_fields = kwargs.get("update_fields")
        if searched_fields_saved(update_fields, SEARCHED_REVIEW_FIELDS):
            self.search_text = review_search_text(self)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def is_ours(self) -> bool:
        return self.publisher_id is None

    def is_public(self, *, now: datetime.datetime | None = None) -> bool:
        """The in-memory twin of `Review.objects.published()`."""
        return (
            self.publisher_id is None
            and self.status == ReviewStatus.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= (now or timezone.now())
        )

    @property
    def textual_rating(self) -> str:
        return self.rating.label if self.rating_id and self.rating else self.rating_label


class Evidence(models.Model):
    """A source a review relies on: the quote that matters and whether it supports the claim,
    refutes it or gives context. Numbered on the page in `order`."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    quote = models.TextField(blank=True, help_text="The excerpt that matters.")
    stance = models.CharField(max_length=20, choices=Stance.choices, default=Stance.CONTEXT)
    note = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="evidence_stance_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.source}"


class CorrectionQuerySet(models.QuerySet["Correction"]):
    def public_record(self, *, now: datetime.datetime | None = None) -> CorrectionQuerySet:
        """The corrections log, newest first: every entry of our reviews that readers have seen
        (`Review.objects.was_public()`). Append-only: a review once public stays public once,
        and its entries are never deleted, so nothing ever leaves it."""
        return self.filter(
            review__publisher__isnull=True, review__date_published__lte=now or timezone.now()
        ).order_by("-created_at", "-id")


class Correction(models.Model):
    """A public, dated correction, update, clarification, verdict change or withdrawal of a
    published review: the public record, append-only (never edited or deleted once public).

    Shown on the claim page and the corrections log; becomes `correction` in ClaimReview and sets
    the review's `date_modified`. Created only by the workflow: correct/update, the publication
    of a revision, and withdraw (kind withdrawal). `headline` keeps the headline readers saw, so
    the log never shows a later draft's.
    """

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="corrections")
    kind = models.CharField(max_length=20, choices=CorrectionKind.choices)
    note = models.TextField(help_text="Public: what changed and why.")
    headline = models.CharField(
        max_length=300,
        blank=True,
        # Rows written by plain SQL (benchmarks/seed.py) fall back to the review's headline.
        db_default="",
        help_text="The review's public headline when this was recorded (the log shows it).",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CorrectionKind.values), name="correction_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(note=""), name="correction_note_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.review}"


# The states an audit-trail step may name: a review's, or a revision's.
EVENT_STATES = sorted({*ReviewStatus.values, *RevisionStatus.values})


class WorkflowEvent(models.Model):
    """One step of a review's audit trail: who moved it from which state to which, and why.

    Written by claims.services inside the same transaction as the change it records. `source`
    is empty for the creation of the review.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workflow_events",
    )
    revision = models.ForeignKey(
        "Revision",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        help_text="Set for the steps of a revision: source and target are the revision's.",
    )
    action = models.CharField(max_length=30)
    source = models.CharField(max_length=20, blank=True)
    target = models.CharField(max_length=20)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__in=EVENT_STATES), name="workflowevent_target_valid"
            ),
            models.CheckConstraint(
                condition=Q(source="") | Q(source__in=EVENT_STATES),
                name="workflowevent_source_valid",
            ),
        ]

    def __str__(self) -> str:
        labels = {**dict(RevisionStatus.choices), **dict(ReviewStatus.choices)}
        source = labels.get(self.source, "(new)") if self.source else "(new)"
        what = self.action.replace("_", " ").capitalize()
        return f"{what}: {source} → {labels.get(self.target, self.target)}"


class Revision(models.Model):
    """A working copy of everything a published review says, reviewed like a draft while the
    published version stays public (DESIGN.md section 3).

    It holds the review's rating, headline, summary and body, its evidence
    (RevisionEvidence), the claim's public fields and its appearances (RevisionAppearance).
    It goes through the workflow of claims.workflow (submit, approve or request changes, by an
    editor who is not one of its authors) and is published by a publisher with a kind and a
    public note: claims.services.revisions.revision_publish swaps the public content in one
    transaction and records the Correction. `based_on` is the review's version it was started
    from: once the review moved on (a correction, another revision) it is stale and refused
    with 409. At most one open revision per review.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="revisions")
    status = models.CharField(
        max_length=20,
        choices=RevisionStatus.choices,
        default=RevisionStatus.DRAFT,
        editable=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    based_on = models.PositiveIntegerField(
        editable=False, help_text="The review's version this revision started from."
    )
    rating = models.ForeignKey(
        Rating, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    headline = models.CharField(max_length=300)
    summary = models.TextField(blank=True, help_text='"If your time is short": a few sentences.')
    body = models.TextField(blank=True, help_text="The full explanation.")
    # The claim's public fields (claims.services.claims.CLAIM_FIELDS), as they will be.
    claim_text = models.TextField("claim", help_text="The claim in full, as it was made.")
    claim_short_text = models.CharField(
        "claim, short form",
        max_length=200,
        blank=True,
        help_text="Published as claimReviewed; derived from the claim when empty.",
    )
    claimant = models.ForeignKey(
        Claimant, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    date_claimed = models.DateField("date made", null=True, blank=True)
    venue = models.CharField("where it was made", max_length=300, blank=True)
    claim_language = models.CharField(
        "claim language", max_length=35, default="en", validators=[language_validator]
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="authored_revisions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    correction = models.OneToOneField(
        Correction, on_delete=models.PROTECT, null=True, blank=True, related_name="revision"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review"],
                condition=Q(status__in=OPEN_REVISION_STATES),
                name="revision_one_open_per_review",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RevisionStatus.values), name="revision_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=RevisionStatus.PUBLISHED) | Q(correction__isnull=False),
                name="revision_published_has_correction",
            ),
        ]

    def __str__(self) -> str:
        return f"Revision #{self.pk} of “{self.headline}”"

    @property
    def is_ours(self) -> bool:
        """Revisions are only ever of our own reviews."""
        return True

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REVISION_STATES


class RevisionEvidence(models.Model):
    """One entry of a revision's evidence list. `evidence` is the review's entry it revises
    (kept and updated on publication), empty for an entry the revision adds."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="evidence")
    evidence = models.ForeignKey(
        Evidence, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    quote = models.TextField(blank=True, help_text="The excerpt that matters.")
    stance = models.CharField(max_length=20, choices=Stance.choices, default=Stance.CONTEXT)
    note = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="revisionevidence_stance_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.source}"


class RevisionAppearance(models.Model):
    """One place the claim appeared, as the revision will have it (matched by URL)."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="appearances")
    url = models.URLField("URL", max_length=2000)
    archived_url = models.URLField("archived URL", max_length=2000, blank=True)
    title = models.CharField(max_length=300, blank=True)
    date = models.DateField(null=True, blank=True)
    first = models.BooleanField("first appearance", default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title or self.url


def scale_bound(aggregate: type[models.Min] | type[models.Max]) -> models.Subquery:
    """The lowest or highest value on the scale of a review's rating, as a subquery."""
    return models.Subquery(
        Rating.objects.filter(scale=models.OuterRef("rating__scale_id"), value__isnull=False)
        .order_by()
        .values("scale")
        .annotate(bound=aggregate("value"))
        .values("bound")
    )


def review_rating_bounds(review: Review) -> tuple[int, int] | None:
    """`rating_bounds(review.rating)`, from the `for_page()` annotations when it has them."""
    rating = review.rating
    if rating is None or rating.value is None:
        return None
    if "scale_worst" in review.__dict__:
        worst, best = review.__dict__["scale_worst"], review.__dict__["scale_best"]
        return (worst, best) if worst is not None else None
    return rating_bounds(rating)


def rating_bounds(rating: Rating) -> tuple[int, int] | None:
    """(worst, best) values of `rating`'s scale, or None when the rating has no value.

    Reads `rating.scale.ratings.all()`, so it costs no query when the scale's ratings are
    prefetched (see ReviewQuerySet.for_claimreview).
    """
    if rating.value is None:
        return None
    values = [r.value for r in rating.scale.ratings.all() if r.value is not None]
    return min(values), max(values)


class PublicGeneration(models.Model):
    """The counter of public changes: one row, read by claims.public_state.

    A write that can change public output inserts a `PublicChange` row in its own transaction
    (so the mark commits, or rolls back, with the change itself, and takes no lock); once it has
    committed, the writer folds its marks into `generation` (a short transaction of its own).
    A fold that never happens (the process died, the database went away) loses nothing: the
    unfolded marks still count in the public state.
    """

    generation = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="publicgeneration_single_row")
        ]

    def __str__(self) -> str:
        return f"public generation {self.generation}"


class PublicChange(models.Model):
    """A committed public change not yet folded into `PublicGeneration` (normally none are
    left a moment after their commit; see claims.public_state)."""

    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"public change at {self.created_at:%Y-%m-%d %H:%M:%S}"
