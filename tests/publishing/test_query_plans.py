"""No public path reads a whole table (issue 13): every query of every public page and API
endpoint can be answered from an index, so nothing public grows with the table.

PostgreSQL only. Each query a public request runs is EXPLAINed with `enable_seqscan = off`: the
planner then uses any index that can serve the query, and a "Seq Scan" left in a plan means no
index can. (With seq scans allowed, a test database this small would be scanned whatever the
indexes.) Search (`/search/`, `q=`, claims:search) is the matching issue's and not checked here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims.public_state import forget as forget_public_state
from tests.helpers import CorrectionFactory, make_fact_check

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _seq_scans(plan: Any) -> list[str]:
    found = []
    if isinstance(plan, dict):
        if plan.get("Node Type") == "Seq Scan":
            found.append(plan.get("Relation Name", "?"))
        for value in plan.values():
            found += _seq_scans(value)
    elif isinstance(plan, list):
        for value in plan:
            found += _seq_scans(value)
    return found


def test_no_public_path_needs_a_sequential_scan(client: Client) -> None:
    reviews = [make_fact_check(headline=f"Check {n}", text=f"Claim {n}.") for n in range(3)]
    CorrectionFactory(review=reviews[0])
    claim = reviews[0].claim
    topic = claim.topics.get()
    first = client.get("/api/v1/claim-reviews/?page_size=1").json()
    urls = [
        "/",
        "/?rating=false",
        "/?page=2",
        "/?page=999999",  # the deepest page (reader.views.MAX_PAGES)
        "/?rating=false&page=999999",
        f"/claims/{claim.slug}/",
        f"/claims/{claim.slug}/embed/",
        f"/claimants/{claim.claimant.slug}/",
        f"/claimants/{claim.claimant.slug}/?page=999999",
        "/ratings/",
        "/corrections/",
        "/corrections/?page=999999",
        "/ratings.css",
        "/feeds/latest/",
        "/sitemap.xml",
        "/sitemap-claims.xml",
        "/sitemap-claimants.xml",
        "/api/v1/claim-reviews/",
        "/api/v1/claim-reviews/?ordering=-modified",
        "/api/v1/claim-reviews/?ordering=published",
        first["next"].split("testserver", 1)[1],
        f"/api/v1/claim-reviews/?claimant={claim.claimant.slug}",
        "/api/v1/claim-reviews/?rating=false",
        f"/api/v1/claim-reviews/?topic={topic.slug}",
        "/api/v1/claim-reviews/?language=en",
        "/api/v1/claim-reviews/?published_after=2017-01-01&published_before=2999-01-01",
        f"/api/v1/claim-reviews/{claim.slug}/",
        "/api/v1/ratings/",
        "/api/v1/feed/",
    ]
    scans: dict[str, list[str]] = {}
    for url in urls:
        cache.clear()
        forget_public_state()  # the state's own query is checked too
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, url
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            for query in queries.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                for table in _seq_scans(plan):
                    scans.setdefault(url, []).append(f"{table}: {sql[:200]}")
    assert not scans, json.dumps(scans, indent=1)
