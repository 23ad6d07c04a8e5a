"""Property-based: whatever JSON a client sends to any editorial endpoint (known field names
with values of any type, unknown names, deep or odd text, query parameters), the answer is
never a server error, always JSON, and a refusal (4xx) writes nothing.

Bounded (EXAMPLES per endpoint) so the whole module runs in well under a minute; the same
check over far more cases, against a live server and the OpenAPI document, is
scripts/api_schema_check.py in .ci/run.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.models import Claim, Claimant, Correction, Evidence, Review, WorkflowEvent
from sources.models import Source
from tests.helpers import ClaimantFactory, SourceFactory, api, draft_by, publish

pytestmark = pytest.mark.django_db

EXAMPLES = 10

NAMES = [
    "id", "name", "slug", "kind", "job_title", "same_as", "image_url", "text", "short_text",
    "claimant", "date_claimed", "venue", "language", "topics", "appearances", "url",
    "archived_url", "title", "date", "first", "publisher", "author", "date_published",
    "accessed_at", "claim", "rating", "headline", "summary", "body", "version", "evidence",
    "source", "quote", "stance", "note", "comment", "publish_at", "status",
]  # fmt: skip
TEXT = st.text(max_size=20) | st.sampled_from(["\x00", "\ud800", "a\u202eb", "https://e.org/"])
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(NAMES) | TEXT, inner, max_size=3)
    ),
    max_leaves=10,
)
BODIES = st.dictionaries(st.sampled_from(NAMES) | TEXT, JSON, max_size=6) | JSON
PARAMS = st.dictionaries(
    st.sampled_from(["page", "page_size", "status", "rating", "author", "todo", "claim", "x"]),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=8),  # a URL has no surrogates
    max_size=3,
)

# (method, path): every editorial operation; {review}, {draft}, {claim}... filled per test.
ENDPOINTS = [
    ("get", "/api/v1/claimants/"),
    ("post", "/api/v1/claimants/"),
    ("get", "/api/v1/claimants/{claimant}/"),
    ("patch", "/api/v1/claimants/{claimant}/"),
    ("delete", "/api/v1/claimants/{claimant}/"),
    ("get", "/api/v1/claims/"),
    ("post", "/api/v1/claims/"),
    ("get", "/api/v1/claims/{claim}/"),
    ("patch", "/api/v1/claims/{claim}/"),
    ("delete", "/api/v1/claims/{claim}/"),
    ("get", "/api/v1/sources/"),
    ("post", "/api/v1/sources/"),
    ("get", "/api/v1/sources/{source}/"),
    ("patch", "/api/v1/sources/{source}/"),
    ("delete", "/api/v1/sources/{source}/"),
    ("get", "/api/v1/reviews/"),
    ("post", "/api/v1/reviews/"),
    ("get", "/api/v1/reviews/{draft}/"),
    ("patch", "/api/v1/reviews/{draft}/"),
    ("delete", "/api/v1/reviews/{draft}/"),
    ("get", "/api/v1/reviews/{review}/history/"),
    ("get", "/api/v1/reviews/{review}/claimreview/"),
    ("post", "/api/v1/reviews/{draft}/submit/"),
    ("post", "/api/v1/reviews/{draft}/request-changes/"),
    ("post", "/api/v1/reviews/{draft}/approve/"),
    ("post", "/api/v1/reviews/{draft}/publish/"),
    ("post", "/api/v1/reviews/{review}/correct/"),
    ("post", "/api/v1/reviews/{review}/withdraw/"),
    ("post", "/api/v1/reviews/{review}/reopen/"),
]


@pytest.fixture
def ids(factchecker) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The rows the paths name, made once per endpoint (not per example: what one example
    writes, or deletes, the next ones see, as a real client's would)."""
    review = publish()
    draft = draft_by(factchecker)
    return {
        "review": review.pk,
        "draft": draft.pk,
        "claim": draft.claim_id,
        "claimant": ClaimantFactory().pk,
        "source": SourceFactory().pk,
    }


def counts() -> dict[str, int]:
    models = (Claim, Claimant, Source, Review, Evidence, Correction, WorkflowEvent)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=BODIES, params=PARAMS)
def test_no_input_reaches_a_server_error(  # type: ignore[no-untyped-def]
    method: str, path: str, body: Any, params: dict[str, str], ids, publisher
) -> None:
    url = path.format(**ids)
    client = api(publisher)
    before = counts()
    if method == "get":
        response = client.get(url, params)
    else:
        # As a client sends it: json.dumps writes a lone surrogate as the escape "\ud800".
        response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
    assert response.status_code < 500, (method, url, body, response.content[:300])
    if response.status_code != 204:
        assert response["Content-Type"] == "application/json", response["Content-Type"]
        response.json()
    if 400 <= response.status_code < 500:
        assert counts() == before, (method, url, body, response.json())
