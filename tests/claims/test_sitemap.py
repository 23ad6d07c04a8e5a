"""/sitemap.xml: our published claim pages (lastmod from the latest correction or publication),
the claimants who have one and the fixed pages, all on FACTCHECK_SITE_URL."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from tests.claims.test_pages import SITE, make_fact_check

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def urls(client: Client) -> dict[str, str | None]:
    response = client.get("/sitemap.xml", HTTP_HOST="testserver")
    assert response.status_code == 200
    tree = ET.fromstring(response.content)
    return {
        u.findtext("s:loc", namespaces=NS) or "": u.findtext("s:lastmod", namespaces=NS)
        for u in tree.findall("s:url", NS)
    }


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
    response = client.get("/sitemap.xml", HTTP_HOST="other.example")
    tree = ET.fromstring(response.content)
    locs = [u.findtext("s:loc", namespaces=NS) or "" for u in tree.findall("s:url", NS)]
    assert locs and all(loc.startswith(f"{SITE}/") for loc in locs)
