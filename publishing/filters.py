"""Filters of the public ClaimReview list (`/api/v1/claim-reviews/`), as a django-filter FilterSet.

Every parameter is validated by a form field (a slug must name a rating of the scale, or a
claimant or topic of a published fact check; an unknown or empty parameter is refused by
core.input.KnownQueryParams on the view), so bad input is a 400 with a message per field
(a NUL byte, an over-long `q`, a malformed slug, date or language tag, a date-time outside the
years 1 to 9999 in UTC), never a 500. Filters only narrow `Review.objects.published()`; they
never widen it. `q` and `language` match as everywhere else on the site
(`matching.search.matches_to_list()` and `ReviewQuerySet.in_language()`); `q` leaves the order
alone (newest first unless `ordering` says otherwise) and costs 1 query of its own (the count
of its first matches that picks how the page is read), run under the view's time budget.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from claims.models import Claimant, Rating, Review, ReviewQuerySet, Topic, language_validator
from core.api import KnownSlugFilter
from matching.search import matches_to_list

Q_MAX_LENGTH = 200

DATETIME_OUT_OF_RANGE = "Enter a date-time between years 1 and 9999 once converted to UTC."


def _published_claimants() -> Any:
    return Claimant.objects.filter(claims__reviews__in=Review.objects.published())


def _published_topics() -> Any:
    return Topic.objects.filter(claims__reviews__in=Review.objects.published())


def _ratings() -> Any:
    return Rating.objects.filter(scale__is_default=True)


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time that stays within years 1..9999 in UTC, where databases compare
    it (9999-12-31T23:59:59-05:00 is in year 10000 there: SQLite's adapter would overflow)."""

    def to_python(self, value: Any) -> datetime.datetime | None:
        result = super().to_python(value)
        if result is not None:
            try:
                result.astimezone(datetime.UTC)
            except OverflowError:
                raise ValidationError(DATETIME_OUT_OF_RANGE, code="out_of_range") from None
        return result


class UTCDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class ClaimReviewFilter(filters.FilterSet):
    q = filters.CharFilter(
        method="search",
        max_length=Q_MAX_LENGTH,
        help_text=(
            "Words that must all appear (case- and accent-insensitive) in the claim, its short "
            "text, the claimant's name, the headline or the summary."
        ),
    )
    # A slug that names nothing public is a 400 naming the filter (a claimant or topic known
    # only from unpublished work is "unknown" too: nothing unpublished shows, not even here).
    claimant = KnownSlugFilter(
        field_name="claim__claimant__slug",
        max_length=100,
        known=_published_claimants,
        thing="claimant of a published fact check",
        help_text="Claimant slug (a claimant of a published fact check, else 400).",
    )
    rating = KnownSlugFilter(
        field_name="rating__slug",
        max_length=100,
        known=_ratings,
        thing="rating of the scale",
        help_text="Rating slug, as in /api/v1/ratings/ (else 400).",
    )
    topic = KnownSlugFilter(
        field_name="claim__topics__slug",
        max_length=100,
        known=_published_topics,
        thing="topic of a published fact check",
        help_text="Topic slug (a topic of a published fact check, else 400).",
    )
    language = filters.CharFilter(
        method="in_language",
        max_length=35,
        validators=[language_validator],
        help_text="BCP 47 tag of the review; 'en' also matches 'en-GB'.",
    )
    published_after = UTCDateTimeFilter(
        field_name="date_published",
        lookup_expr="gte",
        help_text="First published at or after this ISO 8601 date or date-time.",
    )
    published_before = UTCDateTimeFilter(
        field_name="date_published",
        lookup_expr="lt",
        help_text="First published before this ISO 8601 date or date-time.",
    )

    def search(self, queryset: ReviewQuerySet, name: str, value: str) -> ReviewQuerySet:
        return matches_to_list(queryset, value)

    def in_language(self, queryset: ReviewQuerySet, name: str, value: str) -> ReviewQuerySet:
        return queryset.in_language(value)
