"""Filters of the public ClaimReview list (`/api/v1/claim-reviews/`), as a django-filter FilterSet.

Every parameter is validated by a form field, so bad input is a 400 with a message per field
(a NUL byte, an over-long `q`, a malformed slug, date or language tag), never a 500. Filters
only narrow `Review.objects.published()`; they never widen it.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django_filters import rest_framework as filters

from claims.models import ReviewQuerySet, language_validator

Q_MAX_LENGTH = 200
# Terms beyond this many are ignored: each one is matched against five columns.
Q_MAX_TERMS = 10


class SlugFilter(filters.CharFilter):
    field_class = forms.SlugField


class ClaimReviewFilter(filters.FilterSet):
    q = filters.CharFilter(
        method="search",
        max_length=Q_MAX_LENGTH,
        help_text=(
            "Words that must all appear (case-insensitive) in the claim, its short text, the "
            "claimant's name, the headline or the summary."
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
    published_after = filters.IsoDateTimeFilter(
        field_name="date_published",
        lookup_expr="gte",
        help_text="First published at or after this ISO 8601 date or date-time.",
    )
    published_before = filters.IsoDateTimeFilter(
        field_name="date_published",
        lookup_expr="lt",
        help_text="First published before this ISO 8601 date or date-time.",
    )

    def search(self, queryset: ReviewQuerySet, name: str, value: str) -> ReviewQuerySet:
        for term in value.split()[:Q_MAX_TERMS]:
            queryset = queryset.filter(
                Q(claim__text__icontains=term)
                | Q(claim__short_text__icontains=term)
                | Q(claim__claimant__name__icontains=term)
                | Q(headline__icontains=term)
                | Q(summary__icontains=term)
            )
        return queryset

    def in_language(self, queryset: ReviewQuerySet, name: str, value: str) -> ReviewQuerySet:
        return queryset.filter(Q(language__iexact=value) | Q(language__istartswith=f"{value}-"))
