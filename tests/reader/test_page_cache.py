"""Public pages are cached and validated on the public state: a publish, correction or withdrawal
(or a scheduled review's time arriving) shows at once; an unchanged page answers 304."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from claims.models import CorrectionKind, ReviewStatus
from tests.helpers import CorrectionFactory, make_fact_check

pytestmark = pytest.mark.django_db

PAGES = ["/", "/ratings/", "/corrections/", "/search/?q=russians", "/feeds/latest/", "/sitemap.xml"]


def test_public_pages_carry_etag_last_modified_and_public_cache_control(client: Client) -> None:
    review = make_fact_check()
    for url in [*PAGES, f"/claims/{review.claim.slug}/", f"/claims/{review.claim.slug}/embed/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["ETag"].startswith('"'), url
        assert response["Last-Modified"], url
        assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]


def test_conditional_get_with_the_etag_answers_304(client: Client) -> None:
    review = make_fact_check()
    url = f"/claims/{review.claim.slug}/"
    etag = client.get(url)["ETag"]

    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_conditional_get_with_last_modified_answers_304(client: Client) -> None:
    make_fact_check()
    last_modified = client.get("/")["Last-Modified"]
    assert client.get("/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    an_hour_earlier = http_date(timezone.now().timestamp() - 3600 * 24 * 365)
    assert client.get("/", HTTP_IF_MODIFIED_SINCE=an_hour_earlier).status_code == 200


def test_a_correction_changes_the_etag_and_the_cached_page(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    review = make_fact_check(corrections=0)
    url = f"/claims/{review.claim.slug}/"
    before = client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        CorrectionFactory(
            review=review, kind=CorrectionKind.UPDATE, note="We added the second meeting."
        )
    after = client.get(url)

    assert after["ETag"] != before["ETag"]
    assert b"We added the second meeting." in after.content
    assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_a_withdrawal_takes_the_review_off_every_list_at_once(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    review = make_fact_check(headline="Soon to be withdrawn")
    assert b"Soon to be withdrawn" in client.get("/").content

    with django_capture_on_commit_callbacks(execute=True):
        review.status = ReviewStatus.WITHDRAWN
        review.withdrawn_at = timezone.now()
        review.withdrawal_note = "The source retracted its report."
        review.save()

    assert b"Soon to be withdrawn" not in client.get("/").content
    assert (
        b"The source retracted its report." in client.get(f"/claims/{review.claim.slug}/").content
    )


def test_a_scheduled_review_appears_when_its_time_comes_without_any_write(client: Client) -> None:
    review = make_fact_check(
        headline="Scheduled for later", published_ago=-datetime.timedelta(minutes=30)
    )
    home = client.get("/")
    assert b"Scheduled for later" not in home.content
    assert client.get(f"/claims/{review.claim.slug}/").status_code == 404

    later = timezone.now() + datetime.timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.get("/")
        assert b"Scheduled for later" in response.content
        assert response["ETag"] != home["ETag"]
        assert client.get(f"/claims/{review.claim.slug}/").status_code == 200


def test_unknown_query_parameters_share_the_cached_page(
    client: Client, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    make_fact_check()
    client.get("/ratings/")
    with django_assert_num_queries(0):  # no query: a hit of the page cache
        assert client.get("/ratings/?utm_source=x&fbclid=y").status_code == 200


def test_distinct_searches_are_cached_apart(client: Client) -> None:
    make_fact_check(headline="About Russians")
    make_fact_check(headline="About inaugurations", text="The largest audience ever.")
    assert b"About Russians" in client.get("/search/?q=russians").content
    other = client.get("/search/?q=inaugurations").content
    assert b"About inaugurations" in other and b"About Russians" not in other
    # A value that looks like a second parameter is still one value.
    html = client.get("/search/?q=russians%26page%3D2").content.decode()
    assert "for “russians&amp;page=2”" in html and "Page 2" not in html


def test_errors_are_not_cached_nor_validated(client: Client) -> None:
    response = client.get("/claims/nothing-here/")
    assert response.status_code == 404
    assert "ETag" not in response
    bad = client.get("/?rating=nope")
    assert bad.status_code == 400 and "ETag" not in bad


def test_only_get_and_head_are_allowed(client: Client) -> None:
    assert client.post("/").status_code == 405
    assert client.head("/").status_code == 200


def test_a_cached_page_is_never_served_to_a_host_not_allowed(client: Client) -> None:
    make_fact_check()
    assert client.get("/ratings/").status_code == 200  # now cached
    assert client.get("/ratings/", HTTP_HOST="evil.example").status_code == 400


def test_a_cached_page_still_redirects_plain_http_when_asked_to(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    make_fact_check()
    assert client.get("/ratings/", secure=True).status_code == 200  # now cached
    settings.SECURE_SSL_REDIRECT = True
    redirecting = Client()  # (the middleware reads the setting when it is loaded)
    assert redirecting.get("/ratings/").status_code == 301
    assert redirecting.get("/ratings/", secure=True).status_code == 200
