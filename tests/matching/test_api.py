"""GET /api/v1/claims/similar/ and /api/v1/claims/<id>/relations/ (DESIGN.md section 6)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from matching.models import ClaimRelation, RelationKind
from tests.helpers import (
    ClaimFactory,
    ReviewFactory,
    api,
    index_for_matching,
    prior_check,
)

pytestmark = pytest.mark.django_db

SIMILAR = "/api/v1/claims/similar/"


@pytest.fixture(autouse=True)
def _cached_embedder(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FACTCHECK_EMBEDDER = "tests.helpers.CachedEmbedder"


@pytest.fixture
def checks() -> dict[str, Any]:
    ours = ReviewFactory(
        claim=ClaimFactory(text="The Eiffel Tower will be moved to Las Vegas."), published=True
    )
    draft = ClaimFactory(text="The Eiffel Tower is painted gold every spring.")
    imported = prior_check(
        "The Eiffel Tower is being dismantled and shipped to Las Vegas.",
        rating_label="Pants on Fire",
        url="https://checker.example.net/eiffel",
    )
    ClaimFactory(text="Penguins live at the North Pole.")
    index_for_matching()
    return {"ours": ours, "draft": draft, "imported": imported}


def test_similar_lists_our_claims_in_any_state_and_prior_checks(factchecker, checks) -> None:  # type: ignore[no-untyped-def]
    response = api(factchecker).get(SIMILAR, {"text": "Eiffel tower moved to Las Vegas"})
    assert response.status_code == 200
    results = response.json()["results"]
    kinds = [next(k for k in ("claim", "prior_check") if k in r) for r in results]
    assert set(kinds[:3]) == {"claim", "prior_check"}
    ids = {r["claim"]["id"] for r in results if "claim" in r}
    assert {checks["ours"].claim_id, checks["draft"].pk} <= ids
    [prior] = [r["prior_check"] for r in results if "prior_check" in r]
    assert prior == {
        "id": checks["imported"].pk,
        "publisher": {
            "name": checks["imported"].publisher.name,
            "site": checks["imported"].publisher.site,
        },
        "url": "https://checker.example.net/eiffel",
        "title": checks["imported"].headline,
        "claim_id": checks["imported"].claim_id,
        "claim_text": "The Eiffel Tower is being dismantled and shipped to Las Vegas.",
        "rating_label": "Pants on Fire",
        "verdict": "false",
        "date": checks["imported"].date_published.date().isoformat(),
        "language": "en",
    }
    for result in results:
        assert 0 <= result["score"] <= 1
        assert set(result["reasons"]) <= {"same_text", "same_url", "words", "meaning"}
    ours = next(
        r["claim"] for r in results if r.get("claim", {}).get("id") == checks["ours"].claim_id
    )
    assert ours["status"] == "published"
    assert ours["rating_label"] == checks["ours"].rating.label
    assert ours["verdict"] == "false"


def test_similar_respects_limit(factchecker, checks) -> None:  # type: ignore[no-untyped-def]
    response = api(factchecker).get(SIMILAR, {"text": "Eiffel tower", "limit": 1})
    assert len(response.json()["results"]) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"text": "a claim", "limit": 0}, "limit"),
        ({"text": "a claim", "limit": "many"}, "limit"),
        ({"text": "a claim", "limit": 51}, "limit"),
        ({"text": "a claim", "url": "not a url"}, "url"),
        ({"text": "a claim", "language": "english!"}, "language"),
        ({"text": "a claim", "exclude": "99999999999999999999999"}, "exclude"),
        # Empty or unknown parameters are refused, as on every other read (core.input); DRF
        # alone would take an empty optional one for an absent one.
        ({"text": "a claim", "language": ""}, "language"),
        ({"text": "a claim", "url": ""}, "url"),
        ({"text": "a claim", "lang": "en"}, "lang"),
    ],
)
def test_similar_refuses_bad_input_with_field_errors(factchecker, params, field) -> None:  # type: ignore[no-untyped-def]
    response = api(factchecker).get(SIMILAR, params)
    assert response.status_code == 400
    assert field in response.json()


def test_similar_is_for_the_newsroom_only(anonymous, nobody, checks) -> None:  # type: ignore[no-untyped-def]
    assert api(anonymous).get(SIMILAR, {"text": "Eiffel"}).status_code == 401
    assert api(nobody).get(SIMILAR, {"text": "Eiffel"}).status_code == 403


def test_similar_queries_do_not_grow_with_the_results(  # type: ignore[no-untyped-def]
    factchecker, checks, django_assert_num_queries
) -> None:
    client = api(factchecker)
    client.get(SIMILAR, {"text": "Eiffel tower moved to Las Vegas"})  # load the models
    # token + user; the role's permissions (user's, groups'); the candidates with their signals
    # (PostgreSQL: one statement, with HNSW's breadth set in the same message; SQLite: exact
    # text; words: stats, terms, postings best first, exact BM25 of the candidates; meaning:
    # every vector, so no candidate is left without its cosine); results: claims with their
    # entry, reviews with publisher, rating and scale, the scales' ratings
    with django_assert_num_queries(7 if connection.vendor == "postgresql" else 12):
        response = client.get(SIMILAR, {"text": "Eiffel tower moved to Las Vegas", "limit": 50})
    assert len(response.json()["results"]) >= 4


# --- relations ----------------------------------------------------------------------------------


def relations(claim_id: int) -> str:
    return f"/api/v1/claims/{claim_id}/relations/"


def test_an_editor_links_a_prior_check_as_the_same_claim(editor, checks) -> None:  # type: ignore[no-untyped-def]
    claim, prior = checks["draft"], checks["imported"]
    response = api(editor).post(relations(claim.pk), {"prior_check": prior.pk, "kind": "same"})
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "same"
    assert body["prior_check"] == prior.pk
    assert body["claim"] is None
    assert body["created_by"] == "editor"
    relation = ClaimRelation.objects.get()
    assert (relation.claim, relation.prior_check, relation.created_by) == (claim, prior, editor)
    listed = api(editor).get(relations(claim.pk)).json()
    assert [r["id"] for r in listed] == [relation.pk]


def test_linking_again_with_another_kind_changes_it_and_the_same_again_is_409(
    editor, checks
) -> None:  # type: ignore[no-untyped-def]
    url, target = relations(checks["draft"].pk), {"prior_check": checks["imported"].pk}
    assert api(editor).post(url, {**target, "kind": "same"}).status_code == 201
    assert api(editor).post(url, {**target, "kind": "same"}).status_code == 409
    assert api(editor).post(url, {**target, "kind": "related"}).status_code == 201
    assert ClaimRelation.objects.get().kind == RelationKind.RELATED


def test_a_claim_can_be_related_to_another_claim_but_not_itself(editor, checks) -> None:  # type: ignore[no-untyped-def]
    claim, other = checks["draft"], checks["ours"].claim
    client = api(editor)
    assert (
        client.post(relations(claim.pk), {"claim": other.pk, "kind": "related"}).status_code == 201
    )
    response = client.post(relations(claim.pk), {"claim": claim.pk, "kind": "related"})
    assert response.status_code == 400
    assert "claim" in response.json()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"kind": "same"},
        {"prior_check": 1, "claim": 1},
        {"prior_check": "x"},
        {"prior_check": 1, "kind": "maybe"},
    ],
)
def test_a_relation_needs_one_target_and_a_known_kind(editor, checks, body) -> None:  # type: ignore[no-untyped-def]
    response = api(editor).post(relations(checks["draft"].pk), body)
    assert response.status_code == 400
    assert ClaimRelation.objects.count() == 0


def test_our_own_review_is_not_a_prior_check(editor, checks) -> None:  # type: ignore[no-untyped-def]
    response = api(editor).post(
        relations(checks["draft"].pk), {"prior_check": checks["ours"].pk, "kind": "same"}
    )
    assert response.status_code == 400
    assert "prior_check" in response.json()


def test_delete_removes_the_link_and_then_404(editor, checks) -> None:  # type: ignore[no-untyped-def]
    url, target = relations(checks["draft"].pk), {"prior_check": checks["imported"].pk}
    client = api(editor)
    client.post(url, {**target, "kind": "same"})
    assert client.delete(url, target).status_code == 204
    assert ClaimRelation.objects.count() == 0
    assert client.delete(url, target).status_code == 404
    assert client.delete(f"{url}?prior_check={checks['imported'].pk}").status_code == 404


def test_relations_of_unknown_claims_or_targets_are_404(editor, checks) -> None:  # type: ignore[no-untyped-def]
    client = api(editor)
    assert client.post(relations(999999), {"prior_check": checks["imported"].pk}).status_code == 404
    assert client.post(relations(checks["draft"].pk), {"prior_check": 999999}).status_code == 404


def test_relations_need_a_newsroom_role(anonymous, nobody, checks) -> None:  # type: ignore[no-untyped-def]
    url, body = relations(checks["draft"].pk), {"prior_check": checks["imported"].pk}
    assert api(anonymous).post(url, body).status_code == 401
    assert api(nobody).post(url, body).status_code == 404
    assert api(nobody).get(url).status_code == 404
    assert ClaimRelation.objects.count() == 0
