"""The admin's changelists answer a filter on an integer column with a number beyond 64 bits as
a bad lookup (the changelist again, flagged ?e=1), never a 500: Django bounds plain integer
comparisons, but not foreign keys or `__in`, and SQLite cannot bind such a number at all."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse

from tests.helpers import EvidenceFactory, ReviewFactory

pytestmark = pytest.mark.django_db

TOO_BIG = ["99999999999999999999999", "9223372036854775808", "-9223372036854775809"]


def _ours() -> list[type[models.Model]]:
    return [m for m in admin.site._registry if m._meta.app_label in {"claims", "sources"}]


def _integer_lookups(model: type[models.Model]) -> list[str]:
    """Every lookup on an integer column of `model`: ids, foreign keys (either way), counts."""
    lookups = []
    for field in model._meta.get_fields():
        if field.is_relation or isinstance(field, models.IntegerField):
            lookups += [field.name, f"{field.name}__in"]
            if field.is_relation and field.many_to_one:
                lookups.append(f"{field.attname}")  # type: ignore[union-attr]
    return lookups


CASES = [
    (model._meta.label_lower, lookup)
    for model in sorted(_ours(), key=lambda m: m._meta.label_lower)
    for lookup in _integer_lookups(model)
]


def test_the_cases_cover_foreign_keys_reverse_relations_and_counts() -> None:
    labels = {(label, lookup) for label, lookup in CASES}
    assert ("claims.review", "claim") in labels
    assert ("claims.review", "claim_id") in labels
    assert ("claims.claim", "reviews__in") in labels
    assert ("sources.source", "evidence") in labels
    assert ("claims.review", "version__in") in labels


@pytest.mark.parametrize(("label", "lookup"), CASES)
def test_a_filter_beyond_64_bits_is_a_bad_lookup_not_a_500(label, lookup, superuser) -> None:  # type: ignore[no-untyped-def]
    EvidenceFactory(review=ReviewFactory(published=True))
    client = Client()
    client.force_login(superuser)
    url = reverse(f"admin:{label.replace('.', '_')}_changelist")
    for value in TOO_BIG:
        response = client.get(url, {lookup: value})
        assert (response.status_code, response.get("Location")) == (302, f"{url}?e=1"), value


def test_a_filter_within_64_bits_still_filters(superuser) -> None:  # type: ignore[no-untyped-def]
    review = ReviewFactory(published=True)
    ReviewFactory(published=True)
    client = Client()
    client.force_login(superuser)
    url = reverse("admin:claims_review_changelist")
    page = client.get(url, {"claim": review.claim_id})
    assert list(page.context["cl"].result_list) == [review]
    page = client.get(url, {"claim__in": f"{review.claim_id},9223372036854775807"})
    assert list(page.context["cl"].result_list) == [review]
