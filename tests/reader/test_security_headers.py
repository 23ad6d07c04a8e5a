"""Security headers on the reader site: a Content-Security-Policy without inline scripts, no
framing except the embeddable card, and the headers Django offers."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.helpers import Scripts, csp_directives, make_fact_check

pytestmark = pytest.mark.django_db


def reader_pages(client: Client) -> list[str]:
    review = make_fact_check()
    slug = review.claim.slug
    return [
        "/",
        f"/claims/{slug}/",
        f"/claimants/{review.claim.claimant.slug}/",
        "/search/?q=russians",
        "/ratings/",
        "/corrections/",
        "/feeds/latest/",
        "/sitemap.xml",
        "/claims/no-such-claim/",
    ]


def test_every_page_has_a_strict_content_security_policy(client: Client) -> None:
    for url in reader_pages(client):
        csp = csp_directives(client.get(url))
        assert csp["default-src"] == ["'self'"], url
        assert csp["script-src"] == ["'self'"], url
        assert csp["style-src"] == ["'self'"], url
        assert csp["object-src"] == ["'none'"], url
        assert csp["base-uri"] == ["'self'"], url
        assert csp["frame-ancestors"] == ["'none'"], url


def test_every_page_refuses_framing_and_sniffing(client: Client) -> None:
    for url in reader_pages(client):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


def test_only_the_embeddable_card_may_be_framed(client: Client) -> None:
    review = make_fact_check()
    response = client.get(f"/claims/{review.claim.slug}/embed/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    csp = csp_directives(response)
    assert csp["frame-ancestors"] == ["*"]
    assert csp["script-src"] == ["'self'"]
    # ... and only that view: the page it belongs to is not frameable.
    assert client.get(f"/claims/{review.claim.slug}/")["X-Frame-Options"] == "DENY"


def test_the_embed_stays_frameable_from_the_page_cache(client: Client) -> None:
    review = make_fact_check()
    url = f"/claims/{review.claim.slug}/embed/"
    client.get(url)
    cached = client.get(url)
    assert "X-Frame-Options" not in cached
    assert csp_directives(cached)["frame-ancestors"] == ["*"]


def test_reader_pages_carry_no_inline_script_or_style(client: Client) -> None:
    for url in reader_pages(client)[:6]:
        html = client.get(url).content.decode()
        scripts = Scripts()
        scripts.feed(html)
        assert scripts.inline == [] and scripts.src == [], url
        assert scripts.styles == [], url
