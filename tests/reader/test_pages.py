"""The reader pages show what a reader needs to trust a fact check, and only public ones (the
fact checks are built by `make_fact_check()` in tests/helpers.py)."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from claims.claimreview import build_claimreview
from claims.models import Rating, RatingScale, Review, ReviewStatus, contrast_ratio
from reader.views import UNKNOWN_RATING
from tests.helpers import (
    SITE,
    ReviewFactory,
    default_rating,
    jsonld_blocks,
    make_fact_check,
)

pytestmark = pytest.mark.django_db


def page_url(review: Review) -> str:
    return f"/claims/{review.claim.slug}/"


class Outline(HTMLParser):
    """What a page is made of: headings in order, landmarks, form controls and their labels."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tags: list[str] = []
        self.inputs: list[str] = []
        self.label_for: list[str] = []
        self.first_link: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "input" and attributes.get("type") != "hidden":
            self.inputs.append(attributes.get("id") or "")
        if tag == "label":
            self.label_for.append(attributes.get("for") or "")
        if tag == "a" and self.first_link is None:
            self.first_link = attributes.get("href")


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


# --- the claim page ---------------------------------------------------------------------------


def test_claim_page_shows_claim_claimant_verdict_summary_evidence_and_corrections(
    client: Client,
) -> None:
    review = make_fact_check()
    html = client.get(page_url(review)).content.decode()

    assert "I did not have communications with the Russians." in html
    assert "Jeff Sessions" in html and "Attorney General nominee" in html
    assert "10 January 2017" in html
    assert "Senate Judiciary Committee confirmation hearing" in html
    # Where it appeared, with the archived copy and the first appearance marked.
    assert "C-SPAN video of the hearing" in html and "First appearance" in html
    assert "https://web.archive.org/web/2017/https://c-span.example/" in html
    # The verdict badge in the rating's colour class, with its label and definition.
    rating = review.rating
    assert rating is not None
    assert f'class="verdict verdict--large rating-{rating.pk}">False</p>' in html
    assert rating.description in html
    assert "If your time is short" in html and "He met Russia&#x27;s ambassador" in html
    assert "<p>First paragraph of the explanation.</p>" in html
    assert "<p>Second paragraph, with the verdict.</p>" in html
    assert f'href="/claimants/{review.claim.claimant.slug}/"' in html
    assert "Last updated" in html


def test_claim_page_numbers_the_evidence_in_order_with_sources(client: Client) -> None:
    review = make_fact_check(evidence=3)
    html = client.get(page_url(review)).content.decode()

    evidence = html[html.index('<ol class="evidence__list">') :]
    evidence = evidence[: evidence.index("</ol>")]
    positions = [evidence.index(f"Quote number {i} from the record.") for i in (1, 2, 3)]
    assert positions == sorted(positions)
    assert evidence.count('<li class="evidence__item">') == 3
    assert evidence.count("Refutes the claim") == 3
    assert 'The Washington Post, Adam Entous, <time datetime="2017-03-01">1 March 2017' in evidence
    assert "Why source 2 matters." in evidence
    for item in review.evidence.all():
        assert f'href="{item.source.url}"' in evidence
        assert f'href="{item.source.archived_url}"' in evidence


def test_claim_page_lists_corrections_newest_first_with_their_dates(client: Client) -> None:
    review = make_fact_check(corrections=2)
    html = client.get(page_url(review)).content.decode()

    section = html[html.index('id="corrections-heading"') :]
    assert section.index("detail number 2") < section.index("detail number 1")
    assert section.count("<strong>Correction</strong>") == 2
    assert "Updated <time" in html


def test_claim_page_embeds_exactly_one_claimreview_equal_to_the_builder(client: Client) -> None:
    review = make_fact_check()
    html = client.get(page_url(review)).content.decode()

    blocks = jsonld_blocks(html)
    assert len(blocks) == 1
    expected = build_claimreview(Review.objects.for_claimreview().get(pk=review.pk))
    assert blocks[0] == expected
    assert blocks[0]["@type"] == "ClaimReview"


