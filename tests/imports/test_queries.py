"""Query counts of the imports' pages and endpoints: pinned, and not growing with the rows."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports.models import ImportRun
from imports.services import import_document
from tests.helpers import api, signed_in

pytestmark = pytest.mark.django_db

PRIOR_CHECKS_QUERIES = 11


def run_of(n: int, offset: int = 0) -> ImportRun:
    records = [
        {
            "@type": "ClaimReview",
            "url": f"https://site{i % 3}.example.net/c/{i}",
            "claimReviewed": f"Claim {i}",
            "datePublished": f"2024-0{1 + i % 9}-01",
            "inLanguage": ["en", "es", "fr"][i % 3],
            "author": {"@type": "Organization", "name": f"Site {i % 3}"},
            "reviewRating": {"alternateName": ["False", "True", "Misleading"][i % 3]},
            "itemReviewed": {
                "author": {"name": f"Person {i}"},
                "appearance": [{"url": f"https://social.example/{i}"}],
            },
        }
        for i in range(offset, offset + n)
    ]
    return import_document(stream=io.BytesIO(json.dumps(records).encode()), source="q")


def count(client: Any, url: str) -> int:
    client.get(url)  # warm the session and content types
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_reading_a_run_again(editor, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    small, big = run_of(3), run_of(6, offset=3)
    client = api(editor)
    client.get(f"/api/v1/imports/{small.pk}/")
    # token and user; the user's and its groups' permissions (the editor role); the run; its
    # records (one query, whatever their number); how many of its claims matching has still to
    # index (`pending_index`, one count)
    with django_assert_num_queries(6):
        client.get(f"/api/v1/imports/{small.pk}/")
    with django_assert_num_queries(6):
        client.get(f"/api/v1/imports/{big.pk}/")


def test_the_prior_checks_list(editor, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    run_of(3)
    client = signed_in(editor)
    url = "/admin/imports/priorcheck/"
    three = count(client, url)
    run_of(3, offset=3)
    assert count(client, url) == three
    # session, user, its permissions (user's and groups'); the publishers filter; count filtered
    # and total; the page of prior checks with publisher and claim joined; the date hierarchy's
    # bounds and its months; the languages filter.
    with django_assert_num_queries(PRIOR_CHECKS_QUERIES):
        client.get(url)


def test_a_run_with_its_records(editor) -> None:  # type: ignore[no-untyped-def]
    small, big = run_of(3), run_of(6, offset=3)
    client = signed_in(editor)
    assert count(client, f"/admin/imports/importrun/{small.pk}/change/") == count(
        client, f"/admin/imports/importrun/{big.pk}/change/"
    )
    assert count(client, "/admin/imports/importrun/") == count(client, "/admin/imports/importrun/")
