"""The one search of the site: readers' /search/, the public API's `q`, claims:search's `query`.

What a query matches (`matches()`, every entry point), how its matches rank (`ranked_ids()`:
the reader page and claims:search, which ranks claims by their best review) and how the reader
page pages, highlights and corrects them (`search()`). The API's `q` only filters: its list
keeps its own order and cursor.

On PostgreSQL (production, CI):

- Each review has a stored generated `search_vector` (claims migration 0012): its folded
  `search_text` (claim text and short text, claimant, headline, summary; see claims.search)
  stemmed in the review's language (`claims_search_config(language)`: english, spanish, ...,
  `simple` for a language PostgreSQL has no configuration for) plus the same words unstemmed.
  A GIN index over the published rows serves every query.
- A query is folded like the text (case and accents do not matter) and read with
  `websearch_to_tsquery`: words must all appear (in any form the stemmer joins: "russian"
  finds "Russians"), `"a quoted phrase"` must appear as written, `-word` must not appear,
  `or` between words accepts either. It is parsed twice, stemmed in the search's language
  (the site's LANGUAGE_CODE, or the language a client asked for) and unstemmed, and a review
  matches either: a reader typing "rusos" finds the Spanish review by its exact word.
- The reader page and claims:search rank matches by `ts_rank_cd` (cover density: the
  query's words close together count more) times a small recency prior (at most +25%, halved
  after a year). On the reader page a query of plain words that matches nothing as a whole
  is tried with any of its words (ranked the same way, so reviews with more of the words come
  first), then, when that finds nothing either, with its words corrected from the words table
  (SearchWord, pg_trgm): "russains" shows the results for "russians" and says so; a
  correction that finds something is offered as "Did you mean ...?" otherwise.
- Counts stop at COUNT_CAP ("1,000+"), pages at MAX_PAGES. Up to COUNT_CAP matches, all of
  them are ranked; past that, COUNT_CAP + 1 of them are (the first the index yields), since
  ranking them all, or finding the newest, would read every matching row: a word in tens of
  thousands of reviews gives good matches quickly rather than the very best slowly, and more
  words narrow it. claims:search pages through the claims of the same COUNT_CAP + 1.
- Every query runs under `statement_timeout` (SET LOCAL, sent with the query: see Budget),
  with sequential scans priced out (the GIN index finds a frequent word's first matches
  wherever they are in the table; see _STEP_SETTINGS), within one budget of BUDGET_MS for
  the whole search: a ranked count that runs out of time is replaced by the newest matches
  (the count by "many"), and what still fails by no results with a notice. Never an error.
  A page is 2 queries (the count with the ranked ids of the page, then its reviews with
  snippets), each one round trip with its settings.

On SQLite (development only) the search is the earlier simple one: every word of the folded
query must occur in `search_text` (`LIKE '%word%'`), newest first; quotes are ignored, `-word`
excludes, no ranking, snippets or suggestions.

Nothing here ever shows what the public may not see: the reader search starts from
`Review.objects.published()`, API and claims:search pass their own public querysets to
`matches()`, and a suggestion is offered only when searching it finds published reviews.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.models import BooleanField, Expression, F, FloatField, Max, Q, TextField
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from claims.models import Review, ReviewQuerySet
from core.text import fold

# The reader page's longest query (the API and claims:search have their own limits).
MAX_QUERY_LENGTH = 200
QUERY_TOO_LONG = f"Search for at most {MAX_QUERY_LENGTH} characters."
# Words of a query beyond this many are ignored.
MAX_TERMS = 16

COUNT_CAP = 1000  # "1,000+"
MAX_PAGES = 50  # the reader pages through the best 1,000 at most
BUDGET_MS = 400  # the whole reader search, all its queries
RESERVE_MS = 100  # of which kept for reading the page's reviews, whatever came before
RECENCY_BOOST = 0.25  # a brand-new review's score is at most 25% higher ...
RECENCY_HALF_LIFE_DAYS = 365  # ... and half that boost after a year
SUGGESTIONS_PER_WORD = 5
# Selection markers for ts_headline: control characters, removed from the text first, so the
# snippet can be HTML-escaped whole and the markers then turned into <mark> elements.
_START, _STOP = "\x02", "\x03"
_HEADLINE_OPTIONS = (
    f"StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12, ShortWord=2, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)

SEARCH_TOO_SLOW = "The search took too long: showing fewer results than there may be."
SHOWING_ANY_WORD = "No fact check has all of these words: showing those with some of them."

_OPERATORS = re.compile(r'"|(?:^|\s)-\S|(?:^|\s)or(?:\s|$)')
_WORD = re.compile(r"[^\W_]+")


def postgres(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


def query_terms(query: str) -> list[str]:
    """The folded whitespace-separated terms of a query (at most MAX_TERMS, duplicates
    dropped, order kept)."""
    return list(dict.fromkeys(fold(query).split()))[:MAX_TERMS]


def _words(query: str) -> list[str]:
    """The folded words (letters and digits) of a plain query, as PostgreSQL's parser reads
    them, for trying any of them and correcting them."""
    return list(dict.fromkeys(_WORD.findall(fold(query))))[:MAX_TERMS]


def _normalised(query: str) -> str:
    """The query as websearch_to_tsquery reads it: folded, angle brackets as spaces (as in
    search_vector), at most MAX_TERMS words."""
    return " ".join(fold(query).replace("<", " ").replace(">", " ").split()[:MAX_TERMS])


def _plain(query: str) -> bool:
    """Whether `query` is words only (no phrase, exclusion or `or`)."""
    return not _OPERATORS.search(fold(query))


# --- SQL on the hidden column -----------------------------------------------------------------


def _config(language: str | None) -> str:
    return (language or settings.LANGUAGE_CODE).strip() or "simple"


def _tsquery(text: str, language: str | None) -> tuple[str, list[Any]]:
    """A tsquery of `text` (websearch syntax), stemmed in `language` or unstemmed.

    Built from constants only, so PostgreSQL folds it into one tsquery when planning and
    estimates from the column's statistics how many rows it matches."""
    return (
        "(websearch_to_tsquery(claims_search_config(%s), %s)"
        " || websearch_to_tsquery('pg_catalog.simple'::regconfig, %s))",
        [_config(language), text, text],
    )