def test_claim_page_has_canonical_url_open_graph_and_twitter_meta(client: Client) -> None:
    review = make_fact_check()
    html = client.get(page_url(review)).content.decode()
    canonical = f"{SITE}/claims/{review.claim.slug}/"

    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:title" content="{review.headline}">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert 'content="Our rating: False. He met Russia&#x27;s ambassador' in html


def test_withdrawn_claim_page_answers_with_the_notice_and_no_verdict_or_markup(
    client: Client,
) -> None:
    review = make_fact_check()
    Review.objects.filter(pk=review.pk).update(
        status=ReviewStatus.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawal_note="We could not confirm the second meeting.",
    )
    response = client.get(page_url(review))
    html = response.content.decode()

    assert response.status_code == 200
    assert "This fact check has been withdrawn" in html
    assert "We could not confirm the second meeting." in html
    assert jsonld_blocks(html) == []
    assert "application/ld+json" not in html
    assert "verdict--large" not in html and "If your time is short" not in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize(
    "fields",
    [
        {},  # draft
        {"status": ReviewStatus.IN_REVIEW},
        {"status": ReviewStatus.APPROVED},
    ],
    ids=["draft", "in_review", "approved"],
)
def test_unpublished_claim_pages_are_not_found(client: Client, fields: dict[str, Any]) -> None:
    review = ReviewFactory(rating=default_rating(), **fields)
    assert client.get(page_url(review)).status_code == 404
    assert client.get(f"{page_url(review)}embed/").status_code == 404


def test_scheduled_claim_page_is_not_found_until_its_time(client: Client) -> None:
    review = make_fact_check(published_ago=-datetime.timedelta(hours=2))
    assert client.get(page_url(review)).status_code == 404


def test_unknown_claim_page_is_not_found(client: Client) -> None:
    response = client.get("/claims/no-such-claim/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_claim_page_prefers_the_published_review_over_an_older_withdrawn_one(
    client: Client,
) -> None:
    review = make_fact_check()
    ReviewFactory(
        claim=review.claim,
        headline="The withdrawn first attempt",
        status=ReviewStatus.WITHDRAWN,
        rating=default_rating(),
        publish_at=timezone.now() - datetime.timedelta(days=9),
        date_published=timezone.now() - datetime.timedelta(days=9),
        withdrawn_at=timezone.now() - datetime.timedelta(days=8),
        withdrawal_note="Superseded.",
    )
    html = client.get(page_url(review)).content.decode()
    assert review.headline in html and "withdrawn first attempt" not in html
    assert len(jsonld_blocks(html)) == 1


# --- the other pages --------------------------------------------------------------------------


def test_home_lists_latest_published_fact_checks_newest_first(client: Client) -> None:
    older = make_fact_check(headline="The older check", published_ago=datetime.timedelta(days=3))
    newer = make_fact_check(headline="The newer check", published_ago=datetime.timedelta(days=1))
    html = client.get("/").content.decode()

    assert html.index(newer.headline) < html.index(older.headline)
    assert 'role="search"' in html and 'name="q"' in html


def test_home_filters_by_rating(client: Client) -> None:
    false = make_fact_check(headline="A false one", rating="false")
    true = make_fact_check(headline="A true one", rating="true")

    html = client.get("/?rating=true").content.decode()
    assert true.headline in html and false.headline not in html
    assert 'aria-current="true"' in html


def test_home_with_an_unknown_rating_says_so_with_400(client: Client) -> None:
    make_fact_check()
    response = client.get("/?rating=no-such-rating")
    assert response.status_code == 400
    assert UNKNOWN_RATING.format(slug="no-such-rating") in response.content.decode()


