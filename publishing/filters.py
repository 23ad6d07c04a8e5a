"""Filters of the public ClaimReview list (`/api/v1/claim-reviews/`), as a django-filter FilterSet.

Every parameter is validated by a form field, so bad input is a 400 with a message per field
(a NUL byte, an over-long `q`, a malformed slug, date or language tag, a date-time outside the
years 1 to 9999 in UTC), never a 500. Filters only narrow `Review.objects.published()`; they
never widen it. `q` and `language` match as everywhere else on the site
(`matching.search.matches()` and `ReviewQuerySet.in_language()`); `q` leaves the order alone
(newest first unless `ordering` says otherwise).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from claims.models import ReviewQuerySet, language_validator
from matching.search import matches

Q_MAX_LENGTH = 200

DATETIME_OUT_OF_RANGE = "Enter a date-time between years 1 and 9999 once converted to UTC."


class SlugFilter(filters.CharFilter):
    field_class = forms.SlugField


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
    claimant = SlugFilter(
        field_name="claim__claimant__slug", max_length=100, help_text="Claimant slug."
    )
    rating = SlugFilter(field_name="rating__slug", max_length=100, help_text="Rating slug.")
    topic = SlugFilter(field_name="claim__topics__slug", max_length=100, help_text="Topic slug.")
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
        return matches(queryset, value)

    def in_language(self, queryset: ReviewQuerySet, name: str, value: str) -> ReviewQuerySet:
        return queryset.in_language(value)
