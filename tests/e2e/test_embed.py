"""The embed code shows the whole verdict card (issue 11: height 260 cut it off on a 390-pixel
phone). A host page with exactly the embed code a claim page offers is opened in Chromium at
320, 390 and 1,280 pixels wide, for the demo's Sessions fact check and for one with the longest
texts a fact check may have: the card's bottom edge is inside the iframe."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import SITE, Watched, make_fact_check

pytestmark = [pytest.mark.browser]

SESSIONS = "sessions-did-not-have-communications-with-the-russians"
WIDTHS = [320, 390, 1280]


def embed_code(page: Any, base: str, slug: str) -> tuple[str, int]:
    page.goto(f"{base}/claims/{slug}/")
    code = html.unescape(page.locator(".embed-code pre code").inner_html())
    # The code points at FACTCHECK_SITE_URL; here the site is the live server.
    code = code.replace(SITE, base)
    assert base in code
    height = int(re.search(r'height="(\d+)"', code).group(1))  # type: ignore[union-attr]
    return code, height


def test_the_whole_card_shows_from_320_to_1280_pixels(
    demo: None, live_server: Any, watched: Watched, artifacts: Path
) -> None:
    long = make_fact_check(
        text="W" * 40 + " " + "A very long claim, said again and again, " * 30,
        name="A claimant with a name long enough to need more than one line " * 2,
        headline="The longest headline a fact check may have, " * 6,
    )
    long.claim.short_text = ("A claim as long as claimReviewed may be, with words " * 4)[:200]
    long.claim.save()
    page = watched.page
    for slug in (SESSIONS, long.claim.slug):
        code, height = embed_code(page, live_server.url, slug)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            # A page holding just the embed code. Chromium here loads the card only from the
            # site's own origin, whose Content-Security-Policy then also refuses the code's
            # style="border:0" (harmless: a host page has its own policy).
            page.set_content(f"<!doctype html><title>Host</title><body>{code}</body>")
            frame_element = page.wait_for_selector("iframe")
            frame = frame_element.content_frame()
            assert frame is not None
            frame.wait_for_selector(".embed-card__link")
            frame.wait_for_load_state("load")
            card = frame.evaluate(
                "() => { const r = document.querySelector('.embed-card').getBoundingClientRect();"
                " return {bottom: r.bottom, right: r.right, width: window.innerWidth,"
                " height: window.innerHeight, scroll: document.documentElement.scrollHeight}; }"
            )
            assert card["height"] == height, (slug, width, card)
            assert card["bottom"] <= height, (slug, width, card)
            assert card["scroll"] <= height, (slug, width, card)
            assert card["right"] <= card["width"], (slug, width, card)
            page.screenshot(path=str(artifacts / f"embed-{width}-{slug[:20]}.png"))
    host_page_style = "Applying inline style violates"
    assert not [e for e in watched.errors if host_page_style not in e], watched.errors
