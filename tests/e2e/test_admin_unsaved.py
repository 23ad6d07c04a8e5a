"""A workflow button on a page with unsaved changes never discards them (issue 11): in a real
browser, an editor types a new headline on a draft's admin page and clicks "Submit for review"
without saving. The page stops with a warning and keeps the edit; saved, it is then submitted
with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from claims.models import Review, ReviewStatus
from tests.helpers import Watched, sign_in

pytestmark = [pytest.mark.browser]

SLUG = "sessions-answer-was-honest-and-correct"  # the demo's draft
NEW_HEADLINE = "Sessions's answer left out two meetings"


def test_a_workflow_button_with_unsaved_changes_warns_and_loses_nothing(
    demo: None, live_server: Any, watched: Watched, artifacts: Path
) -> None:
    review = Review.objects.get(claim__slug=SLUG)
    assert review.status == ReviewStatus.DRAFT
    old_headline = review.headline
    page = watched.page
    sign_in(page, live_server.url, "admin")
    url = f"{live_server.url}/admin/claims/review/{review.pk}/change/"
    page.goto(url)

    page.fill("#id_headline", NEW_HEADLINE)
    page.click("#workflow-submit button[type=submit]")

    warning = page.locator("#unsaved-warning")
    warning.wait_for()
    assert "unsaved changes" in warning.inner_text()
    assert page.url == url  # nothing was posted
    assert page.input_value("#id_headline") == NEW_HEADLINE  # the edit is still there
    review.refresh_from_db()
    assert (review.status, review.headline) == (ReviewStatus.DRAFT, old_headline)
    page.screenshot(path=str(artifacts / "admin-unsaved-warning.png"), full_page=False)

    # Saved first, then submitted: the edit is in the review that went for review.
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    assert page.input_value("#id_headline") == NEW_HEADLINE
    page.click("#workflow-submit button[type=submit]")
    page.wait_for_load_state()
    review.refresh_from_db()
    assert (review.status, review.headline) == (ReviewStatus.IN_REVIEW, NEW_HEADLINE)
    assert not watched.errors, watched.errors


def test_an_unchanged_page_runs_the_button_at_once(
    demo: None, live_server: Any, watched: Watched
) -> None:
    review = Review.objects.get(claim__slug=SLUG)
    page = watched.page
    sign_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/admin/claims/review/{review.pk}/change/")
    page.click("#workflow-submit button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#unsaved-warning").count() == 0
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_REVIEW
    assert not watched.errors, watched.errors
