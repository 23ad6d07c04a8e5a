"""Revisions through the editorial API (DESIGN.md section 6): POST /api/v1/reviews/<id>/revisions/
starts one, /api/v1/revisions/<id>/ reads, edits (PATCH with version) and discards it (DELETE),
and its actions submit/, request-changes/, approve/, publish/ (kind, note) run the workflow.

The first test is issue 11's "Done when": as the demo accounts, a published verdict and one
evidence quote are changed by a revision a fact-checker drafts, an editor approves and a
publisher publishes; the public page keeps the old content until that moment."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from claims.claimreview.builder import iso_datetime
from claims.models import Correction, Review, Revision, RevisionStatus
from tests.helpers import (
    EvidenceFactory,
    ReviewFactory,
    api,
    default_rating,
    jsonld_blocks,
    published,
    review_row,
)

pytestmark = pytest.mark.django_db

SESSIONS = "sessions-did-not-have-communications-with-the-russians"


def revisions_url(review: Review) -> str:
    return f"/api/v1/reviews/{review.pk}/revisions/"


def revision_url(revision_id: int, action: str = "") -> str:
    return f"/api/v1/revisions/{revision_id}/" + (f"{action}/" if action else "")


def public_page(slug: str) -> str:
    response = Client().get(f"/claims/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def claimreview(slug: str) -> dict[str, Any]:
    (block,) = jsonld_blocks(public_page(slug))
    assert block["@type"] == "ClaimReview"
    return block


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json() if response.content else None


class Committed:
    """An API client whose every request runs its on-commit callbacks (the page cache's
    invalidation among them), as a real request's committed transaction would."""

    def __init__(self, client: Any, capture: Any) -> None:
        self.client, self.capture = client, capture

    def __getattr__(self, method: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            with self.capture(execute=True):
                return getattr(self.client, method)(*args, **kwargs)

        return call


def test_the_demo_newsroom_changes_a_verdict_and_a_quote_through_a_revision(
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    call_command("load_demo", verbosity=0)
    factchecker, editor, publisher = (
        Committed(api(User.objects.get(username=name)), django_capture_on_commit_callbacks)
        for name in ("factchecker", "editor", "publisher")
    )
    review = Review.objects.published().get(claim__slug=SESSIONS)
    before = claimreview(SESSIONS)
    assert before["reviewRating"]["alternateName"] == "False"
    first_quote = review.evidence.order_by("order", "id").first()
    assert first_quote is not None
    old_quote = first_quote.quote
    old_page = public_page(SESSIONS)

    # The fact-checker starts and drafts it: a new verdict and one quote fixed.
    revision = ok(factchecker.post(revisions_url(review), {}, format="json"), 201)
    assert (revision["status"], revision["rating"], revision["based_on"]) == (
        "draft",
        "false",
        review.version,
    )
    assert [e["quote"] for e in revision["evidence"]] == list(
        review.evidence.order_by("order", "id").values_list("quote", flat=True)
    )
    evidence = [
        {k: e[k] for k in ("id", "source", "quote", "stance", "note")} for e in revision["evidence"]
    ]
    evidence[0]["quote"] = "The corrected quote, as the transcript has it."
    revision = ok(
        factchecker.patch(
            revision_url(revision["id"]),
            {"version": 1, "rating": "mostly-false", "evidence": evidence},
            format="json",
        )
    )
    assert (revision["version"], revision["rating"]) == (2, "mostly-false")
    assert revision["evidence"][0]["quote"] == "The corrected quote, as the transcript has it."
    ok(factchecker.post(revision_url(revision["id"], "submit"), {}, format="json"))

    # Nobody approves their own: the fact-checker cannot; the editor can.
    assert factchecker.post(revision_url(revision["id"], "approve"), {}).status_code == 403
    ok(editor.post(revision_url(revision["id"], "approve"), {"comment": "Checked."}))
    assert public_page(SESSIONS) == old_page  # still the old content, until published

    # The publisher publishes it, with a kind and a public note.
    note = "New transcripts: we now rate the claim Mostly false, and fixed a quote."
    published_revision = ok(
        publisher.post(
            revision_url(revision["id"], "publish"),
            {"kind": "verdict_change", "note": note},
            format="json",
        )
    )
    assert published_revision["status"] == "published"
    assert published_revision["correction"]["kind"] == "verdict_change"

    after = claimreview(SESSIONS)
    assert after["reviewRating"]["alternateName"] == "Mostly false"
    review.refresh_from_db()
    assert review.date_modified is not None
    assert after["dateModified"] == iso_datetime(review.date_modified)
    assert after["dateModified"] != before.get("dateModified")
    assert after["correction"][-1] == {
        "@type": "CorrectionComment",
        "text": f"Verdict change: {note}",
        "datePublished": iso_datetime(review.date_modified),
    }
    first_quote.refresh_from_db()
    assert first_quote.quote == "The corrected quote, as the transcript has it."
    assert "The corrected quote, as the transcript has it." in public_page(SESSIONS)

    # The history shows the evidence change (and the verdict), who made it and why.
    history = ok(factchecker.get(f"/api/v1/reviews/{review.pk}/history/"))
    quote_changes = [
        (change["by"], fc["old"], fc["new"])
        for change in history["changes"]
        if change["model"] == "evidence"
        for fc in change["field_changes"]
        if fc["field"] == "quote" and change["type"] == "changed"
    ]
    assert quote_changes == [
        ("publisher", old_quote, "The corrected quote, as the transcript has it.")
    ]
    rating_changes = [
        (fc["old_display"], fc["new_display"])
        for change in history["changes"]
        if change["model"] == "review"
        for fc in change["field_changes"]
        if fc["field"] == "rating"
    ]
    assert rating_changes[-1] == ("False", "Mostly false")
    assert [(e["action"], e["actor"]) for e in history["events"]][-5:] == [
        ("revise", "factchecker"),
        ("revision_update", "factchecker"),
        ("revision_submit", "factchecker"),
        ("revision_approve", "editor"),
        ("revision_publish", "publisher"),
    ]


def test_a_publisher_alone_cannot_change_the_rating(factchecker, editor, publisher) -> None:  # type: ignore[no-untyped-def]
    """No shortcut: correct/ refuses a new rating, and a revision the publisher drafts needs
    someone else's approval."""
    review = published(factchecker, editor, publisher)
    client = api(publisher)
    before = review_row(review)
    response = client.post(
        f"/api/v1/reviews/{review.pk}/correct/",
        {"kind": "verdict_change", "note": "New rating.", "version": 1, "rating": "true"},
        format="json",
    )
    assert response.status_code == 400 and "kind" in response.json()
    revision = ok(client.post(revisions_url(review), {}, format="json"), 201)
    ok(client.patch(revision_url(revision["id"]), {"version": 1, "rating": "true"}, format="json"))
    ok(client.post(revision_url(revision["id"], "submit"), {}))
    response = client.post(revision_url(revision["id"], "approve"), {})
    assert response.status_code == 403
    response = client.post(
        revision_url(revision["id"], "publish"), {"kind": "verdict_change", "note": "x"}
    )
    assert response.status_code == 409  # not approved
    assert review_row(review) == before
    assert not Correction.objects.exists()


def test_one_open_revision_per_review_and_the_second_start_names_it(
    factchecker, editor, publisher
) -> None:  # type: ignore[no-untyped-def]
    review = published(factchecker, editor, publisher)
    first = ok(api(factchecker).post(revisions_url(review), {}, format="json"), 201)
    response = api(editor).post(revisions_url(review), {}, format="json")
    assert response.status_code == 409
    assert f"revision {first['id']}" in response.json()["detail"]
    assert Revision.objects.count() == 1
    # Discarded (DELETE), a new one may start.
    assert api(factchecker).delete(revision_url(first["id"])).status_code == 204
    assert Revision.objects.get().status == RevisionStatus.DISCARDED
    ok(api(editor).post(revisions_url(review), {}, format="json"), 201)


def test_a_stale_revision_is_refused_with_409(factchecker, editor, publisher) -> None:  # type: ignore[no-untyped-def]
    review = published(factchecker, editor, publisher)
    revision = ok(api(factchecker).post(revisions_url(review), {}, format="json"), 201)
    ok(
        api(factchecker).patch(
            revision_url(revision["id"]), {"version": 1, "headline": "New"}, format="json"
        )
    )
    ok(api(factchecker).post(revision_url(revision["id"], "submit"), {}))
    ok(api(editor).post(revision_url(revision["id"], "approve"), {}))
    # The public version moves on: an urgent text fix by the publisher.
    ok(
        api(publisher).post(
            f"/api/v1/reviews/{review.pk}/correct/",
            {"kind": "correction", "note": "Typo.", "version": 1, "summary": "Fixed."},
            format="json",
        )
    )
    before = review_row(review)
    response = api(publisher).post(
        revision_url(revision["id"], "publish"), {"kind": "update", "note": "New headline."}
    )
    assert response.status_code == 409
    assert "discard this revision" in response.json()["detail"]
    assert review_row(review) == before
    assert ok(api(factchecker).get(revision_url(revision["id"])))["is_stale"] is True


def test_a_stale_version_of_the_revision_is_refused(factchecker, editor, publisher) -> None:  # type: ignore[no-untyped-def]
    review = published(factchecker, editor, publisher)
    revision = ok(api(factchecker).post(revisions_url(review), {}, format="json"), 201)
    url = revision_url(revision["id"])
    ok(api(factchecker).patch(url, {"version": 1, "headline": "One"}, format="json"))
    response = api(editor).patch(url, {"version": 1, "headline": "Two"}, format="json")
    assert response.status_code == 409
    assert Revision.objects.get().headline == "One"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"headlin": "A typo in the field's name"}, "headlin"),
        ({"version": "1"}, "version"),
        ({"headline": 5}, "headline"),
    ],
)
def test_an_edit_of_a_revision_refuses_unknown_fields_and_wrong_types(  # type: ignore[no-untyped-def]
    payload, field, factchecker, editor, publisher
) -> None:
    review = published(factchecker, editor, publisher)
    revision = ok(api(factchecker).post(revisions_url(review), {}, format="json"), 201)
    response = api(factchecker).patch(
        revision_url(revision["id"]), {"version": 1, **payload}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert Revision.objects.get().version == 1


def test_a_revision_sent_back_as_read_is_an_edit_that_changes_nothing(  # type: ignore[no-untyped-def]
    factchecker, editor, publisher
) -> None:
    review = published(factchecker, editor, publisher)
    EvidenceFactory(review=review)
    revision = ok(api(factchecker).post(revisions_url(review), {}, format="json"), 201)
    again = ok(api(factchecker).patch(revision_url(revision["id"]), revision, format="json"))
    assert {k: v for k, v in again.items() if k not in ("version", "updated_at")} == {
        k: v for k, v in revision.items() if k not in ("version", "updated_at")
    }


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "update", "note": ""}, "note"),
        ({"kind": "", "note": "x"}, "kind"),
        ({"kind": "withdrawal", "note": "x"}, "kind"),
        ({"kind": "update", "note": "x"}, "kind"),  # the rating changed: a verdict change
    ],
)
def test_publishing_a_revision_needs_a_kind_and_a_note(  # type: ignore[no-untyped-def]
    payload, field, factchecker, editor, publisher
) -> None:
    review = published(factchecker, editor, publisher)
    revision = ok(api(factchecker).post(revisions_url(review), {}, format="json"), 201)
    ok(
        api(factchecker).patch(
            revision_url(revision["id"]), {"version": 1, "rating": "true"}, format="json"
        )
    )
    ok(api(factchecker).post(revision_url(revision["id"], "submit"), {}))
    ok(api(editor).post(revision_url(revision["id"], "approve"), {}))
    before = review_row(review)
    response = api(publisher).post(revision_url(revision["id"], "publish"), payload)
    assert response.status_code == 400
    assert field in response.json()
    assert review_row(review) == before
    assert Revision.objects.get().status == RevisionStatus.APPROVED


