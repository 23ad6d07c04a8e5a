"""A reader's path through the site in a real browser: home, search for "Russians", the Sessions
fact check, then the claimant, on a desktop and a phone; hostile text fires no script."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claims.models import Rating, RatingScale, Review
from tests.helpers import HOSTILE_TEXT, Watched, make_fact_check

pytestmark = [pytest.mark.browser]

SESSIONS = "sessions-did-not-have-communications-with-the-russians"

LD_JSON = """els => els.map(e => JSON.parse(e.textContent))"""


def claimreviews(page: Any) -> list[dict[str, Any]]:
    return page.eval_on_selector_all('script[type="application/ld+json"]', LD_JSON)


def test_a_reader_finds_the_sessions_fact_check_and_its_claimant(
    demo: None, live_server: Any, watched: Watched, artifacts: Path
) -> None:
    page = watched.page
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Latest fact checks"

    # Search from the home page's search box, as a reader would.
    page.get_by_label("Search our fact checks").fill("Russians")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=Russians")
    results = page.locator("ol.cards > li")
    assert results.count() >= 1
    page.get_by_role("link", name="Sessions did meet the Russian ambassador").click()
    page.wait_for_url(f"**/claims/{SESSIONS}/")

    # The claim, the verdict, the short answer, the evidence and its sources on one page.
    verdict = page.locator(".claim-card__verdict .verdict")
    assert verdict.is_visible() and verdict.inner_text() == "False"
    assert (
        "did not have communications with the Russians"
        in page.locator(".claim-card__text").inner_text()
    )
    assert page.get_by_role("heading", name="If your time is short").is_visible()
    assert page.locator(".evidence__item").count() == 5
    assert page.locator(".evidence__item .source__title").first.is_visible()

    # Exactly one ClaimReview in the page, equal to the public API's document.
    documents = claimreviews(page)
    assert len(documents) == 1 and documents[0]["@type"] == "ClaimReview"
    api = page.request.get(f"{live_server.url}/api/v1/claim-reviews/{SESSIONS}/")
    assert api.ok
    assert documents[0] == json.loads(api.text())

    page.screenshot(path=str(artifacts / "claim-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.locator(".claim-card__verdict .verdict").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows
    page.screenshot(path=str(artifacts / "claim-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # On to the claimant: their checked claims and the chart of their ratings.
    page.get_by_role("link", name="Jeff Sessions").first.click()
    page.wait_for_url("**/claimants/jeff-sessions/")
    assert page.locator("h1").inner_text() == "Jeff Sessions"
    assert page.locator("svg.chart__svg rect[fill]").count() >= 1
    assert page.locator(".ratings-chart table").count() == 1
    assert page.get_by_role("link", name="Sessions did meet the Russian ambassador").is_visible()

    assert watched.errors == []
    assert watched.dialogs == []


@pytest.fixture
def hostile(live_db: None) -> Review:
    """A published fact check with hostile text in every field it shows."""
    review = make_fact_check(text=HOSTILE_TEXT, name=HOSTILE_TEXT, headline=HOSTILE_TEXT)
    review.summary = review.body = HOSTILE_TEXT
    review.rating = Rating.objects.create(
        scale=RatingScale.objects.default(), label=HOSTILE_TEXT, slug="hostile", colour="#333333"
    )
    review.save()
    return Review.objects.select_related("claim__claimant").get(pk=review.pk)


def test_hostile_text_fires_no_dialog_anywhere(
    hostile: Review, live_server: Any, watched: Watched
) -> None:
    review = hostile
    slug = review.claim.slug
    page = watched.page
    for path in (
        f"/claims/{slug}/",
        f"/claims/{slug}/embed/",
        f"/claimants/{review.claim.claimant.slug}/",
        "/",
        "/search/?q=russians",
        "/search/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/corrections/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/claims/{slug}/")
    # The hostile headline is shown as text, and the JSON-LD still parses to the builder's.
    assert "</script><script>alert(1)</script>" in page.locator("h1").inner_text()
    documents = claimreviews(page)
    assert len(documents) == 1 and documents[0]["headline"] == HOSTILE_TEXT
    assert watched.dialogs == []
    assert watched.errors == []


def test_the_verdict_card_can_be_framed_by_another_site_but_the_page_cannot(
    demo: None, live_server: Any, watched: Watched
) -> None:
    page = watched.page
    # Another site, served by the test. Chromium would not let a page from the Internet load
    # a frame from this machine at all (local network access checks), so the frames' requests
    # are relayed through playwright: the browser still gets our server's real responses and
    # headers, and enforces them.
    host = "http://news.other.example/article.html"
    page.route(
        host,
        lambda route: route.fulfill(
            content_type="text/html",
            body=(
                "<!doctype html><title>Another site</title>"
                f'<iframe id="card" src="{live_server.url}/claims/{SESSIONS}/embed/"></iframe>'
                f'<iframe id="page" src="{live_server.url}/claims/{SESSIONS}/"></iframe>'
            ),
        ),
    )
    page.route(f"{live_server.url}/**", lambda route: route.fulfill(response=route.fetch()))
    page.goto(host)
    card = page.frame_locator("#card")
    assert card.locator(".verdict").inner_text() == "False"
    assert card.get_by_role("link").first.get_attribute("target") == "_blank"
    page.wait_for_load_state("load")
    # The full page refuses to be framed (X-Frame-Options DENY, frame-ancestors 'none').
    assert page.frame_locator("#page").locator(".claim-card").count() == 0
    assert [f.url for f in page.frames if SESSIONS in f.url] == [
        f"{live_server.url}/claims/{SESSIONS}/embed/"
    ]
    assert any("frame-ancestors 'none'" in error for error in watched.errors)
    assert watched.dialogs == []


def test_api_docs_render_under_the_content_security_policy(
    demo: None, live_server: Any, watched: Watched
) -> None:
    page = watched.page
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "factcheck API" in page.locator(".swagger-ui .info .title").inner_text()
    assert watched.errors == []
