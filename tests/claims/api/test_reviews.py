"""The editorial API for reviews: /api/v1/reviews/ and the workflow action endpoints."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from claims.claimreview.validator import MISSING_RATING
from claims.models import Claim, Correction, Evidence, Review, ReviewStatus, WorkflowEvent
from claims.permissions import TWO_PERSON_RULE
from claims.services.claims import TWO_FIRST_APPEARANCES
from claims.services.reviews import (
    CLAIM_FIELD_ERROR,
    STALE_VERSION,
    review_correct,
    review_create,
    review_update,
)
from claims.workflow import COMMENT_REQUIRED, NOTE_REQUIRED
from tests.helpers import (
    AppearanceFactory,
    ClaimFactory,
    EvidenceFactory,
    ReviewFactory,
    SourceFactory,
    UserFactory,
    api,
    default_rating,
    draft_by,
    review_row,
)

pytestmark = pytest.mark.django_db

LANGUAGE_MESSAGE = "Enter a BCP 47 language tag such as en, pt-BR or es-419."
DATE_MESSAGE = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."


def reviews_url() -> str:
    return reverse("editorial-review-list")


def review_url(review: Review, action: str = "") -> str:
    if not action:
        return reverse("editorial-review-detail", args=[review.pk])
    return reverse(f"editorial-review-{action}", args=[review.pk])


# --- 401, 403, 404 --------------------------------------------------------------------------


def test_without_credentials_every_endpoint_answers_401(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    client = api()
    assert client.get(reviews_url()).status_code == 401
    assert client.post(reviews_url(), {"headline": "x"}).status_code == 401
    assert client.get(review_url(review)).status_code == 401
    assert client.patch(review_url(review), {"version": 1}).status_code == 401
    assert client.delete(review_url(review)).status_code == 401
    for action in ("submit", "approve", "history", "claimreview"):
        method = client.get if action in ("history", "claimreview") else client.post
        assert method(review_url(review, action)).status_code == 401, action
    assert client.get(reviews_url()).headers["WWW-Authenticate"] == "Token"


def test_a_bad_token_answers_401(factchecker) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(reviews_url()).status_code == 401


def test_a_user_in_no_role_gets_403_on_lists_and_404_on_every_review(  # type: ignore[no-untyped-def]
    nobody, factchecker
) -> None:
    draft = draft_by(factchecker)
    public = ReviewFactory(published=True)
    client = api(nobody)
    assert client.get(reviews_url()).status_code == 403
    assert client.post(reviews_url(), {"claim": draft.claim_id, "headline": "x"}).status_code == 403
    for review in (draft, public):
        assert client.get(review_url(review)).status_code == 404
        assert client.patch(review_url(review), {"version": 1}).status_code == 404
        assert client.post(review_url(review, "approve")).status_code == 404
        assert client.get(review_url(review, "history")).status_code == 404
        assert client.get(review_url(review, "claimreview")).status_code == 404


def test_an_unknown_review_is_404(editor) -> None:  # type: ignore[no-untyped-def]
    assert api(editor).get("/api/v1/reviews/999999/").status_code == 404


def test_imported_reviews_are_not_part_of_the_editorial_api(editor) -> None:  # type: ignore[no-untyped-def]
    imported = ReviewFactory(imported=True)
    assert api(editor).get(review_url(imported)).status_code == 404
    assert api(editor).get(reviews_url()).json()["results"] == []


def test_a_fact_checker_may_not_edit_or_submit_someone_elses_draft(  # type: ignore[no-untyped-def]
    factchecker, factchecker2
) -> None:
    review = draft_by(factchecker)
    before = review_row(review)
    client = api(factchecker2)
    assert client.get(review_url(review)).status_code == 200  # the newsroom sees every draft
    response = client.patch(review_url(review), {"version": 1, "headline": "Mine now"})
    assert response.status_code == 403
    assert client.post(review_url(review, "submit")).status_code == 403
    assert review_row(review) == before


def test_the_two_person_rule_answers_403_with_its_reason(editor) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(editor, status=ReviewStatus.IN_REVIEW)
    response = api(editor).post(review_url(review, "approve"))
    assert response.status_code == 403
    assert response.json() == {"detail": TWO_PERSON_RULE}
    assert review_row(review)["status"] == "in_review"


# --- create and edit ------------------------------------------------------------------------


def test_a_fact_checker_creates_a_draft_with_evidence(factchecker) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    source = SourceFactory()
    response = api(factchecker).post(
        reviews_url(),
        {
            "claim": claim.pk,
            "rating": "false",
            "headline": "He did meet the ambassador",
            "summary": "Twice.",
            "body": "In July and September.",
            "evidence": [{"source": source.pk, "quote": "Met twice.", "stance": "refutes"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft"
    assert data["version"] == 1
    assert data["rating"] == "false"
    assert data["authors"] == ["factchecker"]
    assert data["evidence"] == [
        {
            "id": data["evidence"][0]["id"],
            "source": source.pk,
            "quote": "Met twice.",
            "stance": "refutes",
            "note": "",
            "order": 0,
        }
    ]
    review = Review.objects.get(pk=data["id"])
    assert review.events.get().action == "create"


SERVER_OWNED = {
    "id": 424242,
    "status": "published",
    "version": 99,
    "authors": ["editor"],
    "created_by": "editor",
    "approved_by": "editor",
    "published_by": "publisher",
    "publish_at": "2017-03-02T18:00:00Z",
    "date_published": "2017-03-02T18:00:00Z",
    "date_modified": "2017-03-03T18:00:00Z",
    "withdrawn_at": "2017-03-04T18:00:00Z",
    "withdrawal_note": "Gone.",
    "publisher": 1,
    "is_public": True,
}


def test_create_ignores_every_field_the_server_owns(factchecker, editor, publisher) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    response = api(factchecker).post(
        reviews_url(), {"claim": claim.pk, "headline": "Sneaky", **SERVER_OWNED}, format="json"
    )
    assert response.status_code == 201
    review = Review.objects.get(headline="Sneaky")
    assert review.pk != 424242
    assert (review.status, review.version, review.publisher_id) == ("draft", 1, None)
    assert list(review.authors.all()) == [factchecker]
    assert (review.created_by, review.approved_by, review.published_by) == (factchecker, None, None)
    assert (review.publish_at, review.date_published, review.date_modified) == (None, None, None)
    assert (review.withdrawn_at, review.withdrawal_note) == (None, "")


def test_patch_ignores_every_field_the_server_owns(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    before = review_row(review)
    response = api(factchecker).patch(
        review_url(review), {**SERVER_OWNED, "version": 1}, format="json"
    )
    assert response.status_code == 200
    assert review_row(review) == before
    assert list(review.authors.all()) == [factchecker]
    assert not WorkflowEvent.objects.exists()


def test_patch_edits_content_and_bumps_the_version(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    response = api(factchecker).patch(
        review_url(review), {"version": 1, "headline": "Clearer", "rating": "mostly-false"}
    )
    assert response.status_code == 200
    assert (response.json()["headline"], response.json()["version"]) == ("Clearer", 2)
    review.refresh_from_db()
    assert (review.headline, review.rating.slug, review.version) == ("Clearer", "mostly-false", 2)


def test_patch_replaces_the_evidence_list(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    kept, dropped = EvidenceFactory(review=review), EvidenceFactory(review=review)
    added = SourceFactory()
    response = api(factchecker).patch(
        review_url(review),
        {
            "version": 1,
            "evidence": [
                {"source": added.pk, "quote": "New", "stance": "supports"},
                {"id": kept.pk, "source": kept.source_id, "quote": "Kept", "stance": "refutes"},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    evidence = response.json()["evidence"]
    assert [(e["source"], e["quote"], e["order"]) for e in evidence] == [
        (added.pk, "New", 0),
        (kept.source_id, "Kept", 1),
    ]
    assert evidence[1]["id"] == kept.pk
    assert not Evidence.objects.filter(pk=dropped.pk).exists()


def test_a_stale_patch_gets_409_and_changes_nothing(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    assert api(editor).patch(review_url(review), {"version": 1, "headline": "A"}).status_code == 200
    before = review_row(review)
    response = api(factchecker).patch(review_url(review), {"version": 1, "headline": "B"})
    assert response.status_code == 409
    assert response.json() == {
        "detail": STALE_VERSION.format(based_on=1, current=2),
        "code": "stale_version",
    }
    assert review_row(review) == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"headline": "No version"}, "version"),
        ({"version": "two"}, "version"),
        ({"version": 1, "rating": "not-a-rating"}, "rating"),
        ({"version": 1, "headline": ""}, "headline"),
        ({"version": 1, "claim": 999999}, "claim"),
        ({"version": 1, "language": "not a language tag"}, "language"),
        ({"version": 1, "evidence": [{"source": 999999}]}, "evidence"),
        ({"version": 1, "evidence": [{"source": 1, "stance": "maybe"}]}, "evidence"),
        ({"version": 1, "evidence": "none"}, "evidence"),
    ],
)
def test_bad_input_gets_400_with_the_field_named(payload, field, factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    SourceFactory(pk=1)
    before = review_row(review)
    response = api(factchecker).patch(review_url(review), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert review_row(review) == before


def test_a_body_that_is_not_json_gets_400(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    response = api(factchecker).generic(
        "PATCH", review_url(review), "{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_editing_a_published_review_gets_409_pointing_at_corrections(  # type: ignore[no-untyped-def]
    publisher,
) -> None:
    review = ReviewFactory(published=True)
    response = api(publisher).patch(review_url(review), {"version": 1, "headline": "Quietly"})
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert "correction" in response.json()["detail"]


def test_put_is_not_offered(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    assert api(factchecker).put(review_url(review), {"version": 1}).status_code == 405


# --- actions --------------------------------------------------------------------------------


def test_an_action_not_allowed_now_gets_409(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    response = api(editor).post(review_url(review, "approve"))
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert review_row(review)["status"] == "draft"


def test_requesting_changes_without_a_comment_gets_400(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker, status=ReviewStatus.IN_REVIEW)
    response = api(editor).post(review_url(review, "request-changes"), {})
    assert response.status_code == 400
    assert response.json() == {"comment": [COMMENT_REQUIRED]}
    response = api(editor).post(review_url(review, "request-changes"), {"comment": "Cite it."})
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_publishing_an_invalid_claimreview_gets_400_naming_the_field(
    factchecker, publisher
) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker, rating=None, status=ReviewStatus.APPROVED)
    response = api(publisher).post(review_url(review, "publish"))
    assert response.status_code == 400
    assert response.json() == {"claimreview": [MISSING_RATING]}
    assert review_row(review)["status"] == "approved"


def test_publishing_at_a_future_time_schedules_the_review(factchecker, publisher) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker, status=ReviewStatus.APPROVED)
    at = (timezone.now() + datetime.timedelta(days=1)).replace(microsecond=0)
    response = api(publisher).post(
        review_url(review, "publish"), {"publish_at": at.isoformat()}, format="json"
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["status"], data["is_public"], data["published_by"]) == (
        "published",
        False,
        "publisher",
    )
    assert datetime.datetime.fromisoformat(data["publish_at"]) == at
    assert not Review.objects.published().exists()


@pytest.mark.parametrize("publish_at", ["yesterday", "2001-01-01T00:00:00Z"])
def test_publishing_at_a_bad_time_gets_400(publish_at, factchecker, publisher) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker, status=ReviewStatus.APPROVED)
    response = api(publisher).post(review_url(review, "publish"), {"publish_at": publish_at})
    assert response.status_code == 400
    assert "publish_at" in response.json()


def test_a_correction_through_the_api(publisher) -> None:  # type: ignore[no-untyped-def]
    review = ReviewFactory(published=True)
    response = api(publisher).post(
        review_url(review, "correct"),
        {
            "kind": "update",
            "note": "We added the transcript.",
            "version": 1,
            "body": "The full story, with the transcript.",
            "status": "draft",  # server-owned: ignored
        },
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["status"], data["body"], data["version"]) == (
        "published",
        "The full story, with the transcript.",
        2,
    )
    assert data["date_modified"] is not None
    correction = Correction.objects.get(review=review)
    assert (correction.kind, correction.created_by) == ("update", publisher)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "verdict_change", "rating": "mostly-false"}, "kind"),
        ({"kind": "correction", "rating": "mostly-false"}, "rating"),
        ({"kind": "correction", "evidence": [{"source": 1, "quote": "Fixed."}]}, "evidence"),
        ({"kind": "correction", "evidence": []}, "evidence"),
    ],
)
def test_a_publisher_alone_cannot_change_the_verdict_or_evidence(  # type: ignore[no-untyped-def]
    payload, field, publisher
) -> None:
    """correct/ refuses what needs a revision with a 400 naming the field; nothing changes,
    nothing public is recorded."""
    review = ReviewFactory(published=True)
    EvidenceFactory(review=review)
    before = review_row(review)
    response = api(publisher).post(
        review_url(review, "correct"),
        {"note": "Fixed the quoted figure.", "version": 1, **payload},
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert review_row(review) == before
    assert not Correction.objects.exists()
    assert list(review.evidence.values_list("quote", flat=True)) == ["The quote that matters."]


def test_a_correction_through_the_api_fixes_the_claim(publisher) -> None:  # type: ignore[no-untyped-def]
    review = ReviewFactory(published=True)
    first = AppearanceFactory(claim=review.claim, first=True)
    slug = review.claim.slug
    client = api(publisher)
    response = client.post(
        review_url(review, "correct"),
        {
            "kind": "correction",
            "note": "We had the venue wrong.",
            "version": 1,
            "claim": {
                "venue": "Senate Judiciary Committee",
                "date_claimed": "2017-01-11",
                "slug": "a-new-address",  # never written: ignored
                "appearances": [
                    {"url": first.url, "first": True},
                    {"url": "https://example.org/transcript", "title": "Transcript"},
                ],
            },
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    claim = review.claim
    claim.refresh_from_db()
    assert (claim.venue, claim.date_claimed, claim.slug) == (
        "Senate Judiciary Committee",
        datetime.date(2017, 1, 11),
        slug,
    )
    assert list(claim.appearances.values_list("url", flat=True)) == [
        first.url,
        "https://example.org/transcript",
    ]
    history = client.get(review_url(review, "history")).json()
    change = next(c for c in history["changes"] if c["model"] == "claim")
    assert (change["by"], change["reason"]) == ("publisher", "correct")
    venue = next(f for f in change["field_changes"] if f["field"] == "venue")
    assert venue["new"] == "Senate Judiciary Committee"


TWO_FIRSTS = [
    {"url": "https://a.example.org/", "first": True},
    {"url": "https://b.example.org/", "first": True},
]


@pytest.mark.parametrize(
    ("claim", "errors"),
    [
        ({"date_claimed": "yesterday"}, {"date_claimed": [DATE_MESSAGE]}),
        ({"text": ""}, {"text": ["This field may not be blank."]}),
        ({"language": "english please"}, {"language": [LANGUAGE_MESSAGE]}),
        (
            {"appearances": [{"url": "nope"}]},
            {"appearances": {"0": {"url": ["Enter a valid URL."]}}},
        ),
        (
            {"appearances": TWO_FIRSTS},
            [CLAIM_FIELD_ERROR.format(field="appearances", message=TWO_FIRST_APPEARANCES)],
        ),
        ("text", {"non_field_errors": ["Invalid data. Expected a dictionary, but got str."]}),
    ],
)
def test_a_correction_with_bad_claim_fields_gets_400_under_claim(claim, errors, publisher) -> None:  # type: ignore[no-untyped-def]
    review = ReviewFactory(published=True)
    AppearanceFactory(claim=review.claim, first=True)
    before = Claim.objects.filter(pk=review.claim_id).values().get()
    response = api(publisher).post(
        review_url(review, "correct"),
        {"kind": "correction", "note": "Fixing the claim.", "version": 1, "claim": claim},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"claim": errors}
    assert Claim.objects.filter(pk=review.claim_id).values().get() == before
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"kind": "update", "note": ""}, {"note": [NOTE_REQUIRED]}),
        ({"note": "Missing kind."}, {"kind": ["This field is required."]}),
        ({"kind": "erratum", "note": "x"}, {"kind": ['"erratum" is not a valid choice.']}),
    ],
)
def test_a_correction_without_kind_or_note_gets_400(payload, errors, publisher) -> None:  # type: ignore[no-untyped-def]
    review = ReviewFactory(published=True)
    response = api(publisher).post(review_url(review, "correct"), payload)
    assert response.status_code == 400
    assert response.json() == errors
    assert not Correction.objects.exists()


def test_withdraw_and_reopen_through_the_api(publisher) -> None:  # type: ignore[no-untyped-def]
    review = ReviewFactory(published=True)
    client = api(publisher)
    assert client.post(review_url(review, "withdraw"), {}).json() == {"note": [NOTE_REQUIRED]}
    response = client.post(review_url(review, "withdraw"), {"note": "The video was doctored."})
    assert (response.status_code, response.json()["status"]) == (200, "withdrawn")
    assert response.json()["withdrawal_note"] == "The video was doctored."
    response = client.post(review_url(review, "reopen"), {"comment": "New material."})
    assert (response.status_code, response.json()["status"]) == (200, "draft")


def test_deleting_a_draft_and_refusing_to_delete_a_published_review(factchecker, publisher) -> None:  # type: ignore[no-untyped-def]
    draft = draft_by(factchecker)
    public = ReviewFactory(published=True)
    assert api(publisher).delete(review_url(public)).status_code == 409
    assert api(factchecker).delete(review_url(draft)).status_code == 204
    assert not Review.objects.filter(pk=draft.pk).exists()
    assert Review.objects.filter(pk=public.pk).exists()


# --- reads ------------------------------------------------------------------------------------


def test_history_lists_events_and_field_changes(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    review = review_create(
        by=factchecker, claim=ClaimFactory(), headline="First", rating=default_rating()
    )
    review_update(review=review, by=editor, version=1, changes={"headline": "Second"})
    EvidenceFactory(review=review)
    response = api(factchecker).get(review_url(review, "history"))
    assert response.status_code == 200
    data = response.json()
    assert [(e["action"], e["actor"]) for e in data["events"]] == [
        ("create", "factchecker"),
        ("edit", "editor"),
    ]
    edit = next(c for c in data["changes"] if c["reason"] == "edit" and c["model"] == "review")
    assert edit["by"] == "editor"
    headline = next(f for f in edit["field_changes"] if f["field"] == "headline")
    assert (headline["old"], headline["new"]) == ("First", "Second")
    created = data["changes"][0]
    rating = next(f for f in created["field_changes"] if f["field"] == "rating")
    assert rating["new_display"] == "False"
    assert any(c["model"] == "evidence" and c["type"] == "created" for c in data["changes"])


def test_claimreview_preview_shows_the_document_and_its_validation(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker, rating=None)
    response = api(factchecker).get(review_url(review, "claimreview"))
    assert response.status_code == 200
    data = response.json()
    assert data["claimreview"]["@type"] == "ClaimReview"
    assert data["claimreview"]["headline"] == review.headline
    assert data["validation"]["valid"] is False
    assert {"field": "reviewRating.alternateName", "message": MISSING_RATING} in data["validation"][
        "errors"
    ]


def test_the_list_filters_what_is_waiting_for_me(factchecker, editor) -> None:  # type: ignore[no-untyped-def]
    waiting = draft_by(factchecker, status=ReviewStatus.IN_REVIEW)
    own = draft_by(editor, status=ReviewStatus.IN_REVIEW)
    draft_by(factchecker)
    client = api(editor)
    ids = [r["id"] for r in client.get(reviews_url(), {"todo": "review"}).json()["results"]]
    assert ids == [waiting.pk]
    ids = [r["id"] for r in client.get(reviews_url(), {"todo": "mine"}).json()["results"]]
    assert ids == [own.pk]
    assert client.get(reviews_url(), {"status": "nonsense"}).status_code == 400


def test_the_claim_filter_finds_the_reviews_of_one_claim(factchecker) -> None:  # type: ignore[no-untyped-def]
    wanted, _other = draft_by(factchecker), draft_by(factchecker)
    response = api(factchecker).get(reviews_url(), {"claim": wanted.claim_id})
    assert [r["id"] for r in response.json()["results"]] == [wanted.pk]


# Beyond 64 bits (the first two overflowed SQLite's parameter binding: a 500), not whole numbers,
# or no id at all.
BAD_IDS = ["99999999999999999999999", "9223372036854775808", "-9223372036854775809", "0", "-1"]
BAD_IDS += ["1.5", "1e3", "two"]


@pytest.mark.parametrize("value", BAD_IDS)
def test_a_claim_filter_that_is_no_id_gets_400(value, factchecker) -> None:  # type: ignore[no-untyped-def]
    draft_by(factchecker)
    response = api(factchecker).get(reviews_url(), {"claim": value})
    assert response.status_code == 400
    assert list(response.json()) == ["claim"]


def test_the_largest_id_is_a_valid_claim_filter_matching_nothing(factchecker) -> None:  # type: ignore[no-untyped-def]
    draft_by(factchecker)
    response = api(factchecker).get(reviews_url(), {"claim": "9223372036854775807"})
    assert (response.status_code, response.json()["results"]) == (200, [])


@pytest.mark.parametrize(
    "value", ["99999999999999999999999", "9223372036854775808", "-9223372036854775809"]
)
@pytest.mark.parametrize("collection", ["reviews", "claims", "claimants", "sources"])
def test_an_id_beyond_64_bits_in_a_url_is_404(value, collection, factchecker) -> None:  # type: ignore[no-untyped-def]
    draft_by(factchecker)
    client = api(factchecker)
    assert client.get(f"/api/v1/{collection}/{value}/").status_code == 404
    assert client.patch(f"/api/v1/{collection}/{value}/", {"version": 1}).status_code == 404
    if collection == "reviews":
        assert client.get(f"/api/v1/reviews/{value}/history/").status_code == 404
        assert client.post(f"/api/v1/reviews/{value}/submit/").status_code == 404


@pytest.mark.parametrize("value", ["99999999999999999999999", "9223372036854775808"])
def test_ids_beyond_64_bits_in_a_body_get_400(value, factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    client = api(factchecker)
    response = client.post(reviews_url(), {"claim": value, "headline": "x"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["claim"])
    response = client.patch(
        review_url(review),
        {"version": 1, "evidence": [{"id": value, "source": value}]},
        format="json",
    )
    assert (response.status_code, list(response.json())) == (400, ["evidence"])
    response = client.post("/api/v1/claims/", {"text": "x", "claimant": value}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["claimant"])


def _reviews_with_evidence(n: int, author: Any) -> None:
    for _ in range(n):
        review = draft_by(author)
        EvidenceFactory(review=review)
        EvidenceFactory(review=review)
        review.authors.add(UserFactory())


@pytest.mark.parametrize("rows", [3, 6])
def test_the_review_list_costs_the_same_whatever_the_rows(  # type: ignore[no-untyped-def]
    rows, factchecker, django_assert_num_queries
) -> None:
    _reviews_with_evidence(rows, factchecker)
    client = api(factchecker)
    # token + user; the user's permissions and their groups' permissions; count; the page
    # with rating and the three users joined; authors; evidence.
    with django_assert_num_queries(7):
        response = client.get(reviews_url())
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


def test_the_review_detail_query_count(factchecker, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    _reviews_with_evidence(3, factchecker)
    review = Review.objects.first()
    client = api(factchecker)
    # token + user; the user's and their groups' permissions; the review with rating and
    # users joined; authors; evidence.
    with django_assert_num_queries(6):
        assert client.get(review_url(review)).status_code == 200


def _published_with_history(rows: int, author: Any, publisher: Any) -> Review:
    """A published review with `rows` evidence entries, authors and corrections (each
    changing the review and its claim), so its history and ClaimReview have rows of each."""
    review = ReviewFactory(published=True)
    review.authors.add(author)
    AppearanceFactory(claim=review.claim, first=True)
    for i in range(rows):
        EvidenceFactory(review=review)
        AppearanceFactory(claim=review.claim)
        review.authors.add(UserFactory())
        review.refresh_from_db()
        review_correct(
            review=review,
            by=publisher,
            kind="update",
            note=f"Update {i}.",
            version=review.version,
            changes={"headline": f"Headline {i}"},
            claim_changes={"venue": f"Venue {i}"},
        )
    return review


@pytest.mark.parametrize("rows", [3, 6])
def test_the_history_costs_the_same_whatever_its_length(  # type: ignore[no-untyped-def]
    rows, factchecker, publisher, django_assert_num_queries
) -> None:
    review = _published_with_history(rows, factchecker, publisher)
    client = api(factchecker)
    # token + user; the user's and their groups' permissions; the review; the history of the
    # review, of its evidence and of its claim; the names of the claims, ratings and sources
    # the changes mention; the workflow events with their actors.
    with django_assert_num_queries(11):
        response = client.get(review_url(review, "history"))
    data = response.json()
    assert len([c for c in data["changes"] if c["model"] == "claim"]) == rows
    assert len([e for e in data["events"] if e["action"] == "correct"]) == rows


@pytest.mark.parametrize("rows", [3, 6])
def test_the_claimreview_preview_costs_the_same_whatever_its_lists(  # type: ignore[no-untyped-def]
    rows, factchecker, publisher, django_assert_num_queries
) -> None:
    review = _published_with_history(rows, factchecker, publisher)
    client = api(factchecker)
    # token + user; the user's and their groups' permissions; the review with claim,
    # claimant, rating and scale; appearances; corrections; the scale's ratings.
    with django_assert_num_queries(7):
        response = client.get(review_url(review, "claimreview"))
    document = response.json()["claimreview"]
    assert len(document["correction"]) == rows
    assert len(document["itemReviewed"]["appearance"]) == rows + 1


def test_session_authentication_works_too(client, factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    client.force_login(factchecker)
    assert client.get(review_url(review)).status_code == 200


def test_every_editorial_endpoint_is_in_the_openapi_schema(editor) -> None:  # type: ignore[no-untyped-def]
    response = api(editor).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/claimants/",
        "/api/v1/claimants/{id}/",
        "/api/v1/claims/",
        "/api/v1/claims/{id}/",
        "/api/v1/sources/",
        "/api/v1/sources/{id}/",
        "/api/v1/reviews/",
        "/api/v1/reviews/{id}/",
        "/api/v1/reviews/{id}/submit/",
        "/api/v1/reviews/{id}/request-changes/",
        "/api/v1/reviews/{id}/approve/",
        "/api/v1/reviews/{id}/publish/",
        "/api/v1/reviews/{id}/correct/",
        "/api/v1/reviews/{id}/withdraw/",
        "/api/v1/reviews/{id}/reopen/",
        "/api/v1/reviews/{id}/history/",
        "/api/v1/reviews/{id}/claimreview/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/reviews/{id}/"]) >= {"get", "patch", "delete"}
    assert "put" not in paths["/api/v1/reviews/{id}/"]


def test_the_openapi_schema_generates_without_warnings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    assert "/api/v1/reviews/{id}/publish/" in (tmp_path / "schema.yml").read_text()
