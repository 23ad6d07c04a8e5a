"""Security headers on the reader site: a Content-Security-Policy without inline scripts, no
framing except the embeddable card, and the headers Django offers."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.helpers import make_fact_check

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    directives = [d.strip().split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


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
        csp = policy(client.get(url))
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
    csp = policy(response)
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
    assert policy(cached)["frame-ancestors"] == ["*"]


class Scripts(HTMLParser):
    """Scripts (inline or from files), style elements and inline style or event attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self.src: list[str] = []
        self.styles: list[str] = []
        self._in_inline = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.styles += [
            f"{tag} {name}" for name, _ in attrs if name == "style" or name.startswith("on")
        ]
        if tag == "style":
            self.styles.append("style")
        if tag == "script":
            attributes = dict(attrs)
            if attributes.get("src"):
                self.src.append(attributes["src"] or "")
            elif attributes.get("type") not in {"application/ld+json", "application/json"}:
                self._in_inline = True

    def handle_data(self, data: str) -> None:
        if self._in_inline:
            self.inline.append(data)
            self._in_inline = False


def test_reader_pages_carry_no_inline_script_or_style(client: Client) -> None:
    for url in reader_pages(client)[:6]:
        html = client.get(url).content.decode()
        scripts = Scripts()
        scripts.feed(html)
        assert scripts.inline == [] and scripts.src == [], url
        assert scripts.styles == [], url


def test_api_docs_work_under_the_policy_without_inline_scripts(client: Client) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    csp = policy(response)
    assert "'unsafe-inline'" not in csp["script-src"]
    scripts = Scripts()
    scripts.feed(response.content.decode())
    assert scripts.inline == []
    assert scripts.src, "Swagger UI loads its scripts from files"
    init = next(src for src in scripts.src if "script" in src.split("?")[-1])
    init_response = client.get(init)
    assert init_response.status_code == 200
    assert b"SwaggerUIBundle" in init_response.content
