"""matching.search: what a query matches on every database (case, accents, every word, the
fields searched) and the SQLite fallback's own rules (substrings, newest first, one LIKE per
word). PostgreSQL's ranking, stemming, syntax, suggestions and bounds: test_search_postgres.py."""

from __future__ import annotations

import datetime

import pytest

from claims.models import Review
from matching.search import matches, query_terms
from tests.helpers import make_fact_check, search_review_ids

pytestmark = pytest.mark.django_db


def test_query_terms_are_folded_words_without_duplicates() -> None:
    assert query_terms("  Russians  RUSSIANS ambassador ") == ["russians", "ambassador"]
    assert query_terms("   ") == []


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
    # (the reader's page then tries any of the words: test_search_postgres.py)
    assert not matches(Review.objects.published(), "sessions chinese").exists()


@pytest.mark.sqlite
def test_results_are_newest_first_on_sqlite() -> None:
    old = make_fact_check(published_ago=datetime.timedelta(days=9))
    new = make_fact_check(published_ago=datetime.timedelta(days=1))
    assert search_review_ids("russians") == [new.pk, old.pk]


@pytest.mark.sqlite
def test_search_is_one_sql_filter_on_the_folded_column_on_sqlite() -> None:
    sql = str(matches(Review.objects.all(), "Rüssians AMBASSADOR").query)
    where = sql.split(" WHERE ", 1)[1]
    assert where.count("search_text") == where.count("LIKE") == 2
    assert "%russians%" in where and "%ambassador%" in where
    assert " JOIN " not in sql


def test_a_query_of_marks_alone_matches_nothing() -> None:
    make_fact_check()
    assert search_review_ids("\u0301 \u200b") == []
    assert not matches(Review.objects.all(), "").exists()


@pytest.mark.sqlite
def test_the_search_words_command_says_it_needs_postgresql() -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="PostgreSQL only"):
        call_command("search_words")
