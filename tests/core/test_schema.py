"""The OpenAPI document states what the API really answers and takes (core.schema), as
schemathesis checks it on a live server (scripts/api_schema_check.py)."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from core.api import BIGINT_MAX

METHODS = {"get", "post", "patch", "put", "delete", "options"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def component(document: dict[str, Any], name: str) -> dict[str, Any]:
    return document["components"]["schemas"][name]  # type: ignore[no-any-return]


def test_every_path_documents_its_options_answer_with_the_same_security(document) -> None:  # type: ignore[no-untyped-def]
    for path, item in document["paths"].items():
        options = item["options"]
        assert options["responses"]["200"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Metadata"
        }, path
        sibling = item.get("get") or next(op for m, op in item.items() if m != "options")
        assert options.get("security") == sibling.get("security"), path
    public = document["paths"]["/api/v1/ratings/"]["options"]["responses"]
    editorial = document["paths"]["/api/v1/reviews/{id}/"]["options"]["responses"]
    assert "403" not in public
    assert {"401", "403"} <= set(editorial)


def test_options_takes_any_path_segment_as_it_looks_nothing_up(document) -> None:  # type: ignore[no-untyped-def]
    [parameter] = document["paths"]["/api/v1/reviews/{id}/"]["options"]["parameters"]
    assert parameter["in"] == "path"
    assert parameter["schema"] == {"type": "string"}


def test_every_operation_documents_the_414_of_a_request_line_too_long(document) -> None:  # type: ignore[no-untyped-def]
    for path, method, operation in operations(document):
        assert "text/html" in operation["responses"]["414"]["content"], (path, method)


def test_a_strict_body_takes_no_other_property_and_lists_the_ignored_ones(document) -> None:  # type: ignore[no-untyped-def]
    comment = component(document, "CommentInput")
    assert comment["additionalProperties"] is False
    review = component(document, "ReviewUpdate")
    assert review["additionalProperties"] is False
    # What a client read may be sent back: any value there is taken, and ignored.
    assert review["properties"]["status"] == {"description": "Output-only: any value, ignored."}
    revision = component(document, "RevisionUpdate")
    assert revision["additionalProperties"] is False
    assert revision["properties"]["based_on"] == review["properties"]["status"]


def test_a_text_that_may_not_be_blank_needs_a_character_that_is_not_whitespace(document) -> None:  # type: ignore[no-untyped-def]
    headline = component(document, "ReviewCreate")["properties"]["headline"]
    assert headline["minLength"] == 1
    assert headline["pattern"] == r"\S"
    summary = component(document, "ReviewCreate")["properties"]["summary"]
    assert "minLength" not in summary and "pattern" not in summary


def test_an_id_filter_is_a_whole_number_from_1(document) -> None:  # type: ignore[no-untyped-def]
    parameters = document["paths"]["/api/v1/revisions/"]["get"]["parameters"]
    [review] = [p for p in parameters if p["name"] == "review"]
    assert review["schema"] == {
        "type": "integer",
        "format": "int64",
        "minimum": 1,
        "maximum": BIGINT_MAX,
    }


def test_a_revision_may_have_nobody_who_approved_or_published_it_yet(document) -> None:  # type: ignore[no-untyped-def]
    revision = component(document, "RevisionOutput")["properties"]
    for name in ("rating", "created_by", "approved_by", "published_by"):
        assert revision[name]["nullable"] is True, name
    appearance = component(document, "RevisionAppearanceOutput")["properties"]
    assert {"type": "string", "maxLength": 0} in appearance["archived_url"]["oneOf"]


def test_a_similar_result_is_either_our_claim_or_a_prior_check(document) -> None:  # type: ignore[no-untyped-def]
    assert component(document, "Match") == {
        "oneOf": [
            {"$ref": "#/components/schemas/ClaimMatch"},
            {"$ref": "#/components/schemas/PriorCheckMatch"},
        ]
    }
    assert "claim" in component(document, "ClaimMatch")["required"]
    assert "prior_check" in component(document, "PriorCheckMatch")["required"]


def test_an_import_needs_its_document_and_names_it_when_refusing_it(document) -> None:  # type: ignore[no-untyped-def]
    operation = document["paths"]["/api/v1/imports/"]["post"]
    assert operation["requestBody"]["required"] is True
    for status in ("413", "415"):
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/DocumentError"}
