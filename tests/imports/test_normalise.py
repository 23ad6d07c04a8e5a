"""One normalisation rule per oddity of real markup, each on a real sample from
../shared/vendor-data/claimreview (the catalogue in its SOURCES.md)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from imports.formats import Candidate, html_candidates
from imports.normalise import (
    Refusal,
    absolute_url,
    aware_datetime,
    canonical_url,
    language_tag,
    number,
    one,
    plain_text,
    type_names,
)
from imports.records import ImportedReview, from_claimreview, from_google
from imports.verdicts import verdict_of

FIXTURES = "claimreview/meedan__fetch/spec/fixtures"


def page(vendor_data: Path, name: str) -> tuple[str, str]:
    path = vendor_data / name
    if path.suffix == ".html":
        return path.read_text(), ""
    data = json.loads(path.read_text())
    return data["page"], data["url"]


def node(vendor_data: Path, name: str) -> tuple[dict[str, Any], Candidate]:
    html, url = page(vendor_data, name)
    [candidate] = list(html_candidates(html, base=url))
    return candidate.node, candidate


def record(vendor_data: Path, name: str) -> ImportedReview:
    _, candidate = node(vendor_data, name)
    return from_claimreview(
        candidate.node, base=candidate.base, fallback_date=candidate.fallback_date
    )


def test_an_array_where_one_value_is_expected(vendor_data: Path) -> None:
    claimreview, _ = node(vendor_data, f"{FIXTURES}/the_quint_raw.html")
    assert claimreview["claimReviewed"] == ["Last Tweets of Sushant Singh Rajput shared on 14 June"]
    assert (
        one(claimreview["claimReviewed"]) == "Last Tweets of Sushant Singh Rajput shared on 14 June"
    )
    assert record(vendor_data, f"{FIXTURES}/the_quint_raw.html").claim_text.startswith(
        "Last Tweets"
    )


def test_a_list_of_names_is_the_name_then_its_description(vendor_data: Path) -> None:
    found = record(vendor_data, f"{FIXTURES}/africa_check_raw.json")
    assert found.claimant is not None and found.claimant.name == "Mzwandile Masina"
    assert found.claimant.same_as == ["https://en.wikipedia.org/wiki/Mzwandile_Masina"]


def test_a_claimreview_inside_a_graph_is_found(vendor_data: Path) -> None:
    html, _ = page(vendor_data, f"{FIXTURES}/afp_india_raw.json")
    assert '"@graph"' in html
    assert record(vendor_data, f"{FIXTURES}/afp_india_raw.json").claim_text.startswith("Kharkiv")


def test_graph_references_are_resolved(vendor_data: Path) -> None:
    thip = "claimreview/meedan__fetch@50cbe43fca/spec/fixtures/thip_raw.json"
    html, _ = page(vendor_data, thip)
    assert "/c060b63ecfee2b3931b7a3d5b54152d3#sso/person" in html
    claimreview, _ = node(vendor_data, thip)
    assert claimreview["author"]["@id"] == "/c060b63ecfee2b3931b7a3d5b54152d3#sso/person"
    assert claimreview["author"]["name"]  # the Person node of the graph, not the bare reference


def test_numbers_as_strings(vendor_data: Path) -> None:
    claimreview, _ = node(vendor_data, f"{FIXTURES}/aajtak_india_today_raw.json")
    assert claimreview["reviewRating"]["ratingValue"] == "1"
    found = record(vendor_data, f"{FIXTURES}/aajtak_india_today_raw.json")
    assert (found.rating_value, found.rating_best, found.rating_worst) == (1.0, 5.0, 1.0)


def test_empty_rating_values(vendor_data: Path) -> None:
    found = record(vendor_data, f"{FIXTURES}/news_checker_raw.json")  # "ratingValue": ""
    assert found.rating_value is None and found.rating_label == "False"
    assert number("") is None and number(" 4,5 ") == 4.5


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # "+5:30": one-digit hours
        (
            "claimreview/meedan__fetch@a4c6b5a44b/spec/fixtures/vishvas_news_raw.json",
            "2020-06-22T06:56:08+00:00",
        ),
        # "+0200": no colon
        (f"{FIXTURES}/africa_check_raw.json", "2020-03-27T08:46:13+00:00"),
        # "2020-06-23 20:02": a space, no seconds, no offset (UTC)
        (f"{FIXTURES}/afp_checamos_raw.json", "2020-06-23T20:02:00+00:00"),
        # "2023-01-24T13:32:06.838Z"
        (f"{FIXTURES}/estadao_raw.json", "2023-01-24T13:32:06.838000+00:00"),
        # a date alone
        (f"{FIXTURES}/tfc_taiwan_raw.json", "2022-04-08T00:00:00+00:00"),
    ],
)
def test_dates_with_any_offset_are_aware(vendor_data: Path, name: str, expected: str) -> None:
    found = record(vendor_data, name)
    assert found.date_published.tzinfo is not None
    assert found.date_published.astimezone(datetime.UTC).isoformat() == expected


def test_a_review_without_a_date_takes_its_pages_article_date(vendor_data: Path) -> None:
    claimreview, candidate = node(vendor_data, f"{FIXTURES}/india_today_raw.json")
    assert "datePublished" not in claimreview
    assert record(vendor_data, f"{FIXTURES}/india_today_raw.json").date_published == aware_datetime(
        candidate.fallback_date, "x"
    )


def test_unreadable_dates_are_refused() -> None:
    with pytest.raises(Refusal, match="datePublished: 'soon' is not an ISO 8601 date"):
        aware_datetime("soon", "datePublished")


def test_relative_urls_take_the_pages_address(vendor_data: Path) -> None:
    claimreview, _ = node(vendor_data, f"{FIXTURES}/estadao_raw.json")
    assert claimreview["url"].startswith("/estadao-verifica/")
    found = record(vendor_data, f"{FIXTURES}/estadao_raw.json")
    assert found.url == (
        "https://www.estadao.com.br/estadao-verifica/"
        "yanomamis-desnutricao-venezuelanos-brasileiros-maduro-lula/"
    )
    with pytest.raises(Refusal, match="relative"):
        absolute_url("/estadao-verifica/x/", "url")


def test_scheme_less_urls_get_https(vendor_data: Path) -> None:
    found = record(vendor_data, f"{FIXTURES}/aos_fatos_raw.json")
    assert found.url.startswith("https://aosfatos.org/noticias/video-manipulado")


def test_non_ascii_urls_are_percent_encoded_and_match_the_encoded_form(vendor_data: Path) -> None:
    found = record(vendor_data, f"{FIXTURES}/comprova_raw.json")  # "publicações" unencoded
    assert "/publica%C3%A7%C3%B5es/" in found.url
    assert found.canonical_url == canonical_url(
        "https://projetocomprova.com.br/publica%c3%a7%c3%b5es/video-mostra-imagens-de-imovel-de-"
        "luxo-no-ceara-como-sendo-residencia-alugada-por-lula-em-sao-paulo/"
    )


def test_canonical_urls_drop_tracking_case_www_and_trailing_slash(vendor_data: Path) -> None:
    _, url = page(vendor_data, f"{FIXTURES}/vishvas_news_english_raw.json")
    found = record(vendor_data, f"{FIXTURES}/vishvas_news_english_raw.json")
    assert "itm_source=" in url
    assert canonical_url(url.replace("https://www.", "HTTP://WWW.")) == found.canonical_url
    assert found.canonical_url == (
        "https://vishvasnews.com/english/viral/fact-check-rishi-sunak-did-not-make-a-viral-"
        "statement-about-former-pm-manmohan-singh-viral-post-is-fake"
    )


def test_html_entities_and_tags_in_text(vendor_data: Path) -> None:
    found = record(vendor_data, f"{FIXTURES}/vishvas_news_english_raw.json")
    assert found.claim_text == "Rishi Sunak praises Manmohan Singh's economy ideas"
    data = json.loads((vendor_data / f"{FIXTURES}/newtral_fact_check_index_raw.json").read_text())
    subtitle = data["data"][0]["subtitle"]
    assert subtitle.startswith("<p><span")
    assert plain_text(subtitle).startswith("El año 2021 registró la tasa")


def test_type_in_any_case_or_a_list(vendor_data: Path) -> None:
    claimreview, _ = node(vendor_data, f"{FIXTURES}/aos_fatos_raw.json")
    assert claimreview["@type"] == ["Review", "ClaimReview"]
    assert "claimreview" in type_names(claimreview)
    old, _ = node(vendor_data, f"{FIXTURES}/africa_check_raw_old.json")
    assert old["itemReviewed"]["@type"] == "creativeWork"
    assert type_names(old["itemReviewed"]) == {"creativework"}
    assert type_names({"@type": "http://schema.org/ClaimReview"}) == {"claimreview"}


def test_publisher_from_author_publisher_or_google_site(vendor_data: Path) -> None:
    uol = record(vendor_data, f"{FIXTURES}/uol_confere_raw.json")
    assert (uol.publisher_name, uol.publisher_site) == ("UOL", "noticias.uol.com.br")
    afp = record(vendor_data, f"{FIXTURES}/afp_raw.json")
    assert (afp.publisher_name, afp.publisher_site) == ("AFP Fact Check", "factcheck.afp.com")
    claim = json.loads((vendor_data / f"{FIXTURES}/google_fact_check_raw.json").read_text())
    google = from_google(claim["claimReview"][0], claim)
    assert (google.publisher_name, google.publisher_site) == ("vishvasnews.com", "vishvasnews.com")
    assert google.language == "ur" and google.claimant is not None


def test_language_from_markup_else_detected(vendor_data: Path) -> None:
    assert (
        record(
            vendor_data, "claimreview/meedan__fetch@50cbe43fca/spec/fixtures/thip_raw.json"
        ).language
        == "en-US"
    )
    # Aaj Tak's markup says no language: the Hindi text says it.
    assert record(vendor_data, f"{FIXTURES}/aajtak_india_today_raw.json").language == "hi"
    assert language_tag("pt-br") == "pt-BR" and language_tag("zh-hant") == "zh-Hant"
    assert language_tag("English") == ""


@pytest.mark.parametrize(
    ("label", "verdict"),
    [
        ("False", "false"),  # en
        ("Mostly false", "mostly_false"),
        ("Half true", "mixed"),
        ("Misleading", "mostly_false"),
        ("Falso.", "false"),  # es (EFE)
        ("Engañoso", "mostly_false"),  # es (AFP Factual)
        ("FALSO: As imagens foram retiradas do canal", "false"),  # pt (Comprova)
        ("não_é_bem_assim", "mixed"),  # pt (Aos Fatos)
        ("Faux", "false"),  # fr
        ("really_false", "false"),  # fr (20 Minutes)
        ("Falsch", "false"),  # de
        ("ये तस्वीर अफ्रीका में ग़ुलामों के व्यापार की नहीं है, गलत दावा", "false"),  # hi
        ("مضلل", "mostly_false"),  # ar
        ("زائف", "false"),
        ("صحيح جزئياً", "mixed"),
        ("اتضح لأنير أن هذا الادعاء مضلل، حيث قادنا البحث", "mostly_false"),  # ar sentence
        ("錯誤", "false"),  # zh (TFC)
        ("Reker hat diesen Satz nie gesagt.", "other"),  # a sentence naming no verdict
        ("Incorrect \r", "false"),
    ],
)
def test_verdicts_from_labels_across_languages(label: str, verdict: str) -> None:
    assert verdict_of(label) == verdict


def test_the_numeric_position_only_when_the_scale_is_given() -> None:
    assert verdict_of("The Health Desk Experts said", 4, 5, 1) == "mostly_true"
    assert verdict_of("The Health Desk Experts said", None, 5, 1) == "other"
    assert verdict_of("no_label_we_know", 5, 6, None) == "other"  # Aos Fatos: no worstRating
    assert verdict_of("no_label_we_know", -1, -1, -1) == "other"  # 20 Minutes: no scale
