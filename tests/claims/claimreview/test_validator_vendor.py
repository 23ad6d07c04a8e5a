"""The validator on real publishers' ClaimReview markup (../shared/vendor-data/claimreview/).

The files are read in place as test data (never copied into the repository). Each test names a
known problem of one publisher's markup and asserts the validator reports it, with the message a
publisher would need to fix it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from claims.claimreview import schemaorg as so
from claims.claimreview import validate_claimreview
from claims.claimreview import validator as cr

FIXTURES = Path("claimreview/meedan__fetch/spec/fixtures")
LD_JSON = re.compile(
    r"<script[^>]*type=[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.S | re.I
)


def claimreviews_in(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        types = node.get("@type")
        if "ClaimReview" in (types if isinstance(types, list) else [types]):
            found.append(node)
        for value in node.values():
            found += claimreviews_in(value)
    elif isinstance(node, list):
        for item in node:
            found += claimreviews_in(item)
    return found


def load(vendor_data: Path, name: str) -> list[dict[str, Any]]:
    """The ClaimReview objects in a vendor file: an HTML page, {"page": html} or plain JSON."""
    raw = (vendor_data / FIXTURES / name).read_text(encoding="utf-8")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        data = None
    html = data["page"] if isinstance(data, dict) and "page" in data else None
    if data is not None and html is None:
        return claimreviews_in(data)
    found: list[dict[str, Any]] = []
    for block in LD_JSON.findall(html if html is not None else raw):
        try:
            found += claimreviews_in(json.loads(block))
        except json.JSONDecodeError:
            continue  # a broken block: not ClaimReview we can read
    return found


def findings(doc: dict[str, Any]) -> set[tuple[str, str, str]]:
    result = validate_claimreview(doc)
    return {(m.level, m.path, m.text) for m in result.errors + result.warnings}


def test_afp_string_ratings_space_separated_date_and_a_creative_work(vendor_data: Path) -> None:
    [doc] = load(vendor_data, "afp_raw.json")
    found = findings(doc)
    for name in ("ratingValue", "bestRating", "worstRating"):
        assert ("error", f"reviewRating.{name}", cr.RATING_NOT_INTEGER.format(name=name)) in found
    date = so.NOT_A_DATE.format(
        path="datePublished",
        value="2020-06-24 00:03",
        expected="date-time or date",
        example="2017-01-10T15:30:00+00:00",
    )
    assert ("error", "datePublished", date) in found
    assert (
        "warning",
        "itemReviewed.@type",
        cr.ITEM_NOT_A_CLAIM.format(found="a CreativeWork"),
    ) in found
    too_long = cr.CLAIM_REVIEWED_TOO_LONG.format(length=len(doc["claimReviewed"]), limit=75)
    assert ("warning", "claimReviewed", too_long) in found
    assert not validate_claimreview(doc).is_valid


def test_africa_check_time_zone_offsets_without_a_colon(vendor_data: Path) -> None:
    [doc] = load(vendor_data, "africa_check_raw.json")
    paths = {path for level, path, text in findings(doc) if "is not an ISO 8601" in text}
    assert paths == {"datePublished", "dateModified", "itemReviewed.datePublished"}


def test_africa_check_old_page_misspells_creative_work(vendor_data: Path) -> None:
    [doc] = load(vendor_data, "africa_check_raw_old.json")
    unknown = so.UNKNOWN_TYPE.format(path="itemReviewed.@type", type="creativeWork", release="30.0")
    assert ("error", "itemReviewed.@type", unknown) in findings(doc)


def test_estadao_relative_url(vendor_data: Path) -> None:
    [doc] = load(vendor_data, "estadao_raw.json")
    url = doc["url"]
    assert url.startswith("/")
    assert ("error", "url", so.NOT_A_URL.format(path="url", value=url)) in findings(doc)


def test_the_quint_claim_as_a_list_empty_same_as_and_worst_rating_0(vendor_data: Path) -> None:
    [doc] = load(vendor_data, "the_quint_raw.html")
    found = findings(doc)
    assert ("error", "claimReviewed", cr.CLAIM_REVIEWED_NOT_TEXT) in found
    same_as = so.NOT_A_URL.format(path="itemReviewed.author.sameAs", value="")
    assert ("error", "itemReviewed.author.sameAs", same_as) in found
    # worstRating "0" is a string, so it is refused before its value is looked at
    worst = cr.RATING_NOT_INTEGER.format(name="worstRating")
    assert ("error", "reviewRating.worstRating", worst) in found


def test_newtral_listing_api_invents_properties(vendor_data: Path) -> None:
    docs = load(vendor_data, "newtral_fact_check_index_raw.json")
    assert len(docs) == 15
    found = findings(docs[0])
    for path, prop in (
        ("subtitle", "subtitle"),
        ("postTerms", "postTerms"),
        ("reviewRating.icon", "icon"),
    ):
        message = so.UNKNOWN_PROPERTY.format(path=path, property=prop, release="30.0")
        assert ("error", path, message) in found
    title = so.NOT_IN_DOMAIN.format(
        path="title", property="title", types="ClaimReview", domain="JobPosting"
    )
    assert ("error", "title", title) in found
    color = so.NOT_IN_DOMAIN.format(
        path="reviewRating.color", property="color", types="Rating", domain="Product"
    )
    assert ("error", "reviewRating.color", color) in found


def test_tfc_taiwan_best_and_worst_without_a_value(vendor_data: Path) -> None:
    [doc] = load(vendor_data, "tfc_taiwan_raw.json")
    incomplete = cr.RATING_INCOMPLETE.format(name="ratingValue")
    assert ("error", "reviewRating.ratingValue", incomplete) in findings(doc)


def test_the_data_commons_sample_keeps_to_the_vocabulary(vendor_data: Path) -> None:
    [doc] = load(vendor_data, "data_commons_raw.json")
    # The http context and every term are fine; what is wrong is Google's business only.
    assert so.check_vocabulary(doc) == []
    levels_and_paths = {(level, path) for level, path, _ in findings(doc)}
    assert ("warning", "claimReviewed") in levels_and_paths  # a whole paragraph


def test_every_vendor_claimreview_is_read_without_crashing_and_none_is_clean(
    vendor_data: Path,
) -> None:
    docs: list[dict[str, Any]] = []
    for path in sorted((vendor_data / FIXTURES).iterdir()):
        if path.suffix in {".json", ".html"}:
            docs += load(vendor_data, path.name)
    assert len(docs) >= 60
    schema_org_problems = 0
    for doc in docs:
        result = validate_claimreview(doc)
        assert result.errors or result.warnings
        schema_org_problems += bool(so.check_vocabulary(doc))
    # most real markup strays from schema.org somewhere; ours must not (see the demo test)
    assert schema_org_problems >= len(docs) // 2


@pytest.mark.parametrize("name", ["google_fact_check_raw.json", "gesis_claims_raw.json"])
def test_files_without_claimreview_yield_nothing(vendor_data: Path, name: str) -> None:
    assert load(vendor_data, name) == []