def test_request_changes_sends_a_revision_back_with_the_comment(
    factchecker, editor, publisher
) -> None:  # type: ignore[no-untyped-def]
    review = published(factchecker, editor, publisher)
    revision = ok(api(factchecker).post(revisions_url(review), {}, format="json"), 201)
    ok(api(factchecker).post(revision_url(revision["id"], "submit"), {}))
    assert api(editor).post(revision_url(revision["id"], "request-changes"), {}).status_code == 400
    data = ok(
        api(editor).post(
            revision_url(revision["id"], "request-changes"), {"comment": "Cite the transcript."}
        )
    )
    assert data["status"] == "draft"


def test_revisions_are_invisible_outside_the_newsroom(
    nobody, factchecker, editor, publisher
) -> None:  # type: ignore[no-untyped-def]
    review = published(factchecker, editor, publisher)
    revision = ok(api(factchecker).post(revisions_url(review), {}, format="json"), 201)
    assert api().get(revision_url(revision["id"])).status_code == 401
    assert api(nobody).get(revision_url(revision["id"])).status_code == 404
    assert api(nobody).post(revisions_url(review), {}).status_code == 404


def test_only_a_published_review_can_be_revised(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = ReviewFactory(rating=default_rating())
    review.authors.add(factchecker)
    response = api(factchecker).post(revisions_url(review), {}, format="json")
    assert response.status_code == 409
    assert not Revision.objects.exists()


def test_a_revision_edits_the_claim_and_its_appearances(factchecker, editor, publisher) -> None:  # type: ignore[no-untyped-def]
    review = published(factchecker, editor, publisher)
    EvidenceFactory(review=review)
    revision = ok(api(factchecker).post(revisions_url(review), {}, format="json"), 201)
    appearances = [
        *revision["claim"]["appearances"],
        {"url": "https://example.org/transcript", "title": "Transcript"},
    ]
    ok(
        api(factchecker).patch(
            revision_url(revision["id"]),
            {
                "version": 1,
                "claim": {"venue": "Senate Judiciary Committee", "appearances": appearances},
            },
            format="json",
        )
    )
    assert review.claim.venue != "Senate Judiciary Committee"  # not yet public
    ok(api(factchecker).post(revision_url(revision["id"], "submit"), {}))
    ok(api(editor).post(revision_url(revision["id"], "approve"), {}))
    ok(
        api(publisher).post(
            revision_url(revision["id"], "publish"),
            {"kind": "correction", "note": "We had the venue wrong."},
        )
    )
    review.claim.refresh_from_db()
    assert review.claim.venue == "Senate Judiciary Committee"
    assert "https://example.org/transcript" in review.claim.appearances.values_list(
        "url", flat=True
    )
