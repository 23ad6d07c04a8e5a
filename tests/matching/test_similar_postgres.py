"""similar_claims' ranking on PostgreSQL: the one statement (_signals_postgresql) gives every
candidate the signals the query-a-stage path (_signals) gives it, and the lexical depth of a
common term is the same in SQL as in Python."""

from __future__ import annotations

import pytest
from django.db import connection

from matching import lexical, search, services
from matching.embedders import get_embedder
from matching.index import document_text, text_key, url_key
from tests.helpers import AppearanceFactory, ClaimFactory, index_for_matching, prior_check

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

QUERIES = [
    # (text, url): an identical text, a URL of one of them, words and meaning, nothing at all
    ("The Eiffel Tower will be dismantled and moved to Las Vegas.", None),
    ("Eiffel tower moved to Las Vegas", "http://www.video.example.org/eiffel?utm_source=x"),
    ("The tower of Paris is going to Nevada", None),
    ("Penguins", "https://nowhere.example.net/"),
    ("zzzz qqqq", None),
]


@pytest.fixture(autouse=True)
def _cached_embedder(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FACTCHECK_EMBEDDER = "tests.helpers.CachedEmbedder"


@pytest.fixture
def claims() -> None:
    eiffel = ClaimFactory(text="The Eiffel Tower will be dismantled and moved to Las Vegas.")
    AppearanceFactory(claim=eiffel, url="https://video.example.org/eiffel")
    for n in range(3):
        prior_check(f"The Eiffel Tower is being shipped to Nevada, report {n}.")
    ClaimFactory(text="Penguins live at the North Pole, near the Eiffel Tower of ice.")
    ClaimFactory(text="The moon landing was filmed in a studio in Nevada.")
    index_for_matching()
    # One claim without its vector yet: found by words, with no cosine.
    index_for_matching(ClaimFactory(text="Las Vegas will get a copy of the tower"), embed=False)


Signals = dict[int, services.Candidate]


def both(text: str, url: str | None, *, embedded: bool = True) -> tuple[Signals, Signals]:
    query_text = document_text(text=text)
    terms = list(dict.fromkeys(lexical.terms(query_text, "en")))
    vector = get_embedder().queries([query_text])[0] if embedded else None
    key, address = text_key(text), url_key(url) if url else None
    return (
        services._signals(key, address, terms, vector),
        services._signals_postgresql(key, address, terms, vector),
    )


def assert_same(staged: Signals, one: Signals) -> None:
    assert one.keys() == staged.keys()
    for claim_id, expected in staged.items():
        got = one[claim_id]
        assert (got.same_text, got.same_url) == (expected.same_text, expected.same_url)
        assert got.bm25 == pytest.approx(expected.bm25, rel=1e-12)
        if expected.cosine is None:
            assert got.cosine is None
        else:
            assert got.cosine == pytest.approx(expected.cosine, abs=1e-9)


@pytest.mark.parametrize(("text", "url"), QUERIES)
def test_the_one_statement_gives_each_candidate_the_signals_of_the_stages(
    claims: None, text: str, url: str | None
) -> None:
    assert_same(*both(text, url))


def test_without_a_query_vector_the_one_statement_ranks_by_the_other_signals(
    claims: None,
) -> None:
    staged, one = both("Eiffel tower moved to Las Vegas", None, embedded=False)
    assert_same(staged, one)
    assert one
    assert all(c.cosine is None for c in one.values())


def test_a_common_term_reads_as_many_postings_in_sql_as_in_python(
    claims: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At a depth of 2 most terms of these claims are common ("eiffel" in 5 of 7 entries reads
    # 1 posting, "vegas" in 2 reads both): the candidates by words are what each path's depths
    # let through.
    monkeypatch.setattr(services, "LEXICAL_DEPTH", 2)
    monkeypatch.setattr(services, "LEXICAL_CANDIDATES", 2)
    for text, url in QUERIES:
        assert_same(*both(text, url))


@pytest.mark.parametrize(
    ("documents", "frequency"), [(10, 3), (10, 10), (10_375, 2_500), (1_020_000, 170_000)]
)
def test_the_lexical_depth_in_sql_is_the_lexical_depth(documents: int, frequency: int) -> None:
    idf = lexical.idf_sql("%(n)s", "%(df)s")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {idf}, {services._lexical_depth_sql('%(n)s', '%(df)s', idf)}",
            {"n": documents, "df": frequency},
        )
        sql_idf, sql_depth = cursor.fetchone()
    assert sql_idf == lexical.idf(documents, frequency)
    assert sql_depth == services.lexical_depth(documents, frequency)


def test_with_server_side_binding_hnsw_breadth_is_a_query_of_its_own(
    claims: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged, _ = both("The tower of Paris is going to Nevada", None)
    monkeypatch.setattr(search, "_one_message", lambda using: False)
    _, one = both("The tower of Paris is going to Nevada", None)
    assert_same(staged, one)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_statement_leaves_the_sessions_settings_alone(
    claims: None,
) -> None:
    def settings() -> tuple[str, str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('hnsw.ef_search'), current_setting('jit')")
            return cursor.fetchone()  # type: ignore[return-value]

    assert not connection.in_atomic_block
    both("Eiffel tower moved to Las Vegas", None)  # loads pgvector's settings
    before = settings()
    assert before[0] != str(services.EF_SEARCH)
    services.similar_claims(text="Eiffel tower moved to Las Vegas", language="en")
    assert settings() == before