class _OnVector(Expression):
    """SQL over columns of the queryset's review table (`search_vector` above all, which is no
    model field), whatever alias the query gives it: `template` names the table `{table}`;
    `params` are its placeholders' values."""

    def __init__(
        self, template: str, params: list[Any], output_field: Any, column: Any = None
    ) -> None:
        super().__init__(output_field=output_field)
        self.template, self.params = template, params
        # search_text of the same table: resolved and relabelled by Django like any column
        # (a queryset used as a subquery gets new aliases), so its alias is the table's.
        self.column: Any = column if column is not None else F("search_text")

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: SQLCompiler, connection: Any) -> tuple[str, list[Any]]:
        table = compiler.quote_name_unless_alias(self.column.alias)
        return self.template.format(table=table), list(self.params)


def _matches_sql(text: str, language: str | None) -> _OnVector:
    sql, params = _tsquery(text, language)
    return _OnVector("{table}.search_vector @@ " + sql, params, BooleanField())


def _score_sql(text: str, language: str | None, now: datetime.datetime) -> _OnVector:
    sql, params = _tsquery(text, language)
    return _OnVector(
        "ts_rank_cd({table}.search_vector, " + sql + ", 32) * (1 + %s / (1 + greatest(0, "
        "extract(epoch FROM %s::timestamptz - {table}.date_published)) / %s))",
        [*params, RECENCY_BOOST, now, RECENCY_HALF_LIFE_DAYS * 86400.0],
        FloatField(),
    )


# --- matching: every entry point --------------------------------------------------------------


