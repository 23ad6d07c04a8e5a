"""Imported prior checks: found by claims:search with their publisher's name and site, never on
our reader pages, feed, sitemap or public ClaimReview API; hostile markup refused or escaped;
the admin's upload form, run pages and "Prior checks" list."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import Review
from imports.models import ImportRun
from imports.services import import_document
from tests.helpers import HOSTILE_TEXT, api, signed_in

pytestmark = pytest.mark.django_db

MARK = "zebracrossingprior"


def claimreview(**fields: Any) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://www.checker.example.net/2024/zebra/?utm_source=x",
        "claimReviewed": f"Zebras cross at {MARK} lights",
        "headline": "No, zebras do not",
        "datePublished": "2024-03-01T10:00:00+05:30",
        "author": {"@type": "Organization", "name": "Checker Weekly"},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "Falso",
            "ratingValue": "1",
            "bestRating": "5",
            "worstRating": "1",
        },
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Someone"}},
        **fields,
    }


def run_import(*records: dict[str, Any]) -> ImportRun:
    body = json.dumps(list(records)).encode()
    return import_document(stream=io.BytesIO(body), source="test")


def test_an_imported_review_keeps_what_was_published_and_its_verdict() -> None:
    run_import(claimreview())
    review = Review.objects.imported().select_related("publisher").get()
    assert review.external_url == "https://www.checker.example.net/2024/zebra/?utm_source=x"
    assert review.canonical_url == "https://checker.example.net/2024/zebra"
    assert (review.publisher.name, review.publisher.site) == (
        "Checker Weekly",
        "checker.example.net",
    )
    assert (review.rating_label, review.rating_value, review.rating_best, review.rating_worst) == (
        "Falso",
        1.0,
        5.0,
        1.0,
    )
    assert review.verdict == "false"
    assert review.date_published.isoformat() == "2024-03-01T04:30:00+00:00"


def test_claims_search_finds_it_with_its_publisher_name_and_site(api) -> None:  # type: ignore[no-untyped-def]
    run_import(claimreview())
    for params in ({"query": MARK}, {"reviewPublisherSiteFilter": "checker.example.net"}):
        response = api.get("/api/google/v1alpha1/claims:search", params)
        reviews = [r for c in response.json()["claims"] for r in c["claimReview"]]
        assert reviews == [
            {
                "publisher": {"name": "Checker Weekly", "site": "checker.example.net"},
                "url": "https://www.checker.example.net/2024/zebra/?utm_source=x",
                "title": "No, zebras do not",
                "reviewDate": "2024-03-01T04:30:00Z",
                "textualRating": "Falso",
                "languageCode": reviews[0]["languageCode"],
            }
        ]


def test_it_never_shows_on_our_pages_feed_sitemap_or_public_api(api, client) -> None:  # type: ignore[no-untyped-def]
    run_import(claimreview())
    review = Review.objects.imported().select_related("claim__claimant").get()
    for path in [
        "/",
        f"/search/?q={MARK}",
        "/feeds/latest/",
        "/sitemap.xml",
        "/sitemap-claims.xml",
        "/sitemap-claimants.xml",
        "/corrections/",
        "/api/v1/claim-reviews/",
        f"/api/v1/claim-reviews/?q={MARK}",
        "/api/v1/feed/",
    ]:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        # (the search page repeats the query, so look for the review's own words)
        assert b"No, zebras do not" not in body, path
        assert b"Zebras cross at" not in body, path
        assert b"checker.example.net" not in body, path
    for path in [
        f"/claims/{review.claim.slug}/",
        f"/claimants/{review.claim.claimant.slug}/",
        f"/api/v1/claim-reviews/{review.claim.slug}/",
    ]:
        assert client.get(path).status_code == 404, path


def test_a_javascript_url_is_refused_and_one_in_an_appearance_dropped() -> None:
    run = run_import(
        claimreview(url="javascript:alert(1)"),
        claimreview(
            url="https://checker.example.net/ok/",
            itemReviewed={
                "@type": "Claim",
                "appearance": [
                    {"url": "JavaScript:alert(1)"},
                    {"url": "https://social.example/p/1"},
                ],
            },
        ),
    )
    first, second = run.records.order_by("index")
    assert first.status == "refused"
    assert first.reason == "url: javascript: URLs are not allowed; give an http(s) URL."
    assert second.status == "imported"
    assert [a.url for a in second.review.claim.appearances.all()] == ["https://social.example/p/1"]
    assert Review.objects.count() == 1


def hostile_record() -> dict[str, Any]:
    text = f"{MARK} {HOSTILE_TEXT}"
    return claimreview(
        claimReviewed=text,
        headline=text,
        reviewBody=text,
        description=text,
        author={"@type": "Organization", "name": text},
        reviewRating={"@type": "Rating", "alternateName": text},
        itemReviewed={
            "@type": "Claim",
            "name": text,
            "text": text,
            "author": {"@type": "Person", "name": text, "jobTitle": text},
        },
    )


def test_script_in_every_text_field_is_stored_as_text_and_shown_escaped(superuser) -> None:  # type: ignore[no-untyped-def]
    run = run_import(hostile_record())
    assert run.imported == 1
    review = Review.objects.imported().get()
    client = signed_in(superuser)
    for path in [
        "/admin/imports/priorcheck/",
        f"/admin/imports/priorcheck/{review.pk}/change/",
        f"/admin/imports/importrun/{run.pk}/change/",
        f"/admin/imports/priorcheck/?q={MARK}",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"<script>alert(1)" not in response.content, path
    search = api().get("/api/google/v1alpha1/claims:search", {"query": MARK})
    assert search.status_code == 200 and search.json()["claims"]


def test_the_admin_upload_form_imports_through_the_service(editor) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(editor)
    assert client.get("/admin/imports/importrun/add/").status_code == 200
    upload = SimpleUploadedFile("checks.json", json.dumps([claimreview()]).encode())
    response = client.post("/admin/imports/importrun/add/", {"document": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/imports/importrun/{run.pk}/change/"
    assert run.imported == 1 and run.created_by == editor
    page = client.get(response["Location"])
    assert b"checker.example.net/2024/zebra" in page.content


def test_the_upload_form_says_what_is_wrong(editor) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(editor)
    response = client.post("/admin/imports/importrun/add/", {})
    assert response.status_code == 200
    assert b"This field is required" in response.content
    upload = SimpleUploadedFile("broken.json", b'{"@type": "ClaimReview", ')
    response = client.post("/admin/imports/importrun/add/", {"document": upload}, follow=True)
    assert b"Invalid JSON" in response.content
    assert not Review.objects.exists()


def test_fact_checkers_see_prior_checks_but_do_not_import(factchecker) -> None:  # type: ignore[no-untyped-def]
    run_import(claimreview())
    client = signed_in(factchecker)
    page = client.get("/admin/imports/priorcheck/?verdict__exact=false")
    assert page.status_code == 200
    assert b"No, zebras do not" in page.content
    assert b'href="https://www.checker.example.net/2024/zebra/?utm_source=x"' in page.content
    assert client.get("/admin/imports/importrun/add/").status_code == 403


def test_the_prior_checks_list_filters_by_verdict_language_and_publisher(editor) -> None:  # type: ignore[no-untyped-def]
    run_import(
        claimreview(),
        claimreview(
            url="https://other.example.org/a",
            headline="Other one",
            reviewRating={"alternateName": "True"},
            inLanguage="es",
        ),
    )
    client = signed_in(editor)
    page = client.get("/admin/imports/priorcheck/?verdict__exact=true")
    assert b"Other one" in page.content and b"No, zebras do not" not in page.content
    page = client.get("/admin/imports/priorcheck/?language=es")
    assert b"Other one" in page.content and b"No, zebras do not" not in page.content
    page = client.get("/admin/imports/priorcheck/?q=other.example.org")
    assert b"Other one" in page.content and b"No, zebras do not" not in page.content


def test_control_characters_never_reach_the_database() -> None:
    run = run_import(
        claimreview(url="javascript:\x00alert(1)"),
        claimreview(url="https://checker.example.net/nul/", headline="Bad\x00 headline\x07"),
    )
    refused, imported = run.records.order_by("index")
    assert refused.status == "refused" and "\x00" not in refused.url
    assert imported.status == "imported"
    assert imported.review.headline == "Bad headline"
