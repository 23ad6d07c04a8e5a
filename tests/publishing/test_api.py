"""The public API: /api/v1/claim-reviews/ (list, detail), /api/v1/ratings/, conditional GETs."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date
from rest_framework.test import APIClient

from claims.claimreview import build_claimreview
from claims.models import Review, ReviewStatus
from claims.public_state import public_state
from matching import search as search_module
from publishing import api as public_api
from publishing import pagination
from publishing.filters import DATETIME_OUT_OF_RANGE
from tests.helpers import (
    NOW,
    AppearanceFactory,
    ClaimantFactory,
    ClaimFactory,
    CorrectionFactory,
    EvidenceFactory,
    ReviewFactory,
    TopicFactory,
    default_rating,
    publish,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/claim-reviews/"


def detail(slug: str) -> str:
    return f"/api/v1/claim-reviews/{slug}/"


def get(api: APIClient, url: str, **params: Any) -> Any:
    response = api.get(url, params, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def slugs(results: list[dict[str, Any]]) -> list[str]:
    return [r["url"].rstrip("/").rsplit("/", 1)[1] for r in results]


def walk(api: APIClient, url: str, **params: Any) -> list[str]:
    """Every slug of every page, following next links."""
    page = get(api, url, **params)
    seen = slugs(page["results"])
    while page["next"]:
        page = get(api, page["next"])
        seen += slugs(page["results"])
    return seen


# --- list -------------------------------------------------------------------------------------


def test_the_list_is_our_published_reviews_as_claimreviews_newest_first(api: APIClient) -> None:
    old, new = publish(days_ago=3), publish(days_ago=1)
    ReviewFactory()  # a draft
    ReviewFactory(imported=True)
    page = get(api, LIST)
    assert set(page) == {"next", "previous", "results"}
    assert (page["next"], page["previous"]) == (None, None)
    assert slugs(page["results"]) == [new.claim.slug, old.claim.slug]
    fetched = Review.objects.for_claimreview().get(pk=new.pk)
    assert page["results"][0] == build_claimreview(fetched)


def test_the_list_can_be_ordered_oldest_first_or_by_latest_change(api: APIClient) -> None:
    a, b, c = publish(days_ago=3), publish(days_ago=2), publish(days_ago=1)
    Review.objects.filter(pk=a.pk).update(date_modified=NOW)
    assert slugs(get(api, LIST, ordering="published")["results"]) == [
        a.claim.slug,
        b.claim.slug,
        c.claim.slug,
    ]
    assert slugs(get(api, LIST, ordering="-modified")["results"]) == [
        a.claim.slug,
        c.claim.slug,
        b.claim.slug,
    ]
    assert slugs(get(api, LIST, ordering="modified")["results"])[-1] == a.claim.slug


@pytest.mark.parametrize("ordering", ["headline", "-id", "publish_at", "'; DROP TABLE x", "\x00"])
def test_an_unknown_ordering_is_a_400_naming_the_allowed_ones(
    api: APIClient, ordering: str
) -> None:
    response = api.get(LIST, {"ordering": ordering})
    assert response.status_code == 400
    allowed = "-published, published, -modified, modified"
    assert response.json() == {
        "ordering": [pagination.ORDERING_INVALID.format(value=ordering, allowed=allowed)]
    }


# --- pagination -------------------------------------------------------------------------------


def test_pages_follow_next_links_through_every_review_once(api: APIClient) -> None:
    reviews = [publish(days_ago=10 - i) for i in range(7)]
    expected = [r.claim.slug for r in reversed(reviews)]
    assert walk(api, LIST, page_size=3) == expected
    assert walk(api, LIST, page_size=3, ordering="published") == expected[::-1]


def test_reviews_published_at_the_same_moment_are_neither_lost_nor_repeated(
    api: APIClient,
) -> None:
    same = NOW - datetime.timedelta(days=1)
    reviews = [publish(publish_at=same, date_published=same) for _ in range(5)]
    assert sorted(walk(api, LIST, page_size=2)) == sorted(r.claim.slug for r in reviews)


def test_the_previous_link_leads_back_to_the_page_before(api: APIClient) -> None:
    for i in range(5):
        publish(days_ago=10 - i)
    first = get(api, LIST, page_size=2)
    second = get(api, first["next"])
    assert second["previous"] is not None
    assert get(api, second["previous"])["results"] == first["results"]
    back = get(api, second["previous"])
    assert back["previous"] is None
    assert back["next"] is not None


def test_pages_stay_stable_while_new_reviews_are_published(api: APIClient) -> None:
    reviews = [publish(days_ago=10 - i) for i in range(4)]
    first = get(api, LIST, page_size=2)
    publish(days_ago=0.1)  # arrives on top while a client is paging
    second = get(api, first["next"])
    assert slugs(first["results"]) + slugs(second["results"]) == [
        r.claim.slug for r in reversed(reviews)
    ]


def test_the_list_never_counts_the_table(api: APIClient) -> None:
    publish()
    get(api, LIST, page_size=2)  # reads the public state (which counts its own marks)
    with CaptureQueriesContext(connection) as queries:
        get(api, LIST, page_size=1)
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


@pytest.mark.parametrize("size", ["0", "101", "1000000", "-1", "abc", "1.5", "\x00"])
def test_page_size_must_be_between_1_and_100(api: APIClient, size: str) -> None:
    response = api.get(LIST, {"page_size": size})
    assert response.status_code == 400
    assert response.json() == {"page_size": [pagination.PAGE_SIZE_INVALID.format(max=100)]}


def test_page_size_100_is_allowed(api: APIClient) -> None:
    publish()
    assert len(get(api, LIST, page_size=100)["results"]) == 1


def _next_cursor(api: APIClient) -> str:
    page = get(api, LIST, page_size=1)
    return parse_qs(urlsplit(page["next"]).query)["cursor"][0]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c[:-3] + "xyz",  # signature broken
        lambda c: "x" + c,
        lambda c: "garbage",
        lambda c: "\x00",
        lambda c: "a" * 5000,
        lambda c: signing.dumps(["not a date", 1, False, "-published"], salt="x"),
    ],
)
def test_a_tampered_cursor_is_a_400(api: APIClient, tamper: Any) -> None:
    publish(days_ago=2)
    publish(days_ago=1)
    response = api.get(LIST, {"cursor": tamper(_next_cursor(api)), "page_size": 1})
    assert response.status_code == 400
    assert response.json() == {"cursor": [pagination.CURSOR_INVALID]}


def test_a_validly_signed_cursor_with_a_bad_position_is_a_400(api: APIClient) -> None:
    salt = pagination.ClaimReviewCursorPagination.signer_salt
    for payload in (
        ["not a date", 1, False, "-published"],
        ["2017-01-01", "x", False, 1],
        ["2017-01-01T00:00:00", 1, False, "-published"],  # no time zone
        ["2017-01-01T00:00:00+00:00", 2**70, False, "-published"],
        ["2017-01-01T00:00:00+00:00", -1, False, "-published"],
        [1],
        "a string",
    ):
        response = api.get(LIST, {"cursor": signing.dumps(payload, salt=salt)})
        assert response.status_code == 400, payload


def test_a_cursor_of_another_ordering_is_a_400(api: APIClient) -> None:
    publish(days_ago=2)
    publish(days_ago=1)
    response = api.get(LIST, {"cursor": _next_cursor(api), "ordering": "published"})
    assert response.status_code == 400
    assert response.json() == {"cursor": [pagination.CURSOR_INVALID]}


# --- filters ----------------------------------------------------------------------------------


def test_q_matches_every_word_in_claim_claimant_headline_or_summary(api: APIClient) -> None:
    sessions = publish(
        claim=ClaimFactory(
            text="I did not have communications with the Russians.",
            claimant=ClaimantFactory(name="Jeff Sessions"),
        ),
        headline="Sessions met the ambassador",
        summary="Twice, in fact.",
    )
    publish(claim=ClaimFactory(text="The crowd was the largest ever."))
    for q in ("russians", "RUSSIANS jeff", "ambassador", "twice", "sessions communications"):
        assert slugs(get(api, LIST, q=q)["results"]) == [sessions.claim.slug], q
    assert get(api, LIST, q="russians crowd")["results"] == []


@pytest.mark.postgres
@pytest.mark.parametrize("cap", [2, 1000])
def test_q_pages_by_cursor_in_either_order_whether_its_matches_are_few_or_many(
    monkeypatch: pytest.MonkeyPatch, api: APIClient, cap: int
) -> None:
    # Past COUNT_CAP matches the page is read from the newest-first index, up to it from the
    # matches themselves (matching.search.matches_to_list): the same pages either way.
    monkeypatch.setattr(search_module, "COUNT_CAP", cap)
    paged = [publish(days_ago=i + 1, claim=ClaimFactory(text=f"Paged {i}")) for i in range(4)]
    publish(days_ago=2.5, claim=ClaimFactory(text="Another claim"))
    newest_first = [r.claim.slug for r in paged]
    assert walk(api, LIST, q="paged", page_size=1) == newest_first
    assert walk(api, LIST, q="paged", page_size=3, ordering="published") == newest_first[::-1]
    assert walk(api, LIST, q="paged", page_size=1, ordering="-modified") == newest_first
    second = get(api, get(api, LIST, q="paged", page_size=2)["next"])
    assert slugs(second["results"]) == newest_first[2:] and second["next"] is None
    assert slugs(get(api, second["previous"])["results"]) == newest_first[:2]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
def test_outside_a_transaction_q_is_three_round_trips_each_with_its_timeout(
    api: APIClient,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    # As a request runs it (no ATOMIC_REQUESTS): the count of q's first matches, then the
    # page's ids, then their rows (the prepared query of claims.claimreview.rows), each its own
    # transaction sent in one message with its statement_timeout and sequential scans priced
    # out.
    review = publish(claim=ClaimFactory(text="Timed claim"))
    public_state()
    with django_assert_num_queries(3) as captured:
        assert slugs(get(api, LIST, q="timed")["results"]) == [review.claim.slug]
    assert all(
        q["sql"].startswith("SELECT set_config('statement_timeout', ")
        and "set_config('enable_seqscan', 'off', true);" in q["sql"]
        for q in captured.captured_queries
    )


def test_filters_by_claimant_rating_topic_and_language(api: APIClient) -> None:
    topic = TopicFactory(slug="health")
    claimant = ClaimantFactory(slug="jane")
    claim = ClaimFactory(claimant=claimant)
    claim.topics.add(topic)
    target = publish(claim=claim, rating=default_rating("true"), language="en-GB")
    publish(language="pt-BR")
    expected = [target.claim.slug]
    assert slugs(get(api, LIST, claimant="jane")["results"]) == expected
    assert slugs(get(api, LIST, rating="true")["results"]) == expected
    assert slugs(get(api, LIST, topic="health")["results"]) == expected
    assert slugs(get(api, LIST, language="en")["results"]) == expected
    assert slugs(get(api, LIST, language="en-gb")["results"]) == expected
    assert get(api, LIST, language="es")["results"] == []
    response = api.get(LIST, {"claimant": "nobody-at-all"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["claimant"]


def test_filters_by_publication_date(api: APIClient) -> None:
    jan = publish(publish_at=datetime.datetime(2017, 1, 15, tzinfo=datetime.UTC))
    jan.date_published = jan.publish_at
    Review.objects.filter(pk=jan.pk).update(date_published=jan.publish_at)
    mar = publish(days_ago=0)
    Review.objects.filter(pk=mar.pk).update(
        date_published=datetime.datetime(2017, 3, 1, tzinfo=datetime.UTC)
    )
    assert slugs(get(api, LIST, published_after="2017-02-01")["results"]) == [mar.claim.slug]
    assert slugs(get(api, LIST, published_before="2017-02-01")["results"]) == [jan.claim.slug]
    both = get(api, LIST, published_after="2017-01-15T00:00:00Z", published_before="2017-03-02")
    assert len(both["results"]) == 2
    assert get(api, LIST, published_after="2017-03-01T00:00:01+00:00")["results"] == []


HOSTILE_PARAMS = [
    ({"q": "nul\x00byte"}, "q"),
    ({"q": "x" * 5000}, "q"),
    ({"claimant": "\x00"}, "claimant"),
    ({"claimant": "not a slug!"}, "claimant"),
    ({"rating": "x" * 500}, "rating"),
    ({"topic": "'; DROP TABLE claims_topic; --"}, "topic"),
    ({"language": "english please"}, "language"),
    ({"language": "en\x00"}, "language"),
    ({"published_after": "yesterday"}, "published_after"),
    ({"published_after": "99999-01-01"}, "published_after"),
    ({"published_before": "2017-02-30"}, "published_before"),
    ({"published_before": "\x00"}, "published_before"),
    # In year 10000 and year 0 once converted to UTC, where the database compares them.
    ({"published_before": "9999-12-31T23:59:59-05:00"}, "published_before"),
    ({"published_after": "0001-01-01T00:00:00+05:00"}, "published_after"),
    ({"ordering": "nonsense"}, "ordering"),
    ({"page_size": "1000000"}, "page_size"),
    ({"cursor": "tampered"}, "cursor"),
]


@pytest.mark.parametrize(("params", "field"), HOSTILE_PARAMS)
def test_hostile_parameters_get_a_400_naming_the_field(
    api: APIClient, params: dict[str, str], field: str
) -> None:
    publish()
    response = api.get(LIST, params, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field]
    assert all(isinstance(m, str) and m for m in body[field])


@pytest.mark.parametrize(
    "params",
    [{"q": "ü∂ 漢字 🙂"}, {"q": "%_\\"}, {"q": "   "}, {"q": "a " * 99}],
)
def test_odd_but_harmless_parameters_get_a_200(api: APIClient, params: dict[str, str]) -> None:
    publish()
    assert api.get(LIST, params, HTTP_ACCEPT="application/json").status_code == 200


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"published_before": "9999-12-31T23:59:59+00:00"}, 1),
        ({"published_before": "9999-12-31T18:59:59-05:00"}, 1),
        ({"published_after": "0001-01-01T00:00:00Z"}, 1),
        ({"published_after": "0001-01-01T05:00:00+05:00"}, 1),
        ({"published_after": "9999-12-31T23:59:59Z"}, 0),
        ({"published_before": "0001-01-01"}, 0),
    ],
)
def test_the_extreme_dates_that_fit_in_utc_are_answered(
    api: APIClient, params: dict[str, str], found: int
) -> None:
    publish()
    assert len(get(api, LIST, **params)["results"]) == found


def test_a_date_time_beyond_the_years_1_to_9999_in_utc_says_so(api: APIClient) -> None:
    response = api.get(LIST, {"published_before": "9999-12-31T23:59:59-05:00"})
    assert response.status_code == 400
    assert response.json() == {"published_before": [DATETIME_OUT_OF_RANGE]}


def test_like_wildcards_in_q_are_matched_literally(api: APIClient) -> None:
    publish(claim=ClaimFactory(text="Growth was 5% last year."))
    publish(claim=ClaimFactory(text="Growth was 55 last year."))
    assert len(get(api, LIST, q="5%")["results"]) == 1


# --- detail -----------------------------------------------------------------------------------


def test_detail_is_exactly_the_builders_claimreview(api: APIClient) -> None:
    claim = ClaimFactory()
    AppearanceFactory(claim=claim, first=True)
    review = publish(claim=claim)
    CorrectionFactory(review=review)
    body = get(api, detail(claim.slug))
    assert body == build_claimreview(Review.objects.for_claimreview().get(pk=review.pk))
    assert body["@context"] == "https://schema.org"


def test_detail_answers_json_ld_when_asked(api: APIClient) -> None:
    review = publish()
    response = api.get(detail(review.claim.slug), HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response.json() == get(api, detail(review.claim.slug))
    by_format = api.get(detail(review.claim.slug), {"format": "jsonld"})
    assert by_format["Content-Type"] == "application/ld+json"
    plain = api.get(detail(review.claim.slug), HTTP_ACCEPT="application/json")
    assert plain["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "make",
    [
        lambda: ReviewFactory(),
        lambda: ReviewFactory(status=ReviewStatus.IN_REVIEW),
        lambda: ReviewFactory(status=ReviewStatus.APPROVED, rating=default_rating()),
        lambda: ReviewFactory(published=True, publish_at=NOW + datetime.timedelta(days=1)),
        lambda: ReviewFactory(
            status=ReviewStatus.WITHDRAWN,
            rating=default_rating(),
            publish_at=NOW - datetime.timedelta(days=2),
            date_published=NOW - datetime.timedelta(days=2),
            withdrawn_at=NOW - datetime.timedelta(days=1),
            withdrawal_note="Withdrawn.",
        ),
        lambda: ReviewFactory(imported=True),
    ],
    ids=["draft", "in_review", "approved", "scheduled", "withdrawn", "imported"],
)
def test_detail_of_anything_unpublished_is_a_404(api: APIClient, make: Any) -> None:
    review = make()
    response = api.get(detail(review.claim.slug), HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert review.headline not in response.content.decode()


def test_detail_of_an_unknown_slug_is_a_404(api: APIClient) -> None:
    assert api.get(detail("no-such-claim")).status_code == 404


# --- conditional GET and cache headers --------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, "/api/v1/ratings/", "/api/v1/feed/", "detail"])
def test_public_responses_carry_validators_and_answer_304(api: APIClient, url: str) -> None:
    review = publish()
    url = detail(review.claim.slug) if url == "detail" else url
    first = api.get(url)
    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert first["Cache-Control"] == f"public, max-age={public_api.PUBLIC_MAX_AGE}"
    assert "Accept" in first["Vary"]
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    stale = http_date((NOW - datetime.timedelta(days=30)).timestamp())
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=stale).status_code == 200
    assert api.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_304_carries_the_validators_and_cache_headers(api: APIClient) -> None:
    publish()
    first = api.get(LIST)
    again = api.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]
    assert again.content == b""


def test_the_etag_differs_by_query_and_by_media_type(api: APIClient) -> None:
    review = publish()
    etags = {
        api.get(LIST)["ETag"],
        api.get(LIST, {"page_size": 5})["ETag"],
        api.get(detail(review.claim.slug), HTTP_ACCEPT="application/json")["ETag"],
        api.get(detail(review.claim.slug), HTTP_ACCEPT="application/ld+json")["ETag"],
    }
    assert len(etags) == 4


def test_the_etag_changes_when_public_data_changes(
    api: APIClient,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    review = publish()
    before = api.get(LIST)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        review.headline = "A corrected headline"
        review.save()
    after = api.get(LIST)
    assert after["ETag"] != before
    assert api.get(LIST, HTTP_IF_NONE_MATCH=before).status_code == 200


def test_the_etag_changes_when_a_scheduled_review_comes_due(api: APIClient) -> None:
    publish(days_ago=2)
    ReviewFactory(published=True, publish_at=timezone.now() + datetime.timedelta(hours=1))
    before = api.get(LIST)["ETag"]
    later = timezone.now() + datetime.timedelta(hours=2)
    # no write at all, only time passing: the state still changed
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert api.get(LIST)["ETag"] != before


@pytest.mark.parametrize("url", [LIST, "/api/v1/ratings/", "detail"])
def test_an_options_request_is_neither_cached_nor_served_to_the_next_get(
    api: APIClient, url: str
) -> None:
    review = publish()
    url = detail(review.claim.slug) if url == "detail" else url
    options = api.options(url, HTTP_ACCEPT="application/json")
    assert options.status_code == 200
    assert "renders" in options.json()
    assert "ETag" not in options
    response = api.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "renders" not in response.json()
    assert api.get(url, HTTP_ACCEPT="application/json").json() == response.json()


def test_signed_in_staff_get_private_responses(api: APIClient, editor) -> None:  # type: ignore[no-untyped-def]
    publish()
    api.force_authenticate(editor)
    response = api.get(LIST, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_the_api_is_read_only(api: APIClient, editor) -> None:  # type: ignore[no-untyped-def]
    review = publish()
    for client_user in (None, editor):
        api.force_authenticate(client_user)
        for url in (LIST, detail(review.claim.slug), "/api/v1/ratings/", "/api/v1/feed/"):
            assert api.post(url, {}).status_code == 405, url
            assert api.delete(url).status_code == 405, url


# --- ratings ----------------------------------------------------------------------------------


def test_ratings_list_the_default_scale_with_published_counts_only(api: APIClient) -> None:
    publish(rating=default_rating("false"))
    publish(rating=default_rating("false"))
    publish(rating=default_rating("true"))
    ReviewFactory(rating=default_rating("true"))  # a draft
    ReviewFactory(published=True, publish_at=NOW + datetime.timedelta(days=1))  # scheduled
    body = get(api, "/api/v1/ratings/")
    assert (body["name"], body["slug"]) == ("Truth scale", "truth-scale")
    by_slug = {r["slug"]: r for r in body["ratings"]}
    assert [r["slug"] for r in body["ratings"]] == [
        "true",
        "mostly-true",
        "half-true",
        "mostly-false",
        "false",
        "misleading",
        "unproven",
    ]
    assert by_slug["false"]["published_reviews"] == 2
    assert by_slug["true"]["published_reviews"] == 1
    assert by_slug["misleading"] == {
        "label": "Misleading",
        "slug": "misleading",
        "value": None,
        "description": by_slug["misleading"]["description"],
        "colour": "#6a3fa0",
        "text_colour": "#ffffff",
        "image_url": "",
        "published_reviews": 0,
    }
    assert by_slug["true"]["value"] == 5


# --- query counts -----------------------------------------------------------------------------


def _rich_review(days_ago: float, evidence: int = 3) -> Review:
    claim = ClaimFactory()
    claim.topics.add(TopicFactory(), TopicFactory())
    AppearanceFactory.create_batch(3, claim=claim)
    review = publish(days_ago=days_ago, claim=claim)
    EvidenceFactory.create_batch(evidence, review=review)
    CorrectionFactory.create_batch(2, review=review)
    return review


# The public state is read once per process and bound (claims.public_state): each test reads it
# before counting, as any request after the first would have. On PostgreSQL the rows carry their
# appearances and corrections as nested arrays (claims.claimreview.rows): no query for them.
NESTED = connection.vendor == "postgresql"


@pytest.mark.parametrize("rows", [1, 50])
def test_the_list_takes_three_queries_whatever_the_rows(
    api: APIClient,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
    rows: int,
) -> None:
    reviews = [_rich_review(days_ago=i + 1, evidence=10) for i in range(rows)]
    topic = reviews[0].claim.topics.first()
    assert topic is not None
    public_state()
    # On PostgreSQL: 1 the page's ids over the index that orders it; 2 their rows with claim,
    # claimant and rating joined, the scale's bounds as subqueries and their appearances and
    # corrections nested (a query compiled once: claims.claimreview.rows). Elsewhere: 1 the
    # page of reviews with claim, claimant and rating joined; 2 the claims' appearances; 3 the
    # reviews' corrections. With `q` on PostgreSQL, the count of its first matches, and the
    # search's savepoint (in the test's transaction: RELEASE after) with the server's settings
    # put back at the end; the topic filter's check that the topic is one of a published
    # review (a 400 otherwise).
    queries = 2 if NESTED else 3
    searching = 4 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(queries + searching + 1):
        page = get(api, LIST, q="claim", topic=topic.slug, page_size=100)
    assert len(page["results"]) == 1
    with django_assert_num_queries(queries):
        assert len(get(api, LIST, page_size=100)["results"]) == rows
    with django_assert_num_queries(0):  # the same URL again: from the response cache
        assert len(get(api, LIST, page_size=100)["results"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_the_detail_takes_two_queries(
    api: APIClient,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
    rows: int,
) -> None:
    reviews = [_rich_review(days_ago=i + 1, evidence=10) for i in range(rows)]
    public_state()
    # PostgreSQL: 1 the review with claim, claimant and rating joined, its appearances and
    # corrections nested. Elsewhere: 1 the review with claim, claimant and rating joined and
    # its corrections (a row each); 2 its claim's appearances.
    with django_assert_num_queries(1 if NESTED else 2):
        data = get(api, detail(reviews[0].claim.slug))
    assert len(data["correction"]) == 2
    with django_assert_num_queries(0):  # again: from the response cache
        get(api, detail(reviews[0].claim.slug))


def test_ratings_take_three_queries(
    api: APIClient,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    for _ in range(4):
        _rich_review(days_ago=1)
    public_state()
    # 1 the default scale; 2 its ratings; 3 the published reviews counted per rating (one
    # grouped query); then kept in the cache until the public state changes.
    with django_assert_num_queries(3):
        get(api, "/api/v1/ratings/")
    with django_assert_num_queries(0):
        get(api, "/api/v1/ratings/")


def test_ratings_counts_are_kept_until_the_public_state_changes(
    api: APIClient,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    # At a million reviews the grouped count takes 0.2 s: every rendering of the scale in one
    # public state shares one count, and the next publication counts again.
    _rich_review(days_ago=1)
    state = public_state()
    with django_assert_num_queries(1):
        first = public_api.published_per_rating(state)
    with django_assert_num_queries(0):
        assert public_api.published_per_rating(state) == first
    publish(days_ago=2)
    counts = public_api.published_per_rating(public_state())
    assert sum(counts.values()) == sum(first.values()) + 1
    assert get(api, "/api/v1/ratings/")  # and the endpoint reads the same


def test_a_304_takes_no_query(api: APIClient, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        _rich_review(days_ago=i + 1)
    etag = api.get(LIST)["ETag"]
    # Nothing at all: the public state is this process's reading, the page is not built.
    with django_assert_num_queries(0):
        assert api.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_openapi_schema_describes_the_public_endpoints(api: APIClient) -> None:
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/claim-reviews/",
        "/api/v1/claim-reviews/{slug}/",
        "/api/v1/ratings/",
        "/api/v1/feed/",
        "/api/google/v1alpha1/claims:search",
    ):
        assert path in paths, path
