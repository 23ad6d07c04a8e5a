"""The demo's draft Sessions review walked through the editorial API by the three demo accounts,
with the tokens load_demo creates: draft -> in review -> approved -> published -> corrected."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.claimreview import review_claimreview
from claims.demo import DEMO_PASSWORD, demo_tokens
from claims.models import Correction, Review

pytestmark = pytest.mark.django_db

SLUG = "sessions-answer-was-honest-and-correct"


def as_demo(username: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {demo_tokens()[username]}")
    return client


def url(review: Review, action: str = "") -> str:
    name = f"editorial-review-{action or 'detail'}"
    return reverse(name, args=[review.pk])


def test_load_demo_creates_one_token_per_account_and_prints_it(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("load_demo")
    tokens = demo_tokens()
    assert set(tokens) == {"factchecker", "editor", "publisher", "admin"}
    out = capsys.readouterr().out
    for key in tokens.values():
        assert key in out
    call_command("load_demo")
    assert demo_tokens() == tokens
    assert Token.objects.count() == 4
    assert DEMO_PASSWORD in capsys.readouterr().out


def test_the_demo_sessions_review_walks_from_draft_to_corrected_through_the_api() -> None:
    call_command("load_demo")
    review = Review.objects.get(claim__slug=SLUG)
    factchecker, editor, publisher = (as_demo(u) for u in ("factchecker", "editor", "publisher"))

    data = factchecker.get(url(review)).json()
    assert (data["status"], data["authors"]) == ("draft", ["factchecker"])
    preview = factchecker.get(url(review, "claimreview")).json()
    assert preview["validation"]["errors"] == []

    # Nobody may step outside the table on the way.
    assert editor.post(url(review, "publish")).status_code == 403
    assert factchecker.post(url(review, "approve")).status_code == 403
    assert publisher.post(url(review, "approve")).status_code == 409  # a draft

    response = factchecker.post(url(review, "submit"), {"comment": "Ready for review."})
    assert (response.status_code, response.json()["status"]) == (200, "in_review")
    assert factchecker.post(url(review, "approve")).status_code == 403  # two-person rule

    response = editor.post(url(review, "approve"), {})
    assert (response.status_code, response.json()["status"]) == (200, "approved")
    assert editor.post(url(review, "publish")).status_code == 403

    response = publisher.post(url(review, "publish"), {})
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["status"], data["is_public"], data["published_by"]) == (
        "published",
        True,
        "publisher",
    )
    assert Review.objects.published().filter(pk=review.pk).exists()

    assert editor.post(url(review, "correct"), {"kind": "update", "note": "x"}).status_code == 403
    response = publisher.post(
        url(review, "correct"),
        {
            "kind": "update",
            "note": "Added Sessions' written answers to Senator Leahy.",
            "version": data["version"],
            "body": data["body"] + "\n\nUpdate: his written answers to Senator Leahy say the same.",
        },
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["date_modified"] is not None
    assert data["version"] == 2
    assert Correction.objects.get(review=review).created_by.username == "publisher"

    document, result = review_claimreview(Review.objects.for_claimreview().get(pk=review.pk))
    assert result.errors == []
    assert document["correction"][0]["text"].endswith("written answers to Senator Leahy.")
    assert "dateModified" in document

    history = factchecker.get(url(review, "history")).json()
    assert [(e["action"], e["actor"]) for e in history["events"]][-4:] == [
        ("submit", "factchecker"),
        ("approve", "editor"),
        ("publish", "publisher"),
        ("correct", "publisher"),
    ]
