"""Hostile text in every field renders as text: no element, comment or attribute escapes it, and
the JSON-LD stays parseable and equal to build_claimreview's output."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.test import Client

from claims.claimreview import build_claimreview
from claims.models import Rating, RatingScale, Review
from reader.templatetags.reader import http_url, jsonld_text
from tests.helpers import HOSTILE_TEXT, jsonld_blocks, make_fact_check

pytestmark = pytest.mark.django_db


class Markup(HTMLParser):
    """Every element, attribute and comment the browser would see."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.comments: list[str] = []
        self.tags: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "script":
            self.scripts.append(dict(attrs))
        self.handlers += [name for name, _ in attrs if name.startswith("on")]

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def markup(html: str) -> Markup:
    parser = Markup()
    parser.feed(html)
    return parser


@pytest.fixture
def hostile() -> Review:
    rating = Rating.objects.create(
        scale=RatingScale.objects.default(), label=HOSTILE_TEXT, slug="hostile", colour="#444444"
    )
    review = make_fact_check(
        text=HOSTILE_TEXT, name=HOSTILE_TEXT, headline=HOSTILE_TEXT, evidence=2, corrections=1
    )
    review.rating = rating
    review.summary = HOSTILE_TEXT
    review.body = f"{HOSTILE_TEXT}\n\n{HOSTILE_TEXT}"
    review.save()
    claim = review.claim
    claim.short_text = HOSTILE_TEXT[:200]
    claim.venue = HOSTILE_TEXT
    claim.save()
    claimant = claim.claimant
    claimant.job_title = HOSTILE_TEXT
    claimant.description = HOSTILE_TEXT
    claimant.same_as = ["javascript:alert(3)", "https://example.org/?q=\"'<>"]
    claimant.save()
    claim.topics.update(name=HOSTILE_TEXT)
    for n, appearance in enumerate(claim.appearances.all()):
        appearance.title = HOSTILE_TEXT
        appearance.url = f"javascript:alert({n})"
        appearance.archived_url = "javascript:alert('archived')"
        appearance.save()
    for item in review.evidence.all():
        item.quote = item.note = HOSTILE_TEXT
        item.save()
        source = item.source
        source.title = source.publisher = source.author = HOSTILE_TEXT
        source.save()
    review.corrections.update(note=HOSTILE_TEXT)
    return review


def _pages(review: Review) -> list[str]:
    slug = review.claim.slug
    return [
        "/",
        "/?rating=hostile",
        f"/claims/{slug}/",
        f"/claims/{slug}/embed/",
        f"/claimants/{review.claim.claimant.slug}/",
        "/search/?q=russians",
        "/search/?q=" + "%3C%2Fscript%3E%3Cscript%3Ealert(1)",
        "/corrections/",
    ]


def test_hostile_text_renders_as_text_on_every_page(client: Client, hostile: Review) -> None:
    for url in _pages(hostile):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        page = markup(html)
        assert "alert(" not in "".join(str(s) for s in page.scripts), url
        assert all(s.get("type") == "application/ld+json" for s in page.scripts), url
        assert "img" not in page.tags, url
        assert page.handlers == [], url
        assert page.comments == [], url
        # No link or attribute carries a javascript: URL (the JSON-LD holds data, not links).
        outside_jsonld = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html)
        assert "javascript:" not in outside_jsonld, url
        assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def test_hostile_text_leaves_the_jsonld_parseable_and_equal_to_the_builder(
    client: Client, hostile: Review
) -> None:
    html = client.get(f"/claims/{hostile.claim.slug}/").content.decode()
    blocks = jsonld_blocks(html)

    assert len(blocks) == 1
    assert blocks[0] == build_claimreview(Review.objects.for_claimreview().get(pk=hostile.pk))
    assert blocks[0]["claimReviewed"] == HOSTILE_TEXT[:200]
    assert blocks[0]["itemReviewed"]["author"]["name"] == HOSTILE_TEXT
    script = html[html.index('<script type="application/ld+json">') :]
    script = script[: script.index("</script>")]
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in script.removeprefix('<script type="application/ld+json">')


def test_hostile_text_in_attributes_stays_inside_the_quotes(
    client: Client, hostile: Review
) -> None:
    html = client.get(f"/claims/{hostile.claim.slug}/").content.decode()
    assert '<meta property="og:title" content="&lt;/script&gt;' in html
    assert "&quot;dq&quot; &#x27;sq&#x27;" in html
    assert '"dq"' not in html.split('<script type="application/ld+json">')[0]


def test_hostile_text_fits_every_field() -> None:
    assert len(HOSTILE_TEXT) <= 100


def test_hostile_text_keeps_the_feed_and_sitemap_well_formed(
    client: Client, hostile: Review
) -> None:
    feed = ET.fromstring(client.get("/feeds/latest/").content)
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("atom:title", namespaces=ns) for e in feed.findall("atom:entry", ns)]
    # XML 1.0 cannot carry every character; the feed generator keeps it well-formed.
    assert any(title and "</script><script>alert(1)</script>" in title for title in titles)
    ET.fromstring(client.get("/sitemap.xml").content)
    ET.fromstring(client.get("/sitemap-claims.xml").content)
    ET.fromstring(client.get("/sitemap-claimants.xml").content)


def test_jsonld_text_escapes_what_could_end_the_script_element() -> None:
    data = {"text": '</script><!-- & \u2028\u2029 "quoted" é'}
    text = jsonld_text(data)
    assert text == (
        '{"text":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 \\"quoted\\" é"}'
    )
    assert json.loads(text) == data


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.org/a", True),
        ("http://example.org/a", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//evil.example/", False),
        ("", None),
    ],
)
def test_only_http_links_reach_a_page(url: str, kept: bool | None) -> None:
    assert http_url(url) == (url.strip() if kept else "")
