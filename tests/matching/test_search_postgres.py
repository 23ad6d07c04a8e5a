"""matching.search on PostgreSQL: ranking (the demo's Sessions denial first), stemming, the
websearch syntax, the any-word and corrected tries, "Did you mean", snippets, capped counts, the
time budget degrading instead of failing, the words table, and EXPLAIN plans that never scan
the claims or reviews tables whole."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.db.models import FloatField
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.demo import load_demo
from claims.models import Review, ReviewStatus
from matching import search as search_module
from matching.models import SearchWord
from matching.search import (
    SEARCH_TOO_SLOW,
    SHOWING_ANY_WORD,
    _OnVector,
    matches,
    matches_to_list,
    rebuild_words,
    search,
)
from tests.helpers import (
    HOSTILE_TEXT,
    ClaimFactory,
    ReviewFactory,
    default_rating,
    make_fact_check,
    search_review_ids,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SESSIONS_DENIAL = "sessions-did-not-have-communications-with-the-russians"


@pytest.fixture
def demo() -> None:
    load_demo()


def first_slugs(query: str, n: int = 3) -> list[str]:
    return [r.claim.slug for r in search(query).reviews[:n]]


# --- the done-when queries, on the demo data --------------------------------------------------


def test_sessions_russian_contacts_ranks_the_sessions_denial_first(demo: None) -> None:
    results = search("Sessions Russian contacts")
    assert results.reviews[0].claim.slug == SESSIONS_DENIAL
    # No review has all three words: the reader is told the results have some of them.
    assert results.notice == SHOWING_ANY_WORD


def test_the_phrase_communications_with_the_russians_ranks_the_denial_first(demo: None) -> None:
    assert first_slugs('"communications with the Russians"')[0] == SESSIONS_DENIAL
    assert first_slugs("communications with the Russians")[0] == SESSIONS_DENIAL


def test_a_misspelt_word_finds_the_denial_through_its_correction(demo: None) -> None:
    results = search("russains")
    assert results.shown_query == "russians"
    assert SESSIONS_DENIAL in [r.claim.slug for r in results.reviews]


def test_the_search_page_says_what_it_shows_for_a_misspelt_word(demo: None, client: Client) -> None:
    html = client.get("/search/?q=russains").content.decode()
    assert "No fact check matches “russains”: showing the results for “russians”." in html
    assert f'href="/claims/{SESSIONS_DENIAL}/"' in html


def test_a_misspelt_word_beside_a_right_one_is_offered_as_did_you_mean(demo: None) -> None:
    results = search("Kislyak russains")
    assert results.reviews  # kislyak alone finds some
    assert results.suggestion == "kislyak russians"


# --- what matches -----------------------------------------------------------------------------


def test_words_match_in_any_form_the_stemmer_joins() -> None:
    review = make_fact_check(text="I did not have communications with the Russians.")
    assert search_review_ids("russian") == [review.pk]
    assert search_review_ids("communication") == [review.pk]


def test_a_review_is_stemmed_in_its_own_language_and_found_by_its_exact_words() -> None:
    spanish = make_fact_check(
        text="No tuve comunicaciones con los rusos.", headline="Sí se reunió", language="es"
    )
    # Asked in Spanish, the stem finds the singular; in the site's English, the exact word.
    published = Review.objects.published()
    assert list(matches(published, "ruso", language="es")) == [spanish]
    assert list(matches(published, "rusos")) == [spanish]
    assert list(matches(published, "ruso")) == []


def test_a_minus_excludes_a_word_and_or_accepts_either() -> None:
    sessions = make_fact_check(text="Communications with the Russians", name="Jeff Sessions")
    flynn = make_fact_check(text="Sanctions talk with the Russians", name="Michael Flynn")
    published = Review.objects.published()
    assert list(matches(published, "russians -flynn")) == [sessions]
    assert set(matches(published, "sessions or flynn")) == {sessions, flynn}
    assert list(matches(published, '"with the russians" sanctions')) == [flynn]


def test_a_phrase_must_appear_in_that_order() -> None:
    review = make_fact_check(text="The Russians had no communications with him.")
    assert search_review_ids('"communications with the russians"') == []
    assert search_review_ids('"no communications with him"') == [review.pk]


def test_angle_brackets_do_not_hide_the_words_between_them() -> None:
    review = make_fact_check(text=HOSTILE_TEXT)
    assert search_review_ids("alert") == [review.pk]
    assert search_review_ids("</script><script>alert(1)") == [review.pk]


def test_more_relevant_beats_newer_and_recency_breaks_near_ties() -> None:
    older_better = make_fact_check(
        text="Russians, Russians, Russians: communications with the Russians.",
        published_ago=datetime.timedelta(days=400),
    )
    newer_weaker = make_fact_check(
        text="A budget claim.",
        headline="Mentions Russians once",
        name="Someone",
        published_ago=datetime.timedelta(days=1),
    )
    assert search_review_ids("russians") == [older_better.pk, newer_weaker.pk]
    old_twin = make_fact_check(text="Kislyak met him.", published_ago=datetime.timedelta(days=900))
    new_twin = make_fact_check(text="Kislyak met him.", published_ago=datetime.timedelta(days=2))
    assert search_review_ids("kislyak") == [new_twin.pk, old_twin.pk]


def test_a_list_of_few_matches_is_read_from_them_and_of_many_from_the_list_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(search_module, "COUNT_CAP", 2)
    met, called, wrote = (
        make_fact_check(text=f"Kislyak {verb} him", published_ago=datetime.timedelta(days=n))
        for n, verb in enumerate(("met", "called", "wrote"), start=1)
    )
    published = Review.objects.published()
    # At most COUNT_CAP matches: the reviews among the first matches (a subquery).
    few = matches_to_list(published, "kislyak -wrote")
    assert "LIMIT 3" in str(few.query)
    assert list(few.newest_first()) == [met, called]
    # More: the matches themselves, in the list's order.
    many = matches_to_list(published, "kislyak")
    assert "LIMIT" not in str(many.query)
    assert list(many.newest_first()) == [met, called, wrote]
    assert list(matches_to_list(published, "kislyak stalin")) == []


# --- the page ---------------------------------------------------------------------------------


def test_snippets_mark_the_words_and_escape_everything_else() -> None:
    review = make_fact_check()
    review.summary = f"{HOSTILE_TEXT} He met the Russian ambassador twice."
    review.save()
    (found,) = search("russian ambassador").reviews
    snippet = str(found.snippet)  # type: ignore[attr-defined]
    assert "<mark>Russian</mark>" in snippet and "<mark>ambassador</mark>" in snippet
    assert "<script" not in snippet and "<img" not in snippet and "<!--" not in snippet
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0


def test_counts_stop_at_the_cap(monkeypatch: pytest.MonkeyPatch, client: Client) -> None:
    monkeypatch.setattr(search_module, "COUNT_CAP", 2)
    for n in range(4):
        make_fact_check(headline=f"Russians {n}", evidence=0, corrections=0)
    results = search("russians", page_size=2)
    assert (results.count, results.capped, results.num_pages, results.has_next) == (
        2,
        True,
        None,
        True,
    )
    html = client.get("/search/?q=russians").content.decode()
    assert "2+ results for “russians”" in html


def _sleeping(seconds: float) -> Any:
    """A score expression that first sleeps: the ranked query outlives any budget."""

    def score(text: str, language: str | None, now: datetime.datetime) -> _OnVector:
        return _OnVector("(SELECT pg_sleep(%s))::text::float + {table}.id", [seconds], FloatField())

    return score


def test_a_ranked_query_out_of_time_gives_the_newest_matches(
    monkeypatch: pytest.MonkeyPatch, client: Client
) -> None:
    monkeypatch.setattr(search_module, "_score_sql", _sleeping(2))
    old = make_fact_check(published_ago=datetime.timedelta(days=5))
    new = make_fact_check(published_ago=datetime.timedelta(days=1))
    results = search("russians")
    assert results.notice == SEARCH_TOO_SLOW
    assert [r.pk for r in results.reviews] == [new.pk, old.pk]
    response = client.get("/search/?q=russians")
    assert response.status_code == 200 and SEARCH_TOO_SLOW in response.content.decode()
    # Not the whole answer: neither cached nor validated (a later 304 would keep it).
    assert response["Cache-Control"] == "no-store" and "ETag" not in response
    monkeypatch.undo()
    again = client.get("/search/?q=russians")
    assert SEARCH_TOO_SLOW not in again.content.decode() and "ETag" in again


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_a_ranked_query_out_of_time_gives_the_newest_matches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each query its own transaction: the cancelled one ends nothing the next one needs.
    monkeypatch.setattr(search_module, "_score_sql", _sleeping(2))
    old = make_fact_check(published_ago=datetime.timedelta(days=5))
    new = make_fact_check(published_ago=datetime.timedelta(days=1))
    results = search("russians")
    assert (results.notice, results.degraded) == (SEARCH_TOO_SLOW, True)
    assert [r.pk for r in results.reviews] == [new.pk, old.pk]
    assert results.reviews[0].snippet


def test_a_search_out_of_time_everywhere_answers_without_error(
    monkeypatch: pytest.MonkeyPatch, client: Client
) -> None:
    def sleeping_match(text: str, language: str | None) -> _OnVector:
        from django.db.models import BooleanField

        return _OnVector("(SELECT pg_sleep(2)) IS NOT NULL", [], BooleanField())

    monkeypatch.setattr(search_module, "_matches_sql", sleeping_match)
    monkeypatch.setattr(search_module, "BUDGET_MS", 150)
    make_fact_check()
    assert search("russians").reviews == []
    assert client.get("/search/?q=russians").status_code == 200
    api = client.get("/api/v1/claim-reviews/?q=russians")
    assert api.status_code == 200 and api.json()["results"] == []
    assert api["Cache-Control"] == "no-store" and "ETag" not in api
    google = client.get("/api/google/v1alpha1/claims:search?query=russians")
    assert google.status_code == 200 and google.json() == {}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_search_outside_a_transaction_is_two_round_trips(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # As the reader's page runs it (no ATOMIC_REQUESTS): the capped count with the ranked ids
    # of the page, then the page's reviews with snippets, each its own transaction sent in one
    # message with its statement_timeout (no BEGIN, savepoint or reset).
    # Each also runs with sequential scans priced out (see matching.search._STEP_SETTINGS).
    make_fact_check()
    before = _settings()
    with django_assert_num_queries(2) as captured:
        results = search("russians")
    assert results.count == 1 and results.reviews[0].snippet
    assert all(
        q["sql"].startswith("SELECT set_config('statement_timeout', ")
        and "set_config('enable_seqscan', 'off', true);" in q["sql"]
        for q in captured.captured_queries
    )
    assert _settings() == before  # the settings ended with each query's transaction


def _settings() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('statement_timeout'), current_setting('enable_seqscan')"
        )
        return cursor.fetchone()


def test_the_budget_leaves_the_servers_settings_as_they_were() -> None:
    make_fact_check()
    before = _settings()
    search("russians")  # in the test's transaction: the steps' SET LOCAL are put back
    assert _settings() == before


# --- the words table and what suggestions may show --------------------------------------------


def test_publishing_adds_a_reviews_words_and_a_draft_adds_none() -> None:
    ReviewFactory(claim=ClaimFactory(text="Zanzibarian secret draft"), headline="Hidden")
    assert not SearchWord.objects.filter(word="zanzibarian").exists()
    make_fact_check(text="The Quetzalcoatlan figures")
    assert SearchWord.objects.filter(word="quetzalcoatlan").exists()
    # Words of 3 letters and more, not numbers.
    make_fact_check(text="In 2016 an ox")
    assert not SearchWord.objects.filter(word__in=["2016", "an", "ox"]).exists()


@pytest.mark.parametrize("hidden", ["draft", "scheduled", "withdrawn"])
def test_no_suggestion_comes_from_a_review_the_public_cannot_see(
    hidden: str, client: Client
) -> None:
    text = "Zanzibarian secret"
    if hidden == "draft":
        ReviewFactory(claim=ClaimFactory(text=text), headline="Hidden", rating=default_rating())
    else:
        review = make_fact_check(text=text)
        if hidden == "scheduled":
            Review.objects.filter(pk=review.pk).update(
                publish_at=timezone.now() + datetime.timedelta(days=3)
            )
        else:
            Review.objects.filter(pk=review.pk).update(
                status=ReviewStatus.WITHDRAWN, withdrawn_at=timezone.now(), withdrawal_note="Gone."
            )
    rebuild_words()
    results = search("zanzibarain")
    assert (results.reviews, results.shown_query, results.suggestion) == ([], "", "")
    html = client.get("/search/?q=zanzibarain").content.decode()
    assert "anzibarian" not in html


def test_rebuild_refills_the_words_of_the_published_reviews() -> None:
    make_fact_check(text="Quetzalcoatlan figures")
    SearchWord.objects.all().delete()
    assert rebuild_words() > 0
    assert SearchWord.objects.filter(word="quetzalcoatlan").exists()


# --- plans: indexes, never a whole-table scan -------------------------------------------------


def _fill(reviews: int) -> None:
    """`reviews` published reviews of their own claims (bulk-created, their search_text set
    as save() would), then ANALYZE, so the planner sees tables worth an index."""
    from claims.models import Claim
    from claims.search import search_text

    claimant = make_fact_check().claim.claimant
    rating = default_rating()
    now = timezone.now()
    claims = Claim.objects.bulk_create(
        Claim(text=f"Claim number {i} about the budget", slug=f"bulk-{i}", claimant=claimant)
        for i in range(reviews)
    )
    Review.objects.bulk_create(
        Review(
            claim=claim,
            rating=rating,
            headline=f"Headline {claim.pk}",
            status=ReviewStatus.PUBLISHED,
            publish_at=now,
            date_published=now,
            search_text=search_text(claim.text, "", claimant.name, f"Headline {claim.pk}", ""),
        )
        for claim in claims
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_review")
        cursor.execute("ANALYZE claims_claim")


_TIMEOUT_PREFIX = re.compile(r"^SELECT set_config\('statement_timeout', '\d+', true\)[^;]*; ")


def _plans(action: Any) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        action()
    plans = []
    with connection.cursor() as cursor:
        # With sequential scans priced out, a plan that still has one has no index to use: on
        # a table this small the planner may otherwise prefer a scan that an index could avoid.
        cursor.execute("SET enable_seqscan = off")
        try:
            for query in captured.captured_queries:
                # A search's query comes with its statement_timeout in the same message.
                sql = _TIMEOUT_PREFIX.sub("", query["sql"])
                if "claims_review" not in sql or not sql.lstrip().upper().startswith(
                    ("SELECT", "WITH")
                ):
                    continue
                cursor.execute("EXPLAIN " + sql)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        finally:
            cursor.execute("RESET enable_seqscan")
    return plans


def test_the_search_path_never_scans_claims_or_reviews_whole(client: Client) -> None:
    _fill(3000)
    make_fact_check(text="Kislyak met him twice")
    searches = [
        lambda: search("kislyak"),
        lambda: search("number 17"),
        lambda: search('"met him twice" -budget'),
        lambda: list(matches(Review.objects.published().for_claimreview(), "kislyak")[:10]),
        lambda: list(
            matches_to_list(Review.objects.published(), "kislyak")
            .for_claimreview()
            .newest_first()[:10]
        ),
    ]
    for action in searches:
        plans = _plans(action)
        assert plans
        for plan in plans:
            assert "Seq Scan on claims_review" not in plan, plan
            assert "Seq Scan on claims_claim" not in plan, plan
    assert any("review_search_vector" in plan for plan in _plans(searches[0]))


def test_the_search_words_command_rebuilds_and_counts(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    make_fact_check(text="Quetzalcoatlan figures")
    SearchWord.objects.all().delete()
    call_command("search_words", "--rebuild")
    assert "Rebuilt the words table:" in capsys.readouterr().out
    assert SearchWord.objects.filter(word="quetzalcoatlan").exists()
    call_command("search_words")
    assert f"holds {SearchWord.objects.count():,} words" in capsys.readouterr().out
