"""The Atom feed at /feeds/latest/: our published reviews and the entries of the public record
(corrections, verdict changes, withdrawals), newest first, absolute URLs on FACTCHECK_SITE_URL,
a review's entry updated from its latest correction."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from claims.services.reviews import review_correct, review_withdraw
from reader.feeds import FEED_SIZE
from tests.helpers import SITE, make_fact_check, published

pytestmark = pytest.mark.django_db

ATOM = {"atom": "http://www.w3.org/2005/Atom"}


def all_entries(client: Client) -> list[ET.Element]:
    response = client.get("/feeds/latest/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall("atom:entry", ATOM)


def entries(client: Client) -> list[ET.Element]:
    """The fact checks' entries (the public record's have a #correction-<id> link)."""
    return [
        e
        for e in all_entries(client)
        if "#correction-" not in (e.findtext("atom:id", namespaces=ATOM) or "")
    ]


def test_feed_lists_published_reviews_newest_first_with_absolute_links(client: Client) -> None:
    old = make_fact_check(headline="Older", published_ago=datetime.timedelta(days=5))
    new = make_fact_check(headline="Newer", published_ago=datetime.timedelta(days=1))

    found = entries(client)
    assert [e.findtext("atom:title", namespaces=ATOM) for e in found] == ["Newer", "Older"]
    for entry, review in zip(found, [new, old], strict=True):
        url = f"{SITE}/claims/{review.claim.slug}/"
        assert entry.find("atom:link", ATOM).get("href") == url  # type: ignore[union-attr]
        assert entry.findtext("atom:id", namespaces=ATOM) == url
        assert "Our rating: False." in (entry.findtext("atom:summary", namespaces=ATOM) or "")
        category = entry.find("atom:category", ATOM)
        assert category is not None and category.get("term") == "False"


def test_feed_entry_is_updated_by_its_latest_correction(client: Client) -> None:
    review = make_fact_check(corrections=2)
    (entry,) = entries(client)
    assert review.date_modified and review.date_published
    updated = datetime.datetime.fromisoformat(entry.findtext("atom:updated", namespaces=ATOM) or "")
    published = datetime.datetime.fromisoformat(
        entry.findtext("atom:published", namespaces=ATOM) or ""
    )
    assert updated == review.date_modified
    assert published == review.date_published


def test_feed_itself_points_at_our_site(client: Client) -> None:
    make_fact_check()
    feed = ET.fromstring(client.get("/feeds/latest/").content)
    links = {link.get("rel"): link.get("href") for link in feed.findall("atom:link", ATOM)}
    assert links == {"alternate": f"{SITE}/", "self": f"{SITE}/feeds/latest/"}


def test_feed_announces_corrections_and_withdrawals(
    client: Client, factchecker, editor, publisher
) -> None:  # type: ignore[no-untyped-def]
    review = published(factchecker, editor, publisher)
    review_correct(
        review=review, by=publisher, kind="update", note="Added the transcript.", version=1
    )
    review_withdraw(review=review, by=publisher, note="The video was doctored.")
    found = all_entries(client)
    titles = [e.findtext("atom:title", namespaces=ATOM) for e in found]
    assert titles == [f"Withdrawn: {review.headline}", f"Update: {review.headline}"]
    summaries = [e.findtext("atom:summary", namespaces=ATOM) for e in found]
    assert summaries == ["The video was doctored.", "Added the transcript."]
    for entry, correction in zip(found, review.corrections.order_by("-created_at"), strict=True):
        url = f"{SITE}/claims/{review.claim.slug}/#correction-{correction.pk}"
        assert entry.find("atom:link", ATOM).get("href") == url  # type: ignore[union-attr]
        assert entry.findtext("atom:id", namespaces=ATOM) == url


def test_feed_holds_at_most_the_latest_feed_size_reviews(client: Client) -> None:
    for n in range(FEED_SIZE + 1):
        make_fact_check(
            headline=f"Check {n}",
            evidence=0,
            corrections=0,
            published_ago=datetime.timedelta(hours=n + 1),
        )
    found = entries(client)
    assert len(found) == FEED_SIZE
    assert found[-1].findtext("atom:title", namespaces=ATOM) == f"Check {FEED_SIZE - 1}"
