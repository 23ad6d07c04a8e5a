"""The reader's lists page by number to a capped depth (reader.views.MAX_PAGES), and the deepest
page costs what the first does (issue 13: under 100 ms at a million fact checks): each page's
rows are picked by key from the list's index, then read whole. Any `?page=` a link or a visitor
ever sent answers a page, never an error."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client

from claims.models import Review
from claims.public_state import public_state
from reader import views
from tests.helpers import make_fact_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviews(monkeypatch: pytest.MonkeyPatch) -> list[Review]:
    """Seven fact checks, newest first, one claimant; pages of 2, at most 3 of them."""
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(views, "MAX_PAGES", 3)
    made = [
        make_fact_check(
            headline=f"Check number {n}",
            text=f"Claim number {n} was said.",
            published_ago=datetime.timedelta(hours=n + 1),
            evidence=1,
        )
        for n in range(7)
    ]
    claimant = made[0].claim.claimant
    for review in made[1:]:
        review.claim.claimant = claimant
        review.claim.save()
    return made


def _headlines(html: str) -> list[str]:
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.mark.parametrize("url", ["/", "/claimants/{claimant}/"])
def test_pages_list_newest_first_and_stop_at_the_deepest_page(
    client: Client, reviews: list[Review], url: str
) -> None:
    url = url.format(claimant=reviews[0].claim.claimant.slug)
    pages = [_headlines(client.get(f"{url}?page={n}").content.decode()) for n in (1, 2, 3)]
    assert pages == [
        ["Check number 0", "Check number 1"],
        ["Check number 2", "Check number 3"],
        ["Check number 4", "Check number 5"],
    ]
    deepest = client.get(f"{url}?page=3").content.decode()
    assert "Page 3 of 3" in deepest and 'rel="next"' not in deepest


@pytest.mark.parametrize("page", ["4", "50000", "99999999999999999999", "0", "-1", "x", ""])
def test_any_page_number_answers_a_page(client: Client, reviews: list[Review], page: str) -> None:
    response = client.get(f"/?page={page}")
    assert response.status_code == 200
    expected = ["Check number 0", "Check number 1"]
    if page.lstrip("-").isdigit() and int(page) > 3 or page in {"0", "-1"}:
        expected = ["Check number 4", "Check number 5"]  # past the end: the deepest page
    assert _headlines(response.content.decode()) == expected


def test_the_deepest_page_takes_the_queries_of_the_first(
    client: Client,
    reviews: list[Review],
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    public_state()
    # ratings of the default scale (filter); the count (capped); the page of reviews, picked
    # by key and joined to claim, claimant and rating
    for url in ("/", "/?page=3", "/?rating=false&page=3"):
        with django_assert_num_queries(3):
            assert client.get(url).status_code == 200
