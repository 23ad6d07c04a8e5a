"""/api/google/v1alpha1/claims:search behaves as Google's Fact Check Tools API claims.search."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jsonschema
import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from claims.models import Publisher, Review, ReviewStatus
from matching import search as search_module
from publishing import google
from tests.helpers import (
    NOW,
    ClaimantFactory,
    ClaimFactory,
    PublisherFactory,
    ReviewFactory,
    default_rating,
    publish,
)

pytestmark = pytest.mark.django_db

SEARCH = "/api/google/v1alpha1/claims:search"
RESPONSE = "GoogleFactcheckingFactchecktoolsV1alpha1FactCheckedClaimSearchResponse"


@pytest.fixture
def discovery(vendor_data: Path) -> dict[str, Any]:
    return json.loads((vendor_data / "google" / "factchecktools.v1alpha1.json").read_text())


def to_json_schema(discovery: dict[str, Any], name: str) -> dict[str, Any]:
    """The discovery document's schema `name` as JSON Schema, refusing unknown fields."""

    def convert(node: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in node:
            return {"$ref": f"#/definitions/{node['$ref']}"}
        kind = node.get("type")
        if kind == "object":
            return {
                "type": "object",
                "properties": {k: convert(v) for k, v in node.get("properties", {}).items()},
                "additionalProperties": False,
            }
        if kind == "array":
            return {"type": "array", "items": convert(node["items"])}
        if kind == "integer":
            return {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1}
        if kind == "string" and node.get("format") == "google-datetime":
            return {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"}
        return {"type": kind}

    definitions = {k: convert(v) for k, v in discovery["schemas"].items()}
    return {"$ref": f"#/definitions/{name}", "definitions": definitions}


def assert_google_shaped(discovery: dict[str, Any], body: dict[str, Any]) -> None:
    schema = to_json_schema(discovery, RESPONSE)
    jsonschema.Draft7Validator(schema).validate(body)


def imported(site: str = "checker.example.net", days_ago: float = 2, **kwargs: Any) -> Review:
    at = NOW - datetime.timedelta(days=days_ago)
    publisher = Publisher.objects.filter(site=site).first() or PublisherFactory(
        name=f"Checker of {site}", site=site
    )
    return ReviewFactory(
        imported=True, publisher=publisher, publish_at=at, date_published=at, **kwargs
    )


def search(api: APIClient, **params: Any) -> dict[str, Any]:
    response = api.get(SEARCH, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def texts(body: dict[str, Any]) -> list[str]:
    return [c["text"] for c in body.get("claims", [])]


def error(api: APIClient, params: dict[str, Any], *, status: int = 400) -> str:
    response = api.get(SEARCH, params)
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == status
    assert body["error"]["status"] == google.RPC_STATUS[status]
    return body["error"]["message"]


# --- the response -----------------------------------------------------------------------------


def test_a_claim_with_our_review_and_an_imported_one(
    api: APIClient,
    settings,  # type: ignore[no-untyped-def]
    discovery: dict[str, Any],
) -> None:
    settings.FACTCHECK_PUBLISHER_NAME = "Example Checks"
    settings.FACTCHECK_SITE_URL = "https://www.factcheck.example.org"
    claim = ClaimFactory(
        text="I did not have communications with the Russians.",
        claimant=ClaimantFactory(name="Jeff Sessions"),
        date_claimed=datetime.date(2017, 1, 10),
    )
    ours = publish(claim=claim, days_ago=1, headline="Sessions met the envoy", language="en")
    theirs = imported(site="politifact.com", days_ago=2, claim=claim, headline="Pants on fire")
    body = search(api, query="russians")
    assert_google_shaped(discovery, body)
    assert body == {
        "claims": [
            {
                "text": "I did not have communications with the Russians.",
                "claimant": "Jeff Sessions",
                "claimDate": "2017-01-10T00:00:00Z",
                "claimReview": [
                    {
                        "publisher": {"name": "Example Checks", "site": "factcheck.example.org"},
                        "url": f"https://www.factcheck.example.org/claims/{claim.slug}/",
                        "title": "Sessions met the envoy",
                        "reviewDate": ours.date_published.astimezone(datetime.UTC).strftime(
                            "%Y-%m-%dT%H:%M:%SZ"
                        ),
                        "textualRating": "False",
                        "languageCode": "en",
                    },
                    {
                        "publisher": {
                            "name": "Checker of politifact.com",
                            "site": "politifact.com",
                        },
                        "url": theirs.external_url,
                        "title": "Pants on fire",
                        "reviewDate": theirs.date_published.astimezone(datetime.UTC).strftime(
                            "%Y-%m-%dT%H:%M:%SZ"
                        ),
                        "textualRating": "False",
                        "languageCode": "en",
                    },
                ],
            }
        ]
    }


def test_no_match_is_an_empty_object_as_google_sends(
    api: APIClient, discovery: dict[str, Any]
) -> None:
    publish()
    body = search(api, query="nothing matches this")
    assert body == {}
    assert_google_shaped(discovery, body)


def test_missing_claimant_and_date_are_left_out(api: APIClient, discovery: dict[str, Any]) -> None:
    publish(claim=ClaimFactory(text="Anonymous claim", claimant=None, date_claimed=None))
    body = search(api, query="anonymous")
    assert set(body["claims"][0]) == {"text", "claimReview"}
    assert_google_shaped(discovery, body)


def test_an_existing_client_works_by_changing_only_the_root_url(
    api: APIClient, discovery: dict[str, Any]
) -> None:
    publish(claim=ClaimFactory(text="The crowd was the largest ever."))
    # What a discovery-based client (googleapiclient, google-api-dotnet-client, ...) requests:
    # rootUrl + servicePath + the method's path, with its parameters and the standard ones.
    method = discovery["resources"]["claims"]["methods"]["search"]
    root = "http://testserver/api/google/"  # instead of discovery["rootUrl"]
    url = root + discovery["servicePath"] + method["path"]
    params = {"query": "crowd", "languageCode": "en-US", "pageSize": 5}
    assert set(params) <= set(method["parameters"])
    standard = {"key": "AIza-not-needed", "alt": "json", "prettyPrint": "false"}
    assert set(standard) <= set(discovery["parameters"])
    response = api.get(f"{url}?{urlencode({**params, **standard})}")
    assert response.status_code == 200
    assert_google_shaped(discovery, response.json())
    assert texts(response.json()) == ["The crowd was the largest ever."]


def test_our_parameters_are_exactly_googles(discovery: dict[str, Any]) -> None:
    method = discovery["resources"]["claims"]["methods"]["search"]
    assert set(google.PARAMETERS) == set(method["parameters"])
    assert set(google.STANDARD_PARAMETERS) == set(discovery["parameters"])
    assert method["httpMethod"] == "GET"
    assert method["path"] == "v1alpha1/claims:search"


def test_the_schema_check_accepts_real_google_answers_and_refuses_extra_fields(
    vendor_data: Path, discovery: dict[str, Any]
) -> None:
    # Real claims.search output (kept by researchers) passes the converted schema, so the
    # converter is faithful; a misnamed field does not.
    arabic = vendor_data / "claimreview/Ghassan-Dib__Arabic-Fact-Checking@9769ab58c7/data"
    claims = json.loads((arabic / "claim_reviews.json").read_text(encoding="utf-8"))
    single = vendor_data / "claimreview/meedan__fetch/spec/fixtures/google_fact_check_raw.json"
    claims.append(json.loads(single.read_text(encoding="utf-8")))
    assert_google_shaped(discovery, {"claims": claims, "nextPageToken": "abc"})
    misnamed = {"claims": [{"text": "x", "claimReview": [{"publisher": {"siteName": "x"}}]}]}
    with pytest.raises(jsonschema.ValidationError):
        assert_google_shaped(discovery, misnamed)
    with pytest.raises(jsonschema.ValidationError):
        assert_google_shaped(discovery, {"claims": [], "next_page_token": "x"})


# --- what is searched -------------------------------------------------------------------------


def test_unpublished_reviews_never_appear(api: APIClient) -> None:
    claim = ClaimFactory(text="Secret claim")
    ReviewFactory(claim=claim)
    ReviewFactory(claim=ClaimFactory(text="Secret claim 2"), status=ReviewStatus.IN_REVIEW)
    ReviewFactory(
        claim=ClaimFactory(text="Secret claim 3"),
        status=ReviewStatus.APPROVED,
        rating=default_rating(),
    )
    publish(days_ago=-1, claim=ClaimFactory(text="Secret claim 4"))  # scheduled
    ReviewFactory(
        claim=ClaimFactory(text="Secret claim 5"),
        status=ReviewStatus.WITHDRAWN,
        rating=default_rating(),
        publish_at=NOW - datetime.timedelta(days=3),
        date_published=NOW - datetime.timedelta(days=3),
        withdrawn_at=NOW - datetime.timedelta(days=1),
        withdrawal_note="Withdrawn.",
    )
    assert search(api, query="secret") == {}
    # an imported review of the same claim shows, without our draft
    theirs = imported(claim=claim)
    body = search(api, query="secret")
    assert [r["url"] for r in body["claims"][0]["claimReview"]] == [theirs.external_url]


def test_query_words_must_all_match_case_insensitively(api: APIClient) -> None:
    publish(
        claim=ClaimFactory(
            text="We send the EU 350 million a week.",
            claimant=ClaimantFactory(name="Vote Leave"),
        ),
        headline="The bus figure is wrong",
    )
    publish(claim=ClaimFactory(text="The EU is a superstate."))
    assert texts(search(api, query="eu MILLION")) == ["We send the EU 350 million a week."]
    assert texts(search(api, query="vote leave")) == ["We send the EU 350 million a week."]
    assert texts(search(api, query="bus figure")) == ["We send the EU 350 million a week."]
    assert len(texts(search(api, query="eu"))) == 2
    assert texts(search(api, query="eu bananas")) == []


@pytest.mark.parametrize("query", ["Rüssians", "RUSSIANS", "russians", "SÉSSIONS rüssians"])
def test_query_ignores_case_and_accents(api: APIClient, query: str) -> None:
    publish(
        claim=ClaimFactory(
            text="I did not have communications with the Russians.",
            claimant=ClaimantFactory(name="Jeff Sessions"),
        )
    )
    publish(claim=ClaimFactory(text="The crowd was the largest ever."))
    assert texts(search(api, query=query)) == ["I did not have communications with the Russians."]


def test_the_summary_and_accented_text_are_searched_too(api: APIClient) -> None:
    publish(claim=ClaimFactory(text="L'émigré a menti."), summary="Kislyak met him twice.")
    imported(claim=ClaimFactory(text="Théirs"), summary="Their summary about Öresund")
    assert texts(search(api, query="KISLYAK emigre")) == ["L'émigré a menti."]
    assert texts(search(api, query="oresund theirs")) == ["Théirs"]


def test_a_query_of_marks_alone_finds_nothing(api: APIClient) -> None:
    publish()
    assert search(api, query="\u0301\u200b") == {}


def test_language_code_matches_the_primary_language(api: APIClient) -> None:
    publish(claim=ClaimFactory(text="English claim"), language="en")
    publish(claim=ClaimFactory(text="British claim"), language="en-GB")
    publish(claim=ClaimFactory(text="Portuguese claim"), language="pt-BR")
    assert sorted(texts(search(api, query="claim", languageCode="en-US"))) == [
        "British claim",
        "English claim",
    ]
    assert texts(search(api, query="claim", languageCode="pt")) == ["Portuguese claim"]
    assert texts(search(api, query="claim", languageCode="de")) == []


def test_the_site_filter_picks_a_publisher_or_us(api: APIClient, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FACTCHECK_SITE_URL = "https://factcheck.example.org"
    publish(claim=ClaimFactory(text="Ours"))
    imported(site="politifact.com", claim=ClaimFactory(text="Politifact's"))
    imported(site="factcheck.afp.com", claim=ClaimFactory(text="AFP's"))
    assert texts(search(api, reviewPublisherSiteFilter="politifact.com")) == ["Politifact's"]
    assert texts(search(api, reviewPublisherSiteFilter="www.politifact.com")) == ["Politifact's"]
    assert texts(search(api, reviewPublisherSiteFilter="afp.com")) == ["AFP's"]
    assert texts(search(api, reviewPublisherSiteFilter="factcheck.example.org")) == ["Ours"]
    assert texts(search(api, reviewPublisherSiteFilter="example.org")) == ["Ours"]
    assert texts(search(api, reviewPublisherSiteFilter="Politifact.com", query="ours")) == []


def test_max_age_days_looks_at_the_newer_of_claim_and_review_dates(api: APIClient) -> None:
    old_claim = ClaimFactory(text="Old claim, old review", date_claimed=datetime.date(2010, 1, 1))
    publish(days_ago=400, claim=old_claim)
    recent_claim = ClaimFactory(
        text="Old claim, new review", date_claimed=datetime.date(2010, 1, 1)
    )
    publish(days_ago=3, claim=recent_claim)
    new_claim = ClaimFactory(text="New claim, old review", date_claimed=timezone.now().date())
    publish(days_ago=400, claim=new_claim)
    assert sorted(texts(search(api, query="claim", maxAgeDays=30))) == [
        "New claim, old review",
        "Old claim, new review",
    ]
    assert len(texts(search(api, query="claim", maxAgeDays=1000))) == 3
    assert len(texts(search(api, query="claim", maxAgeDays=2**31 - 1))) == 3


def test_claims_matching_alike_come_newest_review_first(api: APIClient) -> None:
    publish(days_ago=5, claim=ClaimFactory(text="Claim A"))
    imported(days_ago=1, claim=ClaimFactory(text="Claim B"))
    publish(days_ago=3, claim=ClaimFactory(text="Claim C"))
    assert texts(search(api, query="claim")) == ["Claim B", "Claim C", "Claim A"]


def test_with_a_site_filter_alone_claims_come_newest_review_first(api: APIClient) -> None:
    site = "checker.example.net"
    imported(site=site, days_ago=5, claim=ClaimFactory(text="Russians, Russians, Russians"))
    imported(site=site, days_ago=1, claim=ClaimFactory(text="Newest, no Russians"))
    imported(site=site, days_ago=3, claim=ClaimFactory(text="Middle"))
    body = search(api, reviewPublisherSiteFilter=site)
    assert texts(body) == ["Newest, no Russians", "Middle", "Russians, Russians, Russians"]


@pytest.mark.postgres
def test_a_strong_match_ranks_above_a_newer_weak_one(api: APIClient) -> None:
    # As Google's claims.search: by relevance (the reader search's score), not by date.
    imported(
        days_ago=400,
        claim=ClaimFactory(text="Russians, Russians, Russians: communications with the Russians."),
    )
    publish(
        days_ago=1,
        claim=ClaimFactory(text="A budget claim."),
        headline="Mentions the Russians once",
    )
    assert texts(search(api, query="russians")) == [
        "Russians, Russians, Russians: communications with the Russians.",
        "A budget claim.",
    ]
    # Equally relevant: the newer review first.
    publish(days_ago=900, claim=ClaimFactory(text="Kislyak met him (old)"))
    imported(days_ago=2, claim=ClaimFactory(text="Kislyak met him (new)"))
    assert texts(search(api, query="kislyak")) == ["Kislyak met him (new)", "Kislyak met him (old)"]


@pytest.mark.postgres
def test_a_claim_ranks_by_its_best_matching_review(api: APIClient) -> None:
    weak_and_strong = ClaimFactory(text="A claim about the envoy.")
    publish(days_ago=1, claim=weak_and_strong, headline="No")
    imported(
        days_ago=300,
        claim=weak_and_strong,
        headline="Envoy, envoy, envoy",
        summary="The envoy met the envoy's envoy.",
    )
    publish(days_ago=1, claim=ClaimFactory(text="The envoy once."))
    body = search(api, query="envoy")
    assert texts(body) == ["A claim about the envoy.", "The envoy once."]
    # Its reviews are all shown, newest first, whichever matched best.
    assert [r["title"] for r in body["claims"][0]["claimReview"]] == ["No", "Envoy, envoy, envoy"]


# --- paging -----------------------------------------------------------------------------------


def test_page_tokens_walk_every_claim_once(api: APIClient, discovery: dict[str, Any]) -> None:
    for i in range(7):
        publish(days_ago=i + 1, claim=ClaimFactory(text=f"Paged claim {i}"))
    seen: list[str] = []
    params: dict[str, Any] = {"query": "paged", "pageSize": 3}
    pages = 0
    while True:
        body = search(api, **params)
        assert_google_shaped(discovery, body)
        seen += texts(body)
        pages += 1
        if "nextPageToken" not in body:
            break
        params["pageToken"] = body["nextPageToken"]
    assert seen == [f"Paged claim {i}" for i in range(7)]
    assert pages == 3


@pytest.mark.postgres
def test_pages_end_with_the_claims_of_the_first_count_cap_plus_one_matches(
    monkeypatch: pytest.MonkeyPatch, api: APIClient
) -> None:
    # As the reader search, the ranking is of the first COUNT_CAP + 1 matching reviews.
    monkeypatch.setattr(search_module, "COUNT_CAP", 3)
    for i in range(6):
        publish(days_ago=i + 1, claim=ClaimFactory(text=f"Capped claim {i}"))
    seen: list[str] = []
    params: dict[str, Any] = {"query": "capped", "pageSize": 3}
    while True:
        body = search(api, **params)
        seen += texts(body)
        if "nextPageToken" not in body:
            break
        params["pageToken"] = body["nextPageToken"]
    assert len(seen) == len(set(seen)) == 4
    assert seen == sorted(seen)  # the newer first, among equals


def test_page_size_defaults_to_10_and_is_capped_at_100(api: APIClient) -> None:
    for i in range(12):
        publish(days_ago=i + 1, claim=ClaimFactory(text=f"Many {i}"))
    assert len(texts(search(api, query="many"))) == 10
    assert len(texts(search(api, query="many", pageSize=0))) == 10
    assert len(texts(search(api, query="many", pageSize=1000000))) == 12


def test_offset_starts_later_and_is_ignored_with_a_page_token(api: APIClient) -> None:
    for i in range(5):
        publish(days_ago=i + 1, claim=ClaimFactory(text=f"Offset {i}"))
    assert texts(search(api, query="offset", offset=3)) == ["Offset 3", "Offset 4"]
    assert texts(search(api, query="offset", offset=500)) == []
    token = search(api, query="offset", pageSize=2)["nextPageToken"]
    body = search(api, query="offset", pageSize=2, pageToken=token, offset=4)
    assert texts(body) == ["Offset 2", "Offset 3"]


def test_a_page_token_must_come_with_the_same_other_parameters(api: APIClient) -> None:
    for i in range(3):
        publish(days_ago=i + 1, claim=ClaimFactory(text=f"Token {i}"))
    token = search(api, query="token", pageSize=1)["nextPageToken"]
    for changed in ({"query": "other"}, {"pageSize": 2}, {"languageCode": "en"}):
        params = {"query": "token", "pageSize": 1, "pageToken": token, **changed}
        assert error(api, params) == google.INVALID_PAGE_TOKEN


@pytest.mark.parametrize("token", ["garbage", "x" * 5000, "\x00", "WzEsImFiYyJd:1x:abc"])
def test_a_tampered_page_token_is_a_400(api: APIClient, token: str) -> None:
    assert error(api, {"query": "x", "pageToken": token}) == google.INVALID_PAGE_TOKEN


# --- bad parameters: 400 in Google's error shape ---------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, google.QUERY_REQUIRED),
        ({"query": "   "}, google.QUERY_REQUIRED),
        ({"languageCode": "en"}, google.QUERY_REQUIRED),
        (
            {"query": "x", "foo": "1"},
            google.UNKNOWN_PARAMETER.format(name="foo"),
        ),
        (
            {"query": "x", "page_size": "1"},
            google.UNKNOWN_PARAMETER.format(name="page_size"),
        ),
        (
            {"query": "x", "pageSize": "ten"},
            google.INVALID_INTEGER.format(name="pageSize", value="ten"),
        ),
        ({"query": "x", "pageSize": "-1"}, google.NEGATIVE.format(name="pageSize")),
        ({"query": "x", "offset": "-5"}, google.NEGATIVE.format(name="offset")),
        (
            {"query": "x", "offset": "99999999999"},
            google.INVALID_INTEGER.format(name="offset", value="99999999999"),
        ),
        (
            {"query": "x", "maxAgeDays": "1.5"},
            google.INVALID_INTEGER.format(name="maxAgeDays", value="1.5"),
        ),
        ({"query": "nul\x00byte"}, google.NUL_CHARACTER.format(name="query")),
        ({"query": "x" * 5000}, google.QUERY_TOO_LONG),
        (
            {"query": "x", "languageCode": "english please"},
            google.INVALID_LANGUAGE.format(value="english please"),
        ),
        (
            {"query": "x", "languageCode": "en\x00"},
            google.NUL_CHARACTER.format(name="languageCode"),
        ),
        (
            {"reviewPublisherSiteFilter": "not a site/"},
            google.INVALID_SITE.format(value="not a site/"),
        ),
        ({"query": "x", "alt": "proto"}, google.INVALID_ALT),
    ],
)
def test_bad_parameters_are_a_400_with_googles_error_shape(
    api: APIClient, params: dict[str, str], message: str
) -> None:
    assert error(api, params) == message


@pytest.mark.parametrize("params", [{"query": "%_\\"}, {"query": "ü∂ 漢字"}, {"query": "a " * 400}])
def test_odd_queries_are_answered(api: APIClient, params: dict[str, str]) -> None:
    publish()
    assert api.get(SEARCH, params).status_code == 200


def test_post_is_refused_in_googles_shape(api: APIClient) -> None:
    response = api.post(SEARCH, {"query": "x"})
    assert response.status_code == 405
    assert response.json()["error"]["code"] == 405


def test_the_answer_is_json_whatever_the_client_accepts(api: APIClient) -> None:
    publish(claim=ClaimFactory(text="Crowd"))
    response = api.get(SEARCH, {"query": "crowd"}, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


# --- query count ------------------------------------------------------------------------------


@pytest.mark.parametrize("claims", [3, 6])
def test_the_search_takes_three_queries_whatever_the_claims_and_reviews(
    api: APIClient,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
    claims: int,
) -> None:
    for i in range(claims):
        claim = ClaimFactory(text=f"Counted claim {i}")
        publish(days_ago=i + 1, claim=claim)
        imported(site=f"a{i}.example.net", claim=claim)
        imported(site=f"b{i}.example.net", claim=claim)
    # 1 the ranked claim ids of the page; 2 those claims with claimant joined; 3 their shown
    # reviews with publisher and rating. On PostgreSQL each query carries its timeout; in the
    # test's transaction the two steps (1; 2 and 3) are savepoints (SAVEPOINT, RELEASE each)
    # and the server's settings are put back at the end.
    with django_assert_num_queries(8 if connection.vendor == "postgresql" else 3):
        body = search(api, query="counted", pageSize=100)
    assert len(body["claims"]) == claims
    assert all(len(c["claimReview"]) == 3 for c in body["claims"])


@pytest.mark.parametrize("claims", [3, 6])
def test_a_site_filter_alone_takes_two_queries_whatever_the_claims_and_reviews(
    api: APIClient,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
    claims: int,
) -> None:
    for i in range(claims):
        claim = ClaimFactory(text=f"Counted claim {i}")
        imported(site="a.example.net", days_ago=i + 1, claim=claim)
        imported(site="b.example.net", claim=claim)
    # 1 the page of claims (claimant joined, latest review date as a subquery); 2 their
    # shown reviews with publisher and rating. On PostgreSQL: SAVEPOINT, RELEASE, the reset.
    with django_assert_num_queries(5 if connection.vendor == "postgresql" else 2):
        body = search(api, reviewPublisherSiteFilter="a.example.net", pageSize=100)
    assert len(body["claims"]) == claims
    assert all(len(c["claimReview"]) == 1 for c in body["claims"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
def test_outside_a_transaction_the_search_is_three_round_trips_each_with_its_timeout(
    api: APIClient,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    # As a request runs it (no ATOMIC_REQUESTS): each query is its own transaction, sent in
    # one message with its statement_timeout and sequential scans priced out.
    publish(claim=ClaimFactory(text="Timed claim"))
    with django_assert_num_queries(3) as captured:
        assert texts(search(api, query="timed")) == ["Timed claim"]
    assert all(
        q["sql"].startswith("SELECT set_config('statement_timeout', ")
        and "set_config('enable_seqscan', 'off', true);" in q["sql"]
        for q in captured.captured_queries
    )


# --- out of time ------------------------------------------------------------------------------


def _sleeping_score(text: str, language: str | None, now: datetime.datetime) -> Any:
    from django.db.models import FloatField

    return search_module._OnVector(
        "(SELECT pg_sleep(1))::text::float + {table}.id", [], FloatField()
    )


@pytest.mark.postgres
def test_a_ranking_out_of_time_answers_no_claims_rather_than_an_error(
    monkeypatch: pytest.MonkeyPatch, api: APIClient
) -> None:
    monkeypatch.setattr(search_module, "_score_sql", _sleeping_score)
    monkeypatch.setattr(google, "BUDGET_MS", 150)
    publish(claim=ClaimFactory(text="Slow claim"))
    assert search(api, query="slow") == {}
    monkeypatch.undo()
    # The test's transaction is still usable, with the server's settings.
    assert texts(search(api, query="slow")) == ["Slow claim"]