def matches(reviews: ReviewQuerySet, query: str, *, language: str | None = None) -> ReviewQuerySet:
    """The reviews of `reviews` that `query` matches, in the order `reviews` has.

    What every entry point matches with (`matches_to_list()` for a list that orders itself,
    `ranked_ids()` and the reader's `search()` to rank). A query without words matches
    nothing.
    """
    if not query_terms(query):
        return reviews.none()
    if postgres(reviews.db):
        return reviews.filter(_matches_sql(_normalised(query), language))
    return _like(reviews, query)


def matches_to_list(
    reviews: ReviewQuerySet, query: str, *, language: str | None = None
) -> ReviewQuerySet:
    """`matches()`, for a list that orders and pages itself (the API's `q`: newest first or
    by latest change, a keyset cursor), planned so a page is quick for a rare query and a
    frequent one alike.

    The planner cannot know whether a query's matches are among the newest reviews, and
    reads a page newest first by walking the newest-first index and testing each review: for
    a frequent query a page is a few dozen reviews away, for a rare one most of the table
    (0.5 s and more at a million reviews). So on PostgreSQL this counts the first
    COUNT_CAP + 1 matches over the GIN index first (1 query, here; run it where its timeout
    and settings apply: a `Budget.step()`): when they are all the matches, the list is of
    those (a subquery the planner reads first, then sorts a few hundred rows whatever their
    dates); past COUNT_CAP, it is `matches()`, whose matches are then frequent enough for the
    newest-first walk (still slow, and cut short by the timeout, for a query matching
    thousands of reviews all of them old).
    """
    matching = matches(reviews, query, language=language)
    if not postgres(reviews.db) or not query_terms(query):
        return matching
    first = matching.order_by().values("pk")[: COUNT_CAP + 1]
    if first.count() > COUNT_CAP:
        return matching
    return reviews.filter(pk__in=first)


def _like(reviews: ReviewQuerySet, query: str) -> ReviewQuerySet:
    """SQLite: every word occurs in search_text (`-word`: does not), as substrings."""
    terms = query_terms(fold(query).replace('"', " "))
    wanted = [t for t in terms if not t.startswith("-") and t != "or"]
    unwanted = [t[1:] for t in terms if t.startswith("-") and len(t) > 1]
    if not wanted:
        return reviews.none()
    return reviews.filter(*(Q(search_text__contains=t) for t in wanted)).exclude(
        *(Q(search_text__contains=t) for t in unwanted)
    )


# --- the time budget --------------------------------------------------------------------------


class SearchTimeout(Exception):
    """A search query ran out of its time budget (and was cancelled by PostgreSQL)."""


def _cancelled(exc: OperationalError) -> bool:
    # 57014 query_canceled: statement_timeout (or an operator's pg_cancel_backend)
    return getattr(exc.__cause__, "sqlstate", None) == "57014"


# What a step's queries run with besides the timeout: no sequential scan of the reviews. The
# planner prices "the first COUNT_CAP + 1 matches" (or any match, for a suggestion) of a
# frequent word as a short sequential scan, assuming the matches are spread evenly through the
# table; they are not when the word is recent (a trending word is in the newest reviews, at the
# end of the table), and the scan then reads most of the table (1.4 s at 1M reviews for a word
# in 100,000) where the GIN index finds them in milliseconds.
_STEP_SETTINGS = "set_config('enable_seqscan', 'off', true)"


def _step_settings_sql(milliseconds: int) -> str:
    """The SELECT that sets a step's settings (SET LOCAL), `milliseconds` its timeout: an
    integer literal, not a parameter, so a query without parameters it is sent with stays as
    written (its % signs are not placeholders)."""
    return f"SELECT set_config('statement_timeout', '{int(milliseconds)}', true), {_STEP_SETTINGS}"


def _one_message(using: str) -> bool:
    """Whether a query can carry its statement_timeout in the same message: psycopg's
    client-side binding, Django's default unless OPTIONS sets server_side_binding (the same
    test as Django's backend makes)."""
    options = connections[using].settings_dict.get("OPTIONS", {})
    return options.get("server_side_binding") is not True


