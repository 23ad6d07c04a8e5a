"""Input at the parsing boundary (core.input, core.middleware): NUL characters, lone surrogates,
deep JSON and big bodies are refused with a 400 / 413 in JSON naming the field, never a 500;
unknown fields, parameters and filter values are refused with a 400 naming them; and a refused
request changes nothing readers see."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from claims.models import Claim, Claimant, Review
from core.input import (
    EMPTY_PARAMETER,
    MAX_JSON_DEPTH,
    NUL_NOT_ALLOWED,
    TOO_DEEP,
    UNKNOWN_FIELD,
    UNKNOWN_PARAMETER,
    check_document,
    printable,
)
from sources.models import Source
from tests.helpers import (
    ClaimantFactory,
    ClaimFactory,
    SourceFactory,
    api,
    draft_by,
    publish,
    review_row,
    signed_in,
)

pytestmark = pytest.mark.django_db


def raw(client: Any, method: str, url: str, body: str | bytes) -> Any:
    return getattr(client, method)(url, data=body, content_type="application/json")


def public_outputs(review: Review) -> dict[str, bytes]:
    """What readers and machines see of the site and of `review`, as bodies."""
    client = Client()
    slug = review.claim.slug
    urls = [
        "/",
        f"/claims/{slug}/",
        "/api/v1/claim-reviews/",
        f"/api/v1/claim-reviews/{slug}/",
        "/api/v1/ratings/",
        "/feeds/latest/",
    ]
    outputs = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        outputs[url] = response.content
    feed = client.get("/api/v1/feed/")
    outputs["/api/v1/feed/"] = b"".join(feed.streaming_content)
    return outputs


# --- the checks themselves --------------------------------------------------------------------


def test_check_document_names_the_top_level_field_and_the_path() -> None:
    with pytest.raises(Exception) as caught:
        check_document({"evidence": [{"quote": "ok"}, {"quote": "a\x00b"}], "fine": "yes"})
    assert caught.value.detail == {  # type: ignore[attr-defined]
        "evidence": [NUL_NOT_ALLOWED.format(path="evidence[1].quote")]
    }


def test_check_document_refuses_deep_nesting_without_recursing() -> None:
    deep: Any = "x"
    for _ in range(100_000):  # far beyond Python's recursion limit
        deep = [deep]
    with pytest.raises(Exception) as caught:
        check_document({"a": deep})
    assert str(caught.value.detail) == TOO_DEEP  # type: ignore[attr-defined]


def test_printable_escapes_what_cannot_be_shown() -> None:
    assert printable("a\x00b\ud800c") == "a\\u0000b\\ud800c"


# --- through the API ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": "Said.", "topics": ["ok\x00"]}, "topics"),
        ({"text": "Said\x00."}, "text"),
        ({"text": "Said.", "appearances": [{"url": "https://e.org/\x00"}]}, "appearances"),
    ],
)
def test_a_nul_anywhere_in_a_claim_is_a_400_naming_the_field(
    factchecker, payload: dict[str, Any], field: str
) -> None:  # type: ignore[no-untyped-def]
    response = api(factchecker).post("/api/v1/claims/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Claim.objects.exists()


def test_a_nul_in_a_rating_slug_is_a_400_naming_rating(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    before = review_row(review)
    response = api(factchecker).patch(
        f"/api/v1/reviews/{review.pk}/", {"version": 1, "rating": "false\x00"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["rating"]
    assert review_row(review) == before


@pytest.mark.parametrize(
    "body",
    [
        '{"name": "Jane", "kind": "a\\ud800b"}',
        '{"name": "Jane", "kind\\udfff": "person"}',
        '{"name": "Jane\\udc00"}',
    ],
)
def test_a_lone_surrogate_is_a_400_that_encodes(factchecker, body: str) -> None:  # type: ignore[no-untyped-def]
    response = raw(api(factchecker), "post", "/api/v1/claimants/", body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = json.loads(response.content.decode("utf-8"))  # valid UTF-8, valid JSON
    assert len(errors) == 1
    (field,) = errors
    assert field in {"kind", "kind\\udfff", "name"}
    assert "lone surrogate" in errors[field][0]
    assert not Claimant.objects.exists()


def test_json_nested_a_thousand_deep_is_a_json_400(factchecker) -> None:  # type: ignore[no-untyped-def]
    body = '{"name": ' + "[" * 1000 + "]" * 1000 + "}"
    response = raw(api(factchecker), "post", "/api/v1/claimants/", body)
    assert response.status_code == 400
    assert response.json() == {"detail": TOO_DEEP}


def test_json_nested_within_the_limit_reaches_the_serializer(factchecker) -> None:  # type: ignore[no-untyped-def]
    nested = "[" * (MAX_JSON_DEPTH - 2) + "]" * (MAX_JSON_DEPTH - 2)
    response = raw(api(factchecker), "post", "/api/v1/claimants/", f'{{"same_as": {nested}}}')
    assert response.status_code == 400
    assert "name" in response.json()  # the serializer's own errors, not the parser's


def test_a_twenty_megabyte_body_is_a_json_413(factchecker, settings) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps({"name": "x" * (20 * 1024 * 1024)})
    response = raw(api(factchecker), "post", "/api/v1/claimants/", body)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "larger than" in response.json()["detail"]
    assert not Claimant.objects.exists()


def test_a_big_body_is_a_413_on_the_admin_too(superuser) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(superuser).post(
        "/admin/claims/claimant/add/", {"name": "x" * (3 * 1024 * 1024)}
    )
    assert response.status_code == 413


@pytest.mark.parametrize("form", ["multipart", None])
def test_a_form_body_is_a_415(factchecker, form: str | None) -> None:  # type: ignore[no-untyped-def]
    client = api(factchecker)
    if form:
        response = client.post("/api/v1/claimants/", {"name": "Jane"}, format=form)
    else:
        response = client.post(
            "/api/v1/claimants/", "name=Jane", content_type="application/x-www-form-urlencoded"
        )
    assert response.status_code == 415
    assert not Claimant.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": 0}, "name"),
        ({"name": "Jane", "same_as": "https://e.org/"}, "same_as"),
        ({"name": "Jane", "kind": 1}, "kind"),
    ],
)
def test_a_value_of_another_json_type_is_a_400_naming_the_field(
    factchecker, payload: dict[str, Any], field: str
) -> None:  # type: ignore[no-untyped-def]
    response = api(factchecker).post("/api/v1/claimants/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Claimant.objects.exists()


def test_a_withdrawal_note_must_be_a_string(publisher) -> None:  # type: ignore[no-untyped-def]
    review = publish()
    response = api(publisher).post(
        f"/api/v1/reviews/{review.pk}/withdraw/", {"note": 0}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, ["note"])
    review.refresh_from_db()
    assert review.status == "published"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/claims/claim/?q=a%00b",
        "/admin/claims/claimant/add/",
        "/admin/autocomplete/?term=%00&app_label=claims&model_name=claim&field_name=claimant",
    ],
)
def test_a_nul_in_an_admin_request_is_a_400_naming_the_parameter(superuser, url: str) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(superuser)
    if url.endswith("/add/"):
        response = client.post(url, {"name": "Ja\x00ne", "kind": "person"})
        name = "name"
    else:
        response = client.get(url)
        name = "q" if "q=" in url else "term"
    assert response.status_code == 400
    assert response.content.decode() == NUL_NOT_ALLOWED.format(path=name)
    assert not Claimant.objects.exists()


# --- unknown fields, parameters and values --------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "payload"),
    [
        ("post", "/api/v1/claimants/", {"name": "Jane", "nickname": "J"}),
        ("post", "/api/v1/claims/", {"text": "Said.", "speaker": "Jane"}),
        (
            "post",
            "/api/v1/claims/",
            {"text": "Said.", "appearances": [{"url": "https://e.org/", "views": 3}]},
        ),
        ("post", "/api/v1/sources/", {"url": "https://e.org/r", "title": "R", "pages": 3}),
    ],
)
def test_a_field_a_create_does_not_take_is_a_400_naming_it(
    editor, method: str, url: str, payload: dict[str, Any]
) -> None:  # type: ignore[no-untyped-def]
    response = getattr(api(editor), method)(url, payload, format="json")
    assert response.status_code == 400
    text = json.dumps(response.json())
    assert UNKNOWN_FIELD in text
    assert any(name in text for name in ("nickname", "speaker", "views", "pages"))
    assert not (Claimant.objects.exists() or Claim.objects.exists() or Source.objects.exists())


def test_a_field_an_edit_does_not_take_is_a_400_and_changes_nothing(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    before = review_row(review)
    response = api(factchecker).patch(
        f"/api/v1/reviews/{review.pk}/",
        {"version": 1, "headline": "New", "verdict": "false"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"verdict": [UNKNOWN_FIELD]}
    assert review_row(review) == before


def test_the_fields_a_review_shows_may_be_sent_back(factchecker) -> None:  # type: ignore[no-untyped-def]
    review = draft_by(factchecker)
    shown = api(factchecker).get(f"/api/v1/reviews/{review.pk}/").json()
    response = api(factchecker).patch(
        f"/api/v1/reviews/{review.pk}/", {**shown, "headline": "Sent back"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["headline"] == "Sent back"


@pytest.mark.parametrize("action", ["submit", "approve", "withdraw", "reopen", "request-changes"])
def test_a_field_an_action_does_not_take_is_a_400_naming_it(publisher, action: str) -> None:  # type: ignore[no-untyped-def]
    review = publish()
    before = review_row(review)
    response = api(publisher).post(
        f"/api/v1/reviews/{review.pk}/{action}/", {"note": "n", "reason": "x"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["reason"] == [UNKNOWN_FIELD]
    assert review_row(review) == before


def test_a_correction_with_evidence_is_refused_naming_evidence(publisher) -> None:  # type: ignore[no-untyped-def]
    review = publish()
    outputs = public_outputs(review)
    response = api(publisher).post(
        f"/api/v1/reviews/{review.pk}/correct/",
        {"kind": "correction", "note": "Fixed.", "evidence": [{"source": 1}]},
        format="json",
    )
    assert response.status_code == 400
    [message] = response.json()["evidence"]  # named, and told what to do instead
    assert "revision" in message
    assert not review.corrections.exists()
    assert public_outputs(review) == outputs


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/claimants/", {"name": "Jane"}, "name"),
        ("/api/v1/reviews/", {"rating": "nope"}, "rating"),
        ("/api/v1/reviews/", {"author": "nobody-by-that-name"}, "author"),
        ("/api/v1/reviews/", {"status": ""}, "status"),
        ("/api/v1/reviews/", {"sort": "id"}, "sort"),
        ("/api/v1/sources/", {"page": ""}, "page"),
    ],
)
def test_an_unknown_or_empty_editorial_parameter_is_a_400_naming_it(
    editor, url: str, params: dict[str, str], field: str
) -> None:  # type: ignore[no-untyped-def]
    response = api(editor).get(url, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_detail_takes_no_parameter(editor) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    response = api(editor).get(f"/api/v1/claims/{claim.pk}/", {"expand": "all"})
    assert response.json() == {"expand": [UNKNOWN_PARAMETER]}


def test_anonymous_callers_get_401_before_any_parameter_check() -> None:
    assert api().get("/api/v1/claims/", {"nope": "1"}).status_code == 401


@pytest.mark.parametrize(
    ("url", "params", "field", "message"),
    [
        ("/api/v1/claim-reviews/", {"rating": "nope"}, "rating", None),
        ("/api/v1/claim-reviews/", {"published_before": ""}, "published_before", EMPTY_PARAMETER),
        ("/api/v1/claim-reviews/", {"q": ""}, "q", EMPTY_PARAMETER),
        ("/api/v1/claim-reviews/", {"ratng": "false"}, "ratng", UNKNOWN_PARAMETER),
        ("/api/v1/ratings/", {"scale": "other"}, "scale", UNKNOWN_PARAMETER),
        ("/api/v1/feed/", {"since": "2020-01-01"}, "since", UNKNOWN_PARAMETER),
        ("/api/v1/claim-reviews/{slug}/", {"lang": "en"}, "lang", UNKNOWN_PARAMETER),
    ],
)
def test_a_refused_public_parameter_is_a_400_naming_it_and_changes_nothing(
    url: str, params: dict[str, str], field: str, message: str | None
) -> None:
    review = publish()
    outputs = public_outputs(review)
    response = Client().get(url.format(slug=review.claim.slug), params)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field]
    if message:
        assert body[field] == [message]
    assert public_outputs(review) == outputs


def test_claims_search_refuses_an_unknown_parameter_the_google_way() -> None:
    response = Client().get("/api/google/v1alpha1/claims:search", {"query": "x", "lang": "en"})
    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert "lang" in response.json()["error"]["message"]


def test_a_refused_edit_changes_no_public_output(editor) -> None:  # type: ignore[no-untyped-def]
    review = publish(claim=ClaimFactory(claimant=ClaimantFactory()))
    source = SourceFactory()
    outputs = public_outputs(review)
    client = api(editor)
    claimant = review.claim.claimant
    assert claimant is not None
    refused = [
        client.patch(f"/api/v1/claimants/{claimant.pk}/", {"name": "X", "age": 3}, format="json"),
        client.patch(f"/api/v1/claims/{review.claim.pk}/", {"topics": [], "x": 1}, format="json"),
        client.patch(f"/api/v1/sources/{source.pk}/", {"title": "T\x00"}, format="json"),
        raw(client, "patch", f"/api/v1/claimants/{claimant.pk}/", '{"name": "\\ud800"}'),
    ]
    assert [r.status_code for r in refused] == [400, 400, 400, 400]
    assert public_outputs(review) == outputs
