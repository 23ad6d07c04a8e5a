"""An editor's "Already checked?" in a real browser: typing a claim in the admin's claim form
lists another publisher's check of it; "Same claim" links it; once our fact check is published,
the reader's claim page lists it under "Also checked by"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group

from claims.services.reviews import review_approve, review_publish, review_submit
from matching.models import ClaimRelation
from tests.helpers import (
    PASSWORD,
    ClaimFactory,
    PublisherFactory,
    UserFactory,
    Watched,
    draft_by,
    index_for_matching,
    prior_check,
    sign_in,
)

pytestmark = [pytest.mark.browser]


@pytest.fixture(autouse=True)
def _cached_embedder(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FACTCHECK_EMBEDDER = "tests.helpers.CachedEmbedder"


def member(username: str, group: str) -> Any:
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_an_editor_links_a_prior_check_that_readers_then_see(
    live_db: None, live_server: Any, browser: Any, artifacts: Path
) -> None:
    author, editor, publisher = (
        member("fc", "Fact-checkers"),
        member("ed", "Editors"),
        member("pub", "Publishers"),
    )
    review = draft_by(author, claim=ClaimFactory(text="A claim still to be written up."))
    politifact = PublisherFactory(name="PolitiFact", site="politifact.com")
    check = prior_check(
        "Jeff Sessions said he did not have communications with the Russians.",
        headline="Sessions' denial of contacts with Russian officials",
        publisher=politifact,
        rating_label="Pants on Fire",
        url="https://www.politifact.com/factchecks/2017/mar/02/jeff-sessions/",
    )
    prior_check("The moon landing was filmed in a studio.")
    index_for_matching()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watched = Watched(page)
    page.on("pageerror", lambda error: watched.errors.append(f"uncaught: {error}"))
    sign_in(page, live_server.url, "ed", PASSWORD)
    page.goto(f"{live_server.url}/admin/claims/claim/{review.claim_id}/change/")

    # The editor types the claim; the panel lists PolitiFact's check of it.
    page.fill("#id_text", "")
    page.locator("#id_text").press_sequentially(
        "Sessions: I did not have communications with the Russians"
    )
    result = page.locator("#already-checked li.match", has_text="PolitiFact").first
    result.wait_for(timeout=30_000)
    assert "Pants on Fire" in result.inner_text()
    page.screenshot(path=str(artifacts / "matching-panel.png"), full_page=True)

    result.get_by_role("button", name="Same claim").click()
    result.locator(".linked", has_text="Linked").wait_for(timeout=30_000)
    [relation] = ClaimRelation.objects.all()
    assert (relation.claim_id, relation.prior_check_id, relation.kind) == (
        review.claim_id,
        check.pk,
        "same",
    )
    assert relation.created_by == editor

    # The review page lists the claim's prior checks and past verdicts.
    page.goto(f"{live_server.url}/admin/claims/review/{review.pk}/change/")
    prior = page.locator("#prior-checks")
    assert "Pants on Fire" in prior.inner_text()  # the confirmed link, rendered with the page
    prior.locator("#already-checked li.match").first.wait_for(timeout=30_000)

    # Once our fact check is published, readers see the confirmed prior check.
    review_submit(review=review, by=author)
    review_approve(review=review, by=editor)
    review_publish(review=review, by=publisher)
    page.goto(f"{live_server.url}/claims/{review.claim.slug}/")
    section = page.locator("section.also-checked")
    assert section.locator("h2").inner_text() == "Also checked by"
    link = section.get_by_role("link", name="PolitiFact")
    assert link.get_attribute("href") == check.external_url
    assert "Pants on Fire" in section.inner_text()
    assert watched.errors == []
    context.close()
