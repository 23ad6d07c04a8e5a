"""The public record only grows (DESIGN.md section 4): a URL once public keeps answering, and
/corrections/ keeps every correction, update, verdict change and withdrawal, whatever happens
to the review next (withdrawn, reopened, reworked, republished, revised).

`test_every_state_sequence_only_grows_the_record` walks every sequence of workflow actions a
review can take, up to MAX_STEPS, from a fresh draft (each branch undone with a savepoint), and
after every step reads the corrections log and the claim's page as a reader would."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from claims.models import Review, ReviewStatus
from claims.services.reviews import (
    review_approve,
    review_correct,
    review_publish,
    review_reopen,
    review_request_changes,
    review_submit,
    review_update,
    review_withdraw,
)
from claims.services.revisions import (
    revision_approve,
    revision_publish,
    revision_start,
    revision_submit,
    revision_update,
)
from tests.helpers import default_rating, draft_by

pytestmark = pytest.mark.django_db

MAX_STEPS = 9  # 345 sequences: enough to republish after a withdrawal, then revise
ENTRY = re.compile(r'<li class="log__item" id="correction-(\d+)">(.*?)</li>', re.S)


def record(client: Client) -> dict[str, str]:
    """The corrections log as a reader sees it: entry id -> its HTML."""
    cache.clear()  # the page cache is invalidated on commit; these steps never commit
    response = client.get("/corrections/")
    assert response.status_code == 200
    return dict(ENTRY.findall(response.content.decode()))


def page_status(client: Client, review: Review) -> int:
    cache.clear()
    return client.get(f"/claims/{review.claim.slug}/").status_code


def _revise(review: Review, users: dict[str, Any], step: int) -> None:
    """A whole revision: drafted by the fact-checker, approved by the editor, published."""
    revision = revision_start(review=review, by=users["factchecker"])
    revision = revision_update(
        revision=revision,
        by=users["factchecker"],
        version=revision.version,
        changes={"summary": f"Revised summary {step}."},
    )
    revision_submit(revision=revision, by=users["factchecker"])
    revision_approve(revision=revision, by=users["editor"])
    revision_publish(
        revision=revision, by=users["publisher"], kind="update", note=f"Revised at step {step}."
    )


Step = Callable[[Review, dict[str, Any], int], object]
ACTIONS: dict[str, tuple[str, Step]] = {
    # name: (the state it starts from, what it does)
    "submit": ("draft", lambda r, u, n: review_submit(review=r, by=u["factchecker"])),
    "approve": ("in_review", lambda r, u, n: review_approve(review=r, by=u["editor"])),
    "request_changes": (
        "in_review",
        lambda r, u, n: review_request_changes(review=r, by=u["editor"], comment="More."),
    ),
    "publish": ("approved", lambda r, u, n: review_publish(review=r, by=u["publisher"])),
    "correct": (
        "published",
        lambda r, u, n: review_correct(
            review=r,
            by=u["publisher"],
            kind="correction",
            note=f"Corrected at step {n}.",
            version=r.version,
            changes={"body": f"Corrected body {n}."},
        ),
    ),
    "revise": ("published", _revise),
    "withdraw": (
        "published",
        lambda r, u, n: review_withdraw(review=r, by=u["publisher"], note=f"Withdrawn at {n}."),
    ),
    "reopen": ("withdrawn", lambda r, u, n: review_reopen(review=r, by=u["publisher"])),
}


def test_every_state_sequence_only_grows_the_record(  # type: ignore[no-untyped-def]
    client, factchecker, editor, publisher
) -> None:
    users = {"factchecker": factchecker, "editor": editor, "publisher": publisher}
    review = draft_by(factchecker, rating=default_rating())
    walked: list[tuple[str, ...]] = []
    seen_kinds: set[str] = set()

    def walk(path: tuple[str, ...], before: dict[str, str], was_public: bool) -> None:
        walked.append(path)
        if len(path) == MAX_STEPS:
            return
        current = Review.objects.get(pk=review.pk)
        for name, (source, act) in ACTIONS.items():
            if current.status != source:
                continue
            savepoint = transaction.savepoint()
            act(Review.objects.get(pk=review.pk), users, len(path))
            after = record(client)
            # Nothing leaves, nothing is rewritten.
            assert {k: after.get(k) for k in before} == before, (*path, name)
            public_now = was_public or name == "publish"
            if public_now:
                assert page_status(client, current) == 200, (*path, name)
            if name in {"correct", "revise", "withdraw"}:
                assert len(after) == len(before) + 1, (*path, name)
                seen_kinds.add(name)
            else:
                assert after == before, (*path, name)
            walk((*path, name), after, public_now)
            transaction.savepoint_rollback(savepoint)

    assert page_status(client, review) == 404  # a draft never public: no page
    walk((), record(client), False)

    assert seen_kinds == {"correct", "revise", "withdraw"}
    # The sequences include republishing after a withdrawal, and revising after that.
    republished = ("submit", "approve", "publish", "withdraw", "reopen", "submit", "approve")
    assert (*republished, "publish", "revise") in walked
    assert len(walked) == 345, len(walked)


def test_after_withdraw_and_reopen_the_page_shows_the_notice_and_the_log_keeps_everything(  # type: ignore[no-untyped-def]
    client, factchecker, editor, publisher
) -> None:
    review = draft_by(factchecker)
    review_submit(review=review, by=factchecker)
    review_approve(review=review, by=editor)
    review = review_publish(review=review, by=publisher)
    headline = review.headline
    review_correct(
        review=review, by=publisher, kind="update", note="Added the transcript.", version=1
    )
    review_withdraw(review=review, by=publisher, note="The video we relied on was doctored.")
    review = review_reopen(review=review, by=publisher)
    # Reworked as a draft: a new headline nobody has seen yet.
    review_update(
        review=review, by=factchecker, version=review.version, changes={"headline": "Secret"}
    )
    cache.clear()
    response = client.get(f"/claims/{review.claim.slug}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This fact check has been withdrawn" in page
    assert "The video we relied on was doctored." in page
    assert headline in page and "Secret" not in page
    assert "application/ld+json" not in page
    assert 'name="robots" content="noindex"' in page
    log = client.get("/corrections/").content.decode()
    assert "The video we relied on was doctored." in log and "Added the transcript." in log
    assert "Withdrawal" in log and "Secret" not in log
    cache.clear()
    embed = client.get(f"/claims/{review.claim.slug}/embed/")
    assert embed.status_code == 200
    assert "This fact check has been withdrawn." in embed.content.decode()

    # Republished: the new version replaces the notice, and the record keeps it all.
    review_submit(review=review, by=factchecker)
    review_approve(review=review, by=editor)
    review_publish(review=review, by=publisher)
    cache.clear()
    page = client.get(f"/claims/{review.claim.slug}/").content.decode()
    assert "Secret" in page and "This fact check has been withdrawn" not in page
    assert "The video we relied on was doctored." in page  # in its corrections list
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.PUBLISHED