class _Timed:
    """An execute wrapper (connection.execute_wrapper): each query of a step runs under the
    budget's time left (less the step's reserve) and the other step settings, set by
    set_config(..., true), i.e. SET LOCAL, in the same message (client-side binding only),
    one round trip: PostgreSQL runs the two as one transaction (implicit outside a transaction
    block), times each statement separately, and ends the settings with that transaction."""

    def __init__(self, budget: Budget, reserve: int) -> None:
        self.budget, self.reserve = budget, reserve

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if many:
            return execute(sql, params, many, context)
        milliseconds = max(1, self.budget.left() - self.reserve)
        result = execute(f"{_step_settings_sql(milliseconds)}; {sql}", params, many, context)
        context["cursor"].nextset()  # the query's rows, after set_config's
        return result


class Budget:
    """Milliseconds left for the queries of one search; `step()` runs some of them under
    statement_timeout set to what is left (at least 1 ms: 0 would mean no limit).

    Outside a transaction (the reader's search: no ATOMIC_REQUESTS) a step costs no query of
    its own: each of its queries carries its timeout (see _Timed) and is its own transaction,
    so a cancelled one ends nothing else. Inside a transaction a step is a savepoint (2 more
    queries), so a cancelled query leaves the enclosing transaction usable, and `close()` puts
    the server's timeout back (1 query). On other databases (SQLite) a step sets no limit and
    sends nothing."""

    def __init__(self, using: str, milliseconds: float) -> None:
        self.using = using
        self.deadline = time.monotonic() + milliseconds / 1000
        self.ran_out = False  # whether a step ran out of time
        self.nested = connections[using].in_atomic_block
        self.postgres = postgres(using)
        self.one_message = self.postgres and _one_message(using)
        self.stepped = False

    def left(self) -> int:
        return max(1, int((self.deadline - time.monotonic()) * 1000))

    @contextmanager
    def step(self, *, reserve: int = 0) -> Iterator[None]:
        """Queries under the time left (less `reserve` ms kept for later steps): one
        cancelled for running out of time raises SearchTimeout here, and the next step runs
        as if it had not been."""
        if not self.postgres:  # no limit elsewhere (SQLite, development)
            yield
            return
        connection = connections[self.using]
        # A savepoint where a cancelled query would otherwise abort a transaction the search
        # does not own, or where the timeout cannot travel with the query (SET LOCAL needs a
        # transaction to last until the query).
        own = self.nested or not self.one_message
        self.stepped = True
        try:
            with transaction.atomic(using=self.using) if own else nullcontext():
                if self.one_message:
                    with connection.execute_wrapper(_Timed(self, reserve)):
                        yield
                else:  # one setting for the step's queries, a query of its own
                    with connection.cursor() as cursor:
                        cursor.execute(_step_settings_sql(max(1, self.left() - reserve)))
                    yield
        except OperationalError as exc:
            if _cancelled(exc):
                self.ran_out = True
                raise SearchTimeout from exc
            raise

    def close(self) -> None:
        """Inside a transaction, put the server's settings back (the steps' SET LOCAL outlive
        their savepoints)."""
        connection = connections[self.using]
        if self.stepped and self.nested and not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('statement_timeout', reset_val, true), "
                    "set_config('enable_seqscan', "
                    "(SELECT reset_val FROM pg_settings WHERE name = 'enable_seqscan'), true) "
                    "FROM pg_settings WHERE name = 'statement_timeout'"
                )


# --- the reader's search ----------------------------------------------------------------------


