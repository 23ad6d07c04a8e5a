"""Reader search: case- and accent-insensitive over claim, claimant, headline and summary;
published reviews only; the same results on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.test import Client

from claims.models import Review, ReviewStatus
from claims.search import MAX_QUERY_LENGTH, QUERY_TOO_LONG, fold, query_terms
from tests.helpers import ClaimFactory, ReviewFactory, default_rating, make_fact_check

pytestmark = pytest.mark.django_db


def search_review_ids(query: str) -> list[int]:
    """Ids of what the reader search lists for `query`, in order."""
    results = Review.objects.published().matching(query).newest_first()
    return list(results.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("RUSSIANS", "russians"),
        ("Émigré Café", "emigre cafe"),
        ("São Paulo", "sao paulo"),
        ("Straße", "strasse"),
        ("Øresund Łódź", "oresund lodz"),
        ("ﬁnancial", "financial"),  # ligature
        ("it’s", "it's"),
    ],
)
def test_fold_lowercases_and_drops_accents(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_query_terms_are_folded_words_without_duplicates() -> None:
    assert query_terms("  Russians  RUSSIANS ambassador ") == ["russians", "ambassador"]
    assert query_terms("   ") == []


def test_search_finds_the_sessions_fact_check_by_russians(client: Client) -> None:
    review = make_fact_check()
    html = client.get("/search/?q=Russians").content.decode()
    assert "1 result for “Russians”" in html
    assert f'href="/claims/{review.claim.slug}/"' in html


@pytest.mark.parametrize("query", ["russians", "RUSSIANS", "Rüssians", "rUSSIÂNS"])
def test_search_ignores_case_and_accents_in_the_query(query: str) -> None:
    review = make_fact_check(text="I did not have communications with the Russians.")
    assert search_review_ids(query) == [review.pk]


def test_search_ignores_accents_in_the_text() -> None:
    review = make_fact_check(text="The émigré community in São Paulo voted.")
    assert search_review_ids("emigre sao paulo") == [review.pk]
    assert search_review_ids("ÉMIGRÉ") == [review.pk]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "The unemployment rate fell under Obama."),
        ("name", "Bernadette Okonjo"),
        ("headline", "Unemployment figures check out"),
    ],
)
def test_search_covers_claim_text_claimant_and_headline(field: str, value: str) -> None:
    review = make_fact_check(**{field: value})
    other = make_fact_check(text="Something else", name="Someone else", headline="Else")
    word = value.split()[1]
    assert search_review_ids(word) == [review.pk]
    assert other.pk not in search_review_ids(word)


def test_search_covers_the_summary_and_the_short_text() -> None:
    review = make_fact_check()
    review.summary = "Kislyak met him twice."
    review.save()
    review.claim.short_text = "No contacts with the ambassador."
    review.claim.save()
    assert search_review_ids("kislyak") == [review.pk]
    assert search_review_ids("contacts") == [review.pk]


def test_every_word_must_match_somewhere() -> None:
    review = make_fact_check(text="Communications with the Russians", name="Jeff Sessions")
    assert search_review_ids("sessions russians") == [review.pk]
    assert search_review_ids("sessions chinese") == []


def test_results_are_newest_first() -> None:
    import datetime

    old = make_fact_check(published_ago=datetime.timedelta(days=9))
    new = make_fact_check(published_ago=datetime.timedelta(days=1))
    assert search_review_ids("russians") == [new.pk, old.pk]


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"status": ReviewStatus.IN_REVIEW},
        {"status": ReviewStatus.APPROVED},
        {"imported": True},
    ],
    ids=["draft", "in_review", "approved", "imported"],
)
def test_search_finds_only_published_reviews(client: Client, fields: dict) -> None:  # type: ignore[type-arg]
    ReviewFactory(
        claim=ClaimFactory(text="Secret Russians draft"),
        headline="Hidden Russians",
        **({"rating": default_rating()} if "imported" not in fields else {}),
        **fields,
    )
    assert search_review_ids("russians") == []
    assert b"0 results" in client.get("/search/?q=russians").content


def test_an_empty_search_shows_the_form_and_no_results(client: Client) -> None:
    make_fact_check()
    response = client.get("/search/?q=+")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q"' in html and "result" not in html.split("</form>", 1)[1].split("<footer")[0]


def test_a_too_long_search_is_refused_with_400(client: Client) -> None:
    response = client.get("/search/", {"q": "x" * (MAX_QUERY_LENGTH + 1)})
    assert response.status_code == 400
    assert QUERY_TOO_LONG in response.content.decode()


def test_search_results_are_paginated(client: Client) -> None:
    from reader.views import PAGE_SIZE

    for n in range(PAGE_SIZE + 2):
        make_fact_check(headline=f"Russians check {n}", evidence=0, corrections=0)
    first = client.get("/search/?q=russians").content.decode()
    second = client.get("/search/?q=russians&page=2").content.decode()
    assert f"{PAGE_SIZE + 2} results" in first
    assert first.count('<li class="card">') == PAGE_SIZE
    assert second.count('<li class="card">') == 2
    assert 'href="?q=russians&amp;page=2"' in first


@pytest.mark.parametrize("rows", [3, 8])
def test_the_search_page_costs_the_same_whatever_the_rows(
    client: Client,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
    rows: int,
) -> None:
    for n in range(rows):
        make_fact_check(headline=f"Rüssians check {n}", evidence=2, corrections=1)
    make_fact_check(text="Unrelated", headline="Unrelated", name="Someone else")
    # public_state(); the paginator's count of matching public reviews; the page of them with
    # claim, claimant and rating joined. Nothing is read per review, nor the non-matching ones.
    with django_assert_num_queries(3) as captured:
        html = client.get("/search/?q=RUSSIANS+check").content.decode()
    assert f"{rows} results" in html
    assert html.count('<li class="card">') == rows
    assert all("search_text" in q["sql"] for q in captured.captured_queries[1:])


def test_search_is_one_sql_filter_on_the_folded_column() -> None:
    sql = str(Review.objects.matching("Rüssians AMBASSADOR").query)
    where = sql.split(" WHERE ", 1)[1]
    assert where.count("search_text") == where.count("LIKE") == 2
    assert "%russians%" in where and "%ambassador%" in where
    assert " JOIN " not in sql


@pytest.mark.parametrize("query", ["russ\x00ians", "\x00", "russians\x00"])
def test_a_nul_byte_in_the_query_is_dropped_not_sent_to_the_database(
    client: Client, query: str
) -> None:
    review = make_fact_check()
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    if query.strip("\x00"):
        assert f'href="/claims/{review.claim.slug}/"' in response.content.decode()


def test_a_query_of_marks_alone_matches_nothing() -> None:
    make_fact_check()
    assert search_review_ids("\u0301 \u200b") == []
    assert not Review.objects.matching("").exists()
