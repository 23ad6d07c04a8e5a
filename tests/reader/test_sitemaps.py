"""/sitemap.xml: our published claim pages (lastmod from the latest correction or publication),
the claimants who have one and the fixed pages, all on FACTCHECK_SITE_URL."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from reader.sitemaps import ClaimSitemap
from tests.helpers import SITE, make_fact_check

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_pages(client: Client, host: str = "testserver") -> list[str]:
    """The section pages /sitemap.xml lists (absolute URLs)."""
    response = client.get("/sitemap.xml", HTTP_HOST=host)
    assert response.status_code == 200
    tree = ET.fromstring(response.content)
    assert tree.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [s.findtext("s:loc", namespaces=NS) or "" for s in tree.findall("s:sitemap", NS)]


def urls(client: Client, host: str = "testserver") -> dict[str, str | None]:
    """Every URL of every section page the index lists, with its lastmod."""
    found: dict[str, str | None] = {}
    for page in sitemap_pages(client, host):
        assert page.startswith(f"{SITE}/sitemap-"), page
        response = client.get(page.removeprefix(SITE), HTTP_HOST=host)
        assert response.status_code == 200, page
        tree = ET.fromstring(response.content)
        for u in tree.findall("s:url", NS):
            found[u.findtext("s:loc", namespaces=NS) or ""] = u.findtext("s:lastmod", namespaces=NS)
    return found


def test_sitemap_lists_published_claim_pages_with_lastmod(client: Client) -> None:
    corrected = make_fact_check(corrections=1)
    plain = make_fact_check(corrections=0, published_ago=datetime.timedelta(days=3))

    found = urls(client)
    assert corrected.date_modified and plain.date_published
    assert (
        found[f"{SITE}/claims/{corrected.claim.slug}/"]
        == corrected.date_modified.date().isoformat()
    )
    assert found[f"{SITE}/claims/{plain.claim.slug}/"] == plain.date_published.date().isoformat()


def test_sitemap_lists_claimants_with_their_latest_change_and_the_fixed_pages(
    client: Client,
) -> None:
    review = make_fact_check(corrections=1)
    found = urls(client)
    assert review.date_modified
    assert found[f"{SITE}/claimants/{review.claim.claimant.slug}/"] == (
        review.date_modified.date().isoformat()
    )
    for path in ("/", "/ratings/", "/corrections/"):
        assert f"{SITE}{path}" in found


def test_sitemap_urls_are_on_our_site_whatever_host_asked(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["other.example"]
    make_fact_check()
    locs = list(urls(client, host="other.example"))
    assert locs and all(loc.startswith(f"{SITE}/") for loc in locs)
    assert all(page.startswith(f"{SITE}/") for page in sitemap_pages(client, "other.example"))


def test_no_fact_check_falls_off_a_full_sitemap(client: Client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A section page holds `limit` URLs (5,000 in production); the index lists every page.
    monkeypatch.setattr(ClaimSitemap, "limit", 2)
    reviews = [make_fact_check() for _ in range(5)]
    assert f"{SITE}/sitemap-claims.xml?p=3" in sitemap_pages(client)
    found = urls(client)
    for review in reviews:
        assert f"{SITE}/claims/{review.claim.slug}/" in found


def test_an_unknown_section_or_page_is_not_found(client: Client) -> None:
    make_fact_check()
    assert client.get("/sitemap-drafts.xml").status_code == 404
    assert client.get("/sitemap-claims.xml?p=9").status_code == 404
