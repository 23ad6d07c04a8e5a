"""What matching stores: the index of every claim (its exact key, its words, its URLs and its
sentence embedding) and the links editors confirm between claims and prior checks.

The index is derived data: matching.index writes it from the claims, their reviews and
appearances (on commit of every change, and the embedding in the background worker), and
`manage.py matching_index` rebuilds any of it. Nothing here is ever edited by hand.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from claims.models import Claim, Review
from matching.fields import EmbeddingField

EMBEDDING_DIMENSIONS = 384


class MatchEntry(models.Model):
    """One claim as matching sees it.

    `text_key` is the SHA-256 of the claim's folded text (core.text.fold), so an identical claim
    is one indexed lookup. `lexical_hash` is the hash of the document (claimant, text, short
    text, review headlines) its postings were counted from, and `length` its number of terms
    (BM25's document length). `embedding` is the sentence embedding of the same document by the
    embedder named in `embedded_with` (empty until the worker has embedded it: matching then
    uses the other signals); `embedded_hash` says which document and embedder it came from, so
    a changed claim is re-embedded and an unchanged one never twice.
    """

    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, primary_key=True, related_name="match_entry"
    )
    text_key = models.CharField(max_length=64, db_index=True)
    language = models.CharField(max_length=35, blank=True)
    length = models.PositiveIntegerField(default=0)
    lexical_hash = models.CharField(max_length=64, blank=True)
    embedding = EmbeddingField(dimensions=EMBEDDING_DIMENSIONS, null=True, blank=True)
    embedded_hash = models.CharField(max_length=64, blank=True)
    embedded_with = models.CharField(max_length=100, blank=True)
    embedded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "match entries"

    def __str__(self) -> str:
        return f"Match entry of claim {self.claim_id}"


class Term(models.Model):
    """A stemmed word of the lexical index and `documents`: in how many entries it occurs (its
    document frequency, for BM25's IDF), kept by matching.index as postings come and go."""

    term = models.CharField(max_length=60, unique=True)
    documents = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.term


class Posting(models.Model):
    """A term of an entry: how often it occurs there, and its BM25 document weight
    (matching.lexical.weight), computed with the average entry length of the time
    (`matching.index.reweigh()` recomputes them all, e.g. after a large import).

    The index (term, weight, entry) serves the lexical stage: for each term of a query, its
    postings best weight first, as many as matching.services.lexical_depth says, read from the
    index alone; the primary key (entry, term) serves replacing an entry's postings and the
    exact BM25 of the candidates.
    """

    pk = models.CompositePrimaryKey("entry_id", "term_id")
    entry = models.ForeignKey(MatchEntry, on_delete=models.CASCADE, db_index=False)
    term = models.ForeignKey(Term, on_delete=models.CASCADE, db_index=False)
    frequency = models.PositiveSmallIntegerField(default=1)
    weight = models.FloatField()

    class Meta:
        indexes = [
            models.Index(fields=["term", "-weight", "entry"], name="matching_posting_term_weight")
        ]

    def __str__(self) -> str:
        return f"{self.term_id} in {self.entry_id}: {self.weight:.3f}"


class MatchUrl(models.Model):
    """A URL a claim is known by: where it appeared, or an imported review's page. `url_key` is
    the SHA-256 of the URL normalised as sources are (sources.normalize), so any spelling of one
    address finds the claim with one indexed lookup."""

    entry = models.ForeignKey(MatchEntry, on_delete=models.CASCADE, related_name="urls")
    url_key = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "url_key"], name="matchurl_unique_per_entry")
        ]

    def __str__(self) -> str:
        return self.url_key


class IndexStats(models.Model):
    """The lexical index's totals (one row, id 1): entries and their summed length, for BM25's
    N and average document length without counting the table."""

    documents = models.PositiveIntegerField(default=0)
    total_length = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "index stats"

    def __str__(self) -> str:
        return f"{self.documents} entries"


class RelationKind(models.TextChoices):
    SAME = "same", "Same claim"
    RELATED = "related", "Related"


class ClaimRelationQuerySet(models.QuerySet["ClaimRelation"]):
    def also_checked(self) -> ClaimRelationQuerySet:
        """What a claim's reader page lists as "Also checked by": the links to imported prior
        checks (published by their publisher) that an editor confirmed as the same claim, never
        an automatic match (reader.claim_page nests them in the page's row)."""
        return self.filter(
            kind=RelationKind.SAME, prior_check__in=Review.objects.imported_published()
        )


class ClaimRelation(models.Model):
    """An editor's confirmed link from one of our claims to a prior check (another publisher's
    imported review) or to another claim of ours: the same claim, or a related one.

    Exactly one of `prior_check` and `related_claim` is set. Confirmed same-claim prior checks
    are shown to readers as "Also checked by"; everything else is for the newsroom.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations")
    prior_check = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    related_claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=RelationKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClaimRelationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RelationKind.values), name="claimrelation_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(prior_check__isnull=False, related_claim__isnull=True)
                | Q(prior_check__isnull=True, related_claim__isnull=False),
                name="claimrelation_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(related_claim=models.F("claim")), name="claimrelation_not_itself"
            ),
            models.UniqueConstraint(
                fields=["claim", "prior_check"],
                condition=Q(prior_check__isnull=False),
                name="claimrelation_unique_prior_check",
            ),
            models.UniqueConstraint(
                fields=["claim", "related_claim"],
                condition=Q(related_claim__isnull=False),
                name="claimrelation_unique_claim",
            ),
        ]

    def __str__(self) -> str:
        target = f"review {self.prior_check_id}" if self.prior_check_id else self.related_claim_id
        return f"{self.get_kind_display()}: claim {self.claim_id} -> {target}"
