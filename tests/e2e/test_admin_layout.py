"""The admin pages that edit a claim's appearances fit a 1,280-pixel window (issue 11: the
appearances table was 1,915 px wide there, then still 1,482 px on a claim's page and 1,867 px
on a revision's): in a real browser, the page does not scroll sideways and the appearances
table stays inside the content column, on a draft claim's page, on a new claim's page and on
a revision's page (whose table uses the same inputs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from claims.models import Claim, Review, ReviewStatus
from claims.services.revisions import revision_start
from tests.helpers import Watched, sign_in

pytestmark = [pytest.mark.browser]

WINDOW = 1280
DRAFT_SLUG = "sessions-answer-was-honest-and-correct"  # the demo's draft, its claim editable
PUBLISHED_SLUG = "sessions-did-not-have-communications-with-the-russians"

MEASURE = """() => {
  const group = document.querySelector('#appearances-group');
  const table = group.querySelector('table');
  const column = document.querySelector('#content-main');
  return {
    page: document.documentElement.scrollWidth,
    table: table.getBoundingClientRect().right,
    column: column.getBoundingClientRect().right,
    urlInput: group.querySelector('input.appearance-url').getBoundingClientRect().width,
  };
}"""


def test_the_appearances_table_fits_a_1280_pixel_window(
    demo: None, live_server: Any, watched: Watched, artifacts: Path
) -> None:
    draft = Claim.objects.get(slug=DRAFT_SLUG)
    published = Review.objects.get(claim__slug=PUBLISHED_SLUG, status=ReviewStatus.PUBLISHED)
    revision = revision_start(
        review=published, by=get_user_model().objects.get(username="factchecker")
    )
    page = watched.page
    assert page.viewport_size["width"] == WINDOW
    sign_in(page, live_server.url, "admin")
    pages = {
        "claim": f"/admin/claims/claim/{draft.pk}/change/",
        "new-claim": "/admin/claims/claim/add/",
        "revision": f"/admin/claims/revision/{revision.pk}/change/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        if name == "new-claim":
            page.click("#appearances-group .add-row a")  # a first, empty appearance row
        size = page.evaluate(MEASURE)
        page.locator("#appearances-group").screenshot(
            path=str(artifacts / f"admin-appearances-{name}.png")
        )
        assert size["page"] <= WINDOW, (name, size)  # no sideways scrolling
        assert size["table"] <= size["column"] + 1, (name, size)  # inside the content column
        assert size["urlInput"] >= 120, (name, size)  # and a URL still has room to be read
    assert not watched.errors, watched.errors