@dataclass
class SearchResults:
    """One page of the reader's search.

    `reviews`: the page's reviews (with claim, claimant and rating, body and search_text
    deferred; on PostgreSQL each with `snippet`, safe HTML of its summary with the query's
    words in <mark>), best first.
    `count`: how many reviews match, at most COUNT_CAP (`capped` when there are more; None
    when counting ran out of time). `shown_query`: the query the results are for when it is
    not the reader's (their words corrected); `suggestion`: a correction worth trying.
    `notice`: why the results are fewer or looser than asked (SHOWING_ANY_WORD,
    SEARCH_TOO_SLOW). `degraded`: some query ran out of time (the results are not the whole
    answer: not to be cached).
    """

    query: str
    number: int
    page_size: int
    reviews: list[Review] = field(default_factory=list)
    count: int | None = 0
    capped: bool = False
    has_next: bool = False
    shown_query: str = ""
    suggestion: str = ""
    notice: str = ""
    degraded: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def num_pages(self) -> int | None:
        """Pages there are, when counted and not capped."""
        if self.count is None or self.capped:
            return None
        return max(1, -(-self.count // self.page_size))


def search(
    query: str,
    *,
    page: int = 1,
    page_size: int = 20,
    language: str | None = None,
    now: datetime.datetime | None = None,
    using: str = "default",
) -> SearchResults:
    """The reader's search over our published reviews: page `page` of the results for
    `query`, best first (see the module docstring for what matches and how it ranks).

    Queries on PostgreSQL, per attempt (all words, any word, corrected): the capped count with
    the ranked ids of the page, then the page's reviews with their claim, claimant, rating and
    snippets; the corrections read the words table once. Each carries its own timeout (see
    Budget: outside a transaction no other query; inside one each step is a savepoint, and the
    timeout is put back at the end). On SQLite: a count and the page.
    """
    now = now or timezone.now()
    page = max(1, min(page, MAX_PAGES))
    results = SearchResults(query=query, number=page, page_size=page_size)
    if not query_terms(query):
        return results
    published = Review.objects.db_manager(using).published(now=now)
    if not postgres(using):
        return _sqlite_search(results, matches(published, query))
    budget = Budget(using, BUDGET_MS)
    try:
        _attempts(results, budget, published, query, language, now)
    finally:
        budget.close()
    results.degraded = budget.ran_out
    return results


def _attempts(
    results: SearchResults,
    budget: Budget,
    published: ReviewQuerySet,
    query: str,
    language: str | None,
    now: datetime.datetime,
) -> None:
    """All the words; then any of them; then corrected (see the module docstring)."""
    text = _normalised(query)
    found = _page(results, budget, published, text, language, now)
    if found or not _plain(query):
        return
    terms = _words(query)
    if len(terms) > 1:
        found = _page(results, budget, published, " or ".join(terms), language, now)
        if found:
            results.notice = results.notice or SHOWING_ANY_WORD
    corrected = _corrected(budget, terms)
    if corrected:
        if found:
            if _any(budget, published, corrected, language):
                results.suggestion = corrected
        elif _page(results, budget, published, corrected, language, now):
            results.shown_query = corrected


def _sqlite_search(results: SearchResults, matching: ReviewQuerySet) -> SearchResults:
    results.count = min(matching.order_by().values("pk")[: COUNT_CAP + 1].count(), COUNT_CAP + 1)
    results.capped = results.count > COUNT_CAP
    results.count = min(results.count, COUNT_CAP)
    start = (results.number - 1) * results.page_size
    listed = matching.for_list().defer("body", "search_text").newest_first()
    rows = list(listed[start : start + results.page_size + 1])
    results.reviews = rows[: results.page_size]
    results.has_next = len(rows) > results.page_size and results.number < MAX_PAGES
    return results


def _page(
    results: SearchResults,
    budget: Budget,
    published: ReviewQuerySet,
    text: str,
    language: str | None,
    now: datetime.datetime,
) -> bool:
    """Fill `results` with the page for the tsquery `text`; whether anything matched.

    2 queries: the count with the page's ids, the page's reviews with snippets (out of time:
    the newest matches' ids, then the reviews without snippets, each 1 more)."""
    matching = published.filter(_matches_sql(text, language))
    start = (results.number - 1) * results.page_size
    window = slice(start, start + results.page_size + 1)
    count: int | None
    try:
        with budget.step(reserve=RESERVE_MS):
            count, ids = _counted_ranked_ids(matching, text, language, now, window)
    except SearchTimeout:
        count = None  # ran out of time: many, surely
        results.notice = SEARCH_TOO_SLOW
        try:
            with budget.step(reserve=RESERVE_MS // 2):
                ids = list(matching.newest_first().values_list("pk", flat=True)[window])
        except SearchTimeout:
            ids = []
    if count == 0 or (not ids and count is None):
        return False
    results.count = count
    results.capped = count is not None and count > COUNT_CAP
    if count is not None:
        results.count = min(count, COUNT_CAP)
    results.has_next = len(ids) > results.page_size and results.number < MAX_PAGES
    ids = ids[: results.page_size]
    if not ids:  # a page past the last
        return True
    # A list shows neither the body nor search_text (kilobytes a review, stored out of line):
    # not read.
    page = (
        Review.objects.db_manager(published.db)
        .for_list()
        .defer("body", "search_text")
        .filter(pk__in=ids)
    )
    try:
        with budget.step():
            by_id = {r.pk: r for r in page.annotate(marked=_snippet_sql(text))}
    except SearchTimeout:
        try:
            with budget.step():
                by_id = {r.pk: r for r in page}  # no snippets
        except SearchTimeout:
            by_id = {}
    results.reviews = [by_id[pk] for pk in ids if pk in by_id]
    for review in results.reviews:
        review.snippet = _safe_snippet(getattr(review, "marked", "") or "")  # type: ignore[attr-defined]
    return True


def _counted_ranked_ids(
    matching: ReviewQuerySet,
    text: str,
    language: str | None,
    now: datetime.datetime,
    window: slice,
    key: str = "pk",
) -> tuple[int, list[int]]:
    """How many of `matching` there are (up to COUNT_CAP + 1) and the ids in `window` of
    their ranking, in one query over one pass of the index: the first COUNT_CAP + 1 matches
    the index yields, each with its score, counted and ordered by score. Up to COUNT_CAP
    matches that is all of them; past it, finding the best or the newest of them all would
    read every matching row (see the module docstring).

    `key` is the column whose values are ranked: "pk", the reviews themselves; "claim_id",
    their claims, each ranked by the best score of its candidate reviews, ties by the newest
    of them (the count stays the candidate reviews')."""
    candidates = (
        matching.order_by()
        .annotate(score=_score_sql(text, language, now))
        .values_list(key, "score", "date_published")[: COUNT_CAP + 1]
    )
    sql, params = candidates.query.sql_with_params()
    # Grouped by the key: for "pk" each group is one review, and the order is the reviews'.
    with connections[matching.db].cursor() as cursor:
        cursor.execute(
            f"WITH candidates (key, score, date_published) AS MATERIALIZED ({sql}) "
            "SELECT (SELECT count(*) FROM candidates), "
            "(SELECT array_agg(key ORDER BY score DESC, date_published DESC, key DESC) FROM "
            "(SELECT key, max(score) AS score, max(date_published) AS date_published "
            "FROM candidates GROUP BY key "
            "ORDER BY score DESC, date_published DESC, key DESC LIMIT %s OFFSET %s) AS page)",
            [*params, window.stop - window.start, window.start],
        )
        count, ids = cursor.fetchone()
        return int(count), list(ids or [])


def ranked_ids(
    reviews: ReviewQuerySet,
    query: str,
    window: slice,
    *,
    key: str = "pk",
    language: str | None = None,
    now: datetime.datetime | None = None,
) -> list[int]:
    """The `window` of the ranking of the reviews of `reviews` that `query` matches, best
    first, as their `key`: "pk", the reviews' ids; "claim_id", their claims' (each claim
    ranked by its best matching review, ties by its newest matching review, then the newer
    claim). What claims:search ranks with (the reader's `search()` does the same with its
    count, corrections and snippets).

    On PostgreSQL the score is the reader search's (relevance with the small recency prior)
    over the first COUNT_CAP + 1 matches the index yields, as `search()` ranks them: the
    ranking is of at most that many reviews whatever the table's size, so a window past them
    is empty and a word in tens of thousands of reviews gives good matches rather than the
    very best (see the module docstring). On SQLite newest first, uncapped.

    1 query. Run it in a `Budget.step()` (its timeout, sequential scans priced out): out of
    time it raises SearchTimeout.
    """
    if not query_terms(query):
        return []
    now = now or timezone.now()
    if not postgres(reviews.db):
        newest = (
            _like(reviews, query)
            .order_by()
            .values(key)
            .annotate(latest=Max("date_published"))
            .order_by(F("latest").desc(nulls_last=True), F(key).desc())
        )
        return list(newest.values_list(key, flat=True)[window])
    text = _normalised(query)
    matching = reviews.filter(_matches_sql(text, language))
    return _counted_ranked_ids(matching, text, language, now, window, key)[1]


def _snippet_sql(text: str) -> _OnVector:
    """The review's summary with the query's words between the selection markers, the words
    stemmed in the review's own language as its search_vector is."""
    return _OnVector(
        "ts_headline(claims_search_config({table}.language), "
        "translate({table}.summary, %s, '  '), "
        "websearch_to_tsquery(claims_search_config({table}.language), %s) "
        "|| websearch_to_tsquery('pg_catalog.simple'::regconfig, %s), %s)",
        ["<>" + _START + _STOP, text, text, _HEADLINE_OPTIONS],
        TextField(),
    )


def _safe_snippet(marked: str) -> SafeString:
    """`marked` (plain text with the selection markers) as HTML: escaped whole, then the
    markers turned into <mark> elements (an unclosed one is closed)."""
    html = str(escape(marked.strip()))
    opened = html.count(_START) - html.count(_STOP)
    html = html.replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html + "</mark>" * max(0, opened))  # noqa: S308  (escaped above)


def _any(budget: Budget, published: ReviewQuerySet, text: str, language: str | None) -> bool:
    try:
        with budget.step():
            return published.filter(_matches_sql(text, language)).exists()
    except SearchTimeout:
        return False


def _corrected(budget: Budget, terms: list[str]) -> str:
    """`terms` with each word the words table does not hold replaced by the most similar word
    it holds (trigram similarity, pg_trgm's default threshold 0.3); "" when none is replaced.

    1 query: for each unknown word of 3 letters or more, its best replacement."""
    unknown = [t for t in terms if len(t) >= 3]
    if not unknown:
        return ""
    try:
        with budget.step(), connections[budget.using].cursor() as cursor:
            cursor.execute(
                "SELECT t.term, (SELECT w.word FROM matching_search_word w "
                "WHERE w.word %% t.term ORDER BY similarity(w.word, t.term) DESC, w.word "
                "LIMIT 1) FROM unnest(%s::text[]) AS t (term) WHERE NOT EXISTS "
                "(SELECT FROM matching_search_word k WHERE k.word = t.term)",
                [unknown],
            )
            replaced = {term: word for term, word in cursor.fetchall() if word}
    except SearchTimeout:
        return ""
    if not replaced:
        return ""
    return " ".join(replaced.get(t) or t for t in terms)


# --- the words table --------------------------------------------------------------------------

# The trigger of matching migration 0001 adds the words of each published review as it is
# written; this refills the table from today's published reviews (dropping words no review
# has any more).
WORDS_SQL = """
    INSERT INTO matching_search_word (word)
    SELECT DISTINCT w
    FROM claims_review r, regexp_split_to_table(r.search_text, '[^[:alnum:]]+') w
    WHERE r.status = 'published' AND length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9]+$'
    ON CONFLICT DO NOTHING
"""


def rebuild_words(using: str = "default") -> int:
    """Refill the words table from the published reviews; return how many words it holds."""
    from matching.models import SearchWord

    if not postgres(using):
        return 0
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("DELETE FROM matching_search_word")
        cursor.execute(WORDS_SQL)
    return SearchWord.objects.using(using).count()