def test_claimant_page_lists_their_claims_with_an_svg_chart_and_a_table(client: Client) -> None:
    first = make_fact_check(headline="First check", rating="false")
    claimant = first.claim.claimant
    second = make_fact_check(headline="Second check", rating="false")
    second.claim.claimant = claimant
    second.claim.save()
    third = make_fact_check(headline="Third check", rating="true")
    third.claim.claimant = claimant
    third.claim.save()
    html = client.get(f"/claimants/{claimant.slug}/").content.decode()

    for review in (first, second, third):
        assert review.headline in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    false, true = default_rating("false"), default_rating("true")
    assert f'fill="{false.colour}"' in svg and f'fill="{true.colour}"' in svg
    # The text equivalent: a row per rating of the scale with its count.
    assert '<th scope="row">False</th><td>2</td>' in html
    assert '<th scope="row">True</th><td>1</td>' in html
    assert '<th scope="row">Misleading</th><td>0</td>' in html
    # The longest bar is the most used rating.
    widths = dict(re.findall(r'width="([\d.]+)" height="\d+" fill="(#[0-9a-f]{6})"', svg))
    assert float(next(w for w, c in widths.items() if c == false.colour)) > float(
        next(w for w, c in widths.items() if c == true.colour)
    )


def test_claimant_without_published_fact_checks_is_not_found(client: Client) -> None:
    draft = ReviewFactory()
    assert client.get(f"/claimants/{draft.claim.claimant.slug}/").status_code == 404


def test_methodology_page_explains_every_rating_of_the_scale(client: Client) -> None:
    html = client.get("/ratings/").content.decode()
    for rating in RatingScale.objects.default().ratings.all():
        assert f'id="{rating.slug}"' in html
        assert rating.label in html and rating.description.replace("'", "&#x27;") in html


def test_corrections_log_lists_corrections_of_published_reviews_newest_first(
    client: Client,
) -> None:
    review = make_fact_check(corrections=2)
    html = client.get("/corrections/").content.decode()
    assert html.index("detail number 2") < html.index("detail number 1")
    assert f'href="/claims/{review.claim.slug}/#correction-' in html


def test_embed_card_shows_the_verdict_and_links_to_the_fact_check(client: Client) -> None:
    review = make_fact_check()
    html = client.get(f"{page_url(review)}embed/").content.decode()
    assert f"rating-{review.rating_id}" in html and ">False</span>" in html
    assert review.claim.claim_reviewed in html
    assert f'href="{SITE}/claims/{review.claim.slug}/" target="_blank" rel="noopener"' in html


def test_rating_styles_give_every_rating_its_colour_and_text_colour(client: Client) -> None:
    response = client.get("/ratings.css")
    assert response["Content-Type"] == "text/css; charset=utf-8"
    css = response.content.decode()
    for rating in Rating.objects.all():
        assert (
            f".rating-{rating.pk}{{background-color:{rating.colour};color:{rating.text_colour}}}"
            in css
        )


def test_every_rating_of_the_default_scale_passes_wcag_aa_with_its_text_colour() -> None:
    for rating in RatingScale.objects.default().ratings.all():
        assert contrast_ratio(rating.colour, rating.text_colour) >= 4.5, rating.label


# --- accessibility ----------------------------------------------------------------------------


def _every_page(client: Client) -> dict[str, str]:
    review = make_fact_check()
    urls = [
        "/",
        page_url(review),
        f"/claimants/{review.claim.claimant.slug}/",
        "/search/",
        "/search/?q=russians",
        "/ratings/",
        "/corrections/",
        "/claims/no-such-page/",
    ]
    return {url: client.get(url).content.decode() for url in urls}


def test_every_page_has_landmarks_a_skip_link_and_one_h1(client: Client) -> None:
    for url, html in _every_page(client).items():
        page = outline(html)
        assert page.first_link == "#main", url
        assert 'id="main"' in html, url
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in page.tags, (url, landmark)
        assert page.headings.count(1) == 1, url


def test_every_page_has_headings_in_order(client: Client) -> None:
    for url, html in _every_page(client).items():
        levels = outline(html).headings
        assert levels[0] == 1, url
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, (url, levels)


def test_every_form_control_has_a_label(client: Client) -> None:
    for url, html in _every_page(client).items():
        page = outline(html)
        for control in page.inputs:
            assert control and control in page.label_for, (url, control)


def test_the_stylesheet_gives_focus_a_visible_style_and_needs_no_external_files(
    client: Client,
) -> None:
    from django.contrib.staticfiles import finders

    path = finders.find("css/site.css")
    assert path
    with open(path, encoding="utf-8") as f:
        css = f.read()
    assert ":focus-visible { outline: 3px solid" in css
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", css)
    assert "@import" not in css
