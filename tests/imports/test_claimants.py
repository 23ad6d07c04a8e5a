"""Claimants and publishers are found again: claimants by folded name and sameAs, publishers
by site."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from claims.models import Claimant, Publisher
from imports.services import import_document
from tests.helpers import ClaimantFactory

pytestmark = pytest.mark.django_db


def claimreview(n: int, author: dict[str, Any], url: str = "") -> dict[str, Any]:
    return {
        "@type": "ClaimReview",
        "url": url or f"https://checker.example.net/c/{n}",
        "claimReviewed": f"Claim {n}",
        "datePublished": "2024-01-01",
        "reviewRating": {"alternateName": "False"},
        "itemReviewed": {"@type": "Claim", "author": author},
    }


def run_import(*records: dict[str, Any]) -> None:
    import_document(stream=io.BytesIO(json.dumps(list(records)).encode()), source="t")


def test_the_same_name_in_any_case_or_accents_is_one_claimant() -> None:
    run_import(
        claimreview(1, {"@type": "Person", "name": "José  Pérez"}),
        claimreview(2, {"@type": "Person", "name": "JOSE PEREZ"}),
    )
    assert Claimant.objects.count() == 1


def test_an_existing_claimant_of_ours_is_reused() -> None:
    ours = ClaimantFactory(
        name="Jeff Sessions", same_as=["https://en.wikipedia.org/wiki/Jeff_Sessions"]
    )
    run_import(
        claimreview(
            1, {"name": "jeff sessions", "sameAs": "https://en.wikipedia.org/wiki/Jeff_Sessions"}
        )
    )
    assert list(Claimant.objects.all()) == [ours]


def test_the_same_name_with_other_same_as_urls_is_someone_else() -> None:
    run_import(
        claimreview(1, {"name": "John Smith", "sameAs": "https://www.wikidata.org/wiki/Q1"}),
        claimreview(2, {"name": "John Smith", "sameAs": "https://www.wikidata.org/wiki/Q2"}),
        claimreview(3, {"name": "John Smith"}),
    )
    assert Claimant.objects.filter(folded_name="john smith").count() == 2


def test_publishers_are_one_per_site() -> None:
    run_import(
        claimreview(1, {"name": "A"}, url="https://www.checker.example.net/a"),
        claimreview(2, {"name": "B"}, url="http://CHECKER.example.net/b"),
    )
    assert list(Publisher.objects.values_list("site", flat=True)) == ["checker.example.net"]
