"""The matching path reads claims and reviews through indexes only: every query similar_claims()
makes is EXPLAINed on PostgreSQL with sequential scans disabled, so a "Seq Scan" left in a plan
means no index can serve that query (the cost would grow with the table)."""

from __future__ import annotations

import pytest
import sqlparse
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.services import similar_claims
from tests.helpers import (
    AppearanceFactory,
    ClaimFactory,
    ReviewFactory,
    index_for_matching,
    prior_check,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TABLES = (
    "claims_claim",
    "claims_review",
    "matching_matchentry",
    "matching_posting",
    "matching_matchurl",
    "matching_term",
)


@pytest.fixture(autouse=True)
def _cached_embedder(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FACTCHECK_EMBEDDER = "tests.helpers.CachedEmbedder"


def test_no_sequential_scan_of_claims_or_reviews_on_the_matching_path() -> None:
    for n in range(3):
        review = ReviewFactory(
            claim__text=f"The Eiffel Tower will be moved to Las Vegas, part {n}.", published=True
        )
        AppearanceFactory(claim=review.claim, url=f"https://video.example.org/{n}")
        prior_check(f"The Eiffel Tower is being shipped to Nevada, report {n}.")
    ClaimFactory(text="Penguins live at the North Pole.")
    index_for_matching()
    with CaptureQueriesContext(connection) as captured:
        matches = similar_claims(
            text="Eiffel tower moved to Las Vegas",
            url="https://video.example.org/1",
            language="en",
        )
    assert matches
    # Each statement of each message (the candidates' statement comes with its settings).
    selects = [
        statement
        for q in captured.captured_queries
        for statement in sqlparse.split(q["sql"])
        if statement.lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    # settings; the candidates; claims; reviews; the scales' ratings
    assert len(selects) == 5
    assert "matching_posting" in selects[1]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in selects:
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            for table in TABLES:
                assert f"Seq Scan on {table}" not in plan, f"{sql}\n{plan}"
