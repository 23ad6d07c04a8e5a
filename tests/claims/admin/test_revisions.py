"""Revisions in the admin: "Revise" on a published review's page starts one, its page edits the
working copy (saved through claims.services.revisions with its version) beside the comparison
with the public version, and its buttons run its workflow. Issue 11's first "Done when", in the
admin, as the demo accounts."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from claims.claimreview.builder import iso_datetime
from claims.models import Review, Revision, RevisionStatus
from tests.helpers import default_rating, form_data, jsonld_blocks, published, signed_in

pytestmark = pytest.mark.django_db

SESSIONS = "sessions-did-not-have-communications-with-the-russians"


def review_page(review: Review) -> str:
    return reverse("admin:claims_review_change", args=[review.pk])


def revision_page(revision: Revision) -> str:
    return reverse("admin:claims_revision_change", args=[revision.pk])


def review_action(review: Review, action: str) -> str:
    return reverse("admin:claims_review_workflow", args=[review.pk, action])


def revision_action(revision: Revision, action: str) -> str:
    return reverse("admin:claims_revision_workflow", args=[revision.pk, action])


def reader_page(capture: Any) -> str:
    with capture(execute=True):
        pass
    response = Client().get(f"/claims/{SESSIONS}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_demo_newsroom_revises_a_verdict_and_a_quote_in_the_admin(
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    call_command("load_demo", verbosity=0)
    factchecker, editor, publisher = (
        signed_in(User.objects.get(username=name))
        for name in ("factchecker", "editor", "publisher")
    )
    review = Review.objects.published().get(claim__slug=SESSIONS)
    old_page = reader_page(django_capture_on_commit_callbacks)

    # "Revise" on the review's page: on to the new revision's page.
    page = factchecker.get(review_page(review)).content.decode()
    assert 'id="workflow-revise"' in page
    response = factchecker.post(review_action(review, "revise"), {})
    revision = Revision.objects.get(review=review)
    assert response.status_code == 302 and response["Location"] == revision_page(revision)

    # The fact-checker changes the verdict and the first quote, and saves.
    data = form_data(factchecker.get(revision_page(revision)))
    data["rating"] = default_rating("mostly-false").pk
    data["evidence-0-quote"] = "The quote, corrected from the transcript."
    with django_capture_on_commit_callbacks(execute=True):
        response = factchecker.post(revision_page(revision), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    revision.refresh_from_db()
    assert (revision.version, revision.rating.slug) == (2, "mostly-false")
    page = factchecker.get(revision_page(revision)).content.decode()
    assert "diff-changed" in page and "The quote, corrected from the transcript." in page
    with django_capture_on_commit_callbacks(execute=True):
        factchecker.post(revision_action(revision, "revision_submit"), {})
    assert reader_page(django_capture_on_commit_callbacks) == old_page

    # The editor approves; the review's page shows the open revision beside the public one.
    assert "Continue revision" in editor.get(review_page(review)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(revision_action(revision, "revision_approve"), {"revision_approve-comment": ""})
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED
    assert reader_page(django_capture_on_commit_callbacks) == old_page

    # The publisher publishes it with a kind and a public note.
    note = "We now rate the claim Mostly false, and corrected a quote."
    with django_capture_on_commit_callbacks(execute=True):
        response = publisher.post(
            revision_action(revision, "revision_publish"),
            {"revision_publish-kind": "verdict_change", "revision_publish-note": note},
        )
    assert response.status_code == 302 and response["Location"] == review_page(review)
    page = reader_page(django_capture_on_commit_callbacks)
    (document,) = jsonld_blocks(page)
    review.refresh_from_db()
    assert document["reviewRating"]["alternateName"] == "Mostly false"
    assert document["dateModified"] == iso_datetime(review.date_modified)
    assert document["correction"][-1]["text"] == f"Verdict change: {note}"
    assert "The quote, corrected from the transcript." in page
    # The review's field history shows the evidence change.
    history = publisher.get(review_page(review)).content.decode().split('id="field-history"')[1]
    assert "The quote, corrected from the transcript." in history
    assert "Mostly false" in history


def test_a_second_revision_is_not_offered_while_one_is_open(factchecker, editor, publisher) -> None:  # type: ignore[no-untyped-def]
    review = published(factchecker, editor, publisher)
    client = signed_in(editor)
    client.post(review_action(review, "revise"), {})
    page = client.get(review_page(review)).content.decode()
    assert 'id="workflow-revise"' not in page and "Continue revision" in page
    response = client.post(review_action(review, "revise"), {})
    assert response.status_code == 302
    assert Revision.objects.count() == 1


def test_the_author_of_a_revision_is_not_offered_approve(factchecker, editor, publisher) -> None:  # type: ignore[no-untyped-def]
    review = published(factchecker, editor, publisher)
    client = signed_in(editor)
    client.post(review_action(review, "revise"), {})
    revision = Revision.objects.get()
    client.post(revision_action(revision, "revision_submit"), {})
    page = client.get(revision_page(revision)).content.decode()
    assert 'id="workflow-revision_approve"' not in page
    assert 'id="workflow-revision_discard"' in page
    other = signed_in(publisher).get(revision_page(revision)).content.decode()
    assert 'id="workflow-revision_approve"' in other
