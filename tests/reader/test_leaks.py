"""Nothing unpublished is reachable from any reader page, feed or sitemap.

One review in every state, each marked with its own word in the claim, claimant, headline,
summary and correction. Every page, list, feed and the sitemap is walked: only the published
review appears, and the reviews withdrawn after publication only on their own page (and its
embeddable card), with the withdrawal notice, and in the public record (the corrections log and
the feed's correction entries): what readers saw stays on record.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from claims.models import Review, ReviewStatus
from tests.helpers import (
    ClaimantFactory,
    ClaimFactory,
    CorrectionFactory,
    ReviewFactory,
    default_rating,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
HOUR = datetime.timedelta(hours=1)
PUBLISHED = {
    "status": ReviewStatus.PUBLISHED,
    "rating": None,  # filled with the default scale's "False" at creation
    "publish_at": NOW - 48 * HOUR,
    "date_published": NOW - 48 * HOUR,
}
STATES: dict[str, dict[str, Any]] = {
    "draft": {"status": ReviewStatus.DRAFT},
    "inreview": {"status": ReviewStatus.IN_REVIEW},
    "approved": {"status": ReviewStatus.APPROVED},
    "published": PUBLISHED,
    "scheduled": {**PUBLISHED, "publish_at": NOW + 24 * HOUR, "date_published": NOW + 24 * HOUR},
    "withdrawn": {
        **PUBLISHED,
        "status": ReviewStatus.WITHDRAWN,
        "withdrawn_at": NOW - HOUR,
        "withdrawal_note": "Withdrawn: the source retracted its report.",
    },
    # Public once, withdrawn, reopened, scheduled again and withdrawn before the new time: its
    # page keeps the notice of the withdrawal readers may have seen.
    "rescheduled": {
        **PUBLISHED,
        "status": ReviewStatus.WITHDRAWN,
        "publish_at": NOW + 24 * HOUR,
        "withdrawn_at": NOW - HOUR,
        "withdrawal_note": "Withdrawn again before the new publication.",
    },
    # Scheduled, then withdrawn before its time came: it was never public.
    "neverpublic": {
        **PUBLISHED,
        "status": ReviewStatus.WITHDRAWN,
        "publish_at": NOW + 24 * HOUR,
        "date_published": NOW + 24 * HOUR,
        "withdrawn_at": NOW - HOUR,
        "withdrawal_note": "Withdrawn before publication.",
    },
    "imported": {"imported": True},
}
HIDDEN = [state for state in STATES if state != "published"]
# Public once: their corrections stay in the public record (DESIGN.md section 4).
ON_RECORD = ["withdrawn", "rescheduled"]
RECORD_PAGES = ["/corrections/", "/feeds/latest/"]


def marker(state: str) -> str:
    return f"zq{state}zq"


@pytest.fixture
def reviews() -> dict[str, Review]:
    made = {}
    for state, fields in STATES.items():
        word = marker(state)
        claim = ClaimFactory(
            text=f"Russians said {word} in the claim.",
            short_text=f"Russians {word}",
            claimant=ClaimantFactory(name=f"Claimant {word}"),
        )
        extra = dict(fields)
        if "imported" not in extra:
            extra["rating"] = default_rating()
        review = ReviewFactory(
            claim=claim, headline=f"Headline {word}", summary=f"Summary {word}", **extra
        )
        CorrectionFactory(review=review, note=f"Correction {word}")
        made[state] = review
    return made


def list_pages() -> list[str]:
    return [
        "/",
        "/?rating=false",
        "/search/?q=russians",
        "/search/?q=zq",
        "/ratings/",
        "/corrections/",
        "/feeds/latest/",
        "/sitemap.xml",
        "/sitemap-claims.xml",
        "/sitemap-claimants.xml",
    ]


def test_lists_feeds_search_and_sitemap_show_only_the_published_review(
    client: Client, reviews: dict[str, Review]
) -> None:
    for url in list_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for state in HIDDEN:
            if url in RECORD_PAGES and state in ON_RECORD:
                assert f"Correction {marker(state)}" in body, (url, state)
                continue
            assert marker(state) not in body, (url, state)
            assert reviews[state].claim.slug not in body, (url, state)
    for state in HIDDEN:  # a search for its own word finds nothing (the query is echoed)
        body = client.get(f"/search/?q={marker(state)}").content.decode()
        assert f"0 results for “{marker(state)}”" in body, state
        for text in (f"Headline {marker(state)}", f"Claimant {marker(state)}"):
            assert text not in body, state
    everywhere = ["/", "/?rating=false", "/search/?q=russians", "/corrections/", "/feeds/latest/"]
    for url in everywhere + ["/sitemap-claims.xml", "/search/?q=zqpublishedzq"]:
        assert reviews["published"].claim.slug in client.get(url).content.decode(), url


def test_claim_pages_and_cards_answer_only_for_public_reviews(
    client: Client, reviews: dict[str, Review]
) -> None:
    for state, review in reviews.items():
        for url in (f"/claims/{review.claim.slug}/", f"/claims/{review.claim.slug}/embed/"):
            response = client.get(url)
            if state in {"published", "withdrawn", "rescheduled"}:
                assert response.status_code == 200, (state, url)
            else:
                assert response.status_code == 404, (state, url)
                assert marker(state) not in response.content.decode(), (state, url)


def test_the_withdrawn_review_answers_with_its_notice_and_no_verdict(
    client: Client, reviews: dict[str, Review]
) -> None:
    slug = reviews["withdrawn"].claim.slug
    page = client.get(f"/claims/{slug}/").content.decode()
    card = client.get(f"/claims/{slug}/embed/").content.decode()
    assert "Withdrawn: the source retracted its report." in page
    assert "application/ld+json" not in page
    assert "This fact check has been withdrawn" in card
    assert "verdict" not in card.split('class="embed-card"')[1].replace("embed-card__", "")


def test_claimant_pages_answer_only_for_claimants_with_a_published_review(
    client: Client, reviews: dict[str, Review]
) -> None:
    for state, review in reviews.items():
        response = client.get(f"/claimants/{review.claim.claimant.slug}/")
        expected = 200 if state == "published" else 404
        assert response.status_code == expected, state
        assert marker(state) not in response.content.decode() or state == "published"


def test_a_claimant_page_counts_only_published_reviews(
    client: Client, reviews: dict[str, Review]
) -> None:
    claimant = reviews["published"].claim.claimant
    for state in HIDDEN:  # give every hidden claim the published claimant too
        claim = reviews[state].claim
        claim.claimant = claimant
        claim.save()
    html = client.get(f"/claimants/{claimant.slug}/").content.decode()
    assert '<th scope="row">False</th><td>1</td>' in html
    assert "1 fact check." in html
    for state in HIDDEN:
        assert marker(state) not in html, state
