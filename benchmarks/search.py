"""`make bench`: the search's latency at scale on PostgreSQL (the reader's, claims:search, the
API's `q`), beside references.

    python benchmarks/search.py [--reviews 1000000] [--runs 41]
        [--database-url postgres://postgres@127.0.0.1:5432/factcheck_bench_search_{reviews}]

1. Seeds a scratch PostgreSQL database with benchmarks.seed (`--reviews` published reviews of
   synthetic text, no evidence and one-sentence bodies: search reads neither), or reuses it
   when it already holds exactly that. The seed's vocabulary is small, so each of its words is
   in a large share of the reviews; to measure terms of known frequencies, probe words are then
   added to the claim text (and `search_text`, as the claims signals would) of every k-th
   review: `probe100` in 100 reviews, `probe1k` in 1,000, `probe10k`, `probe25k`, and
   `probe100k` beyond the target.
   The words table is filled once at the end (its trigger is disabled while seeding) and the
   GIN index built once (dropped while seeding, recreated from its own definition).
2. Times `matching.search.search()` (the reader's first page: the capped count with the
   ranked ids, the page's reviews with snippets; `--runs` times each, p50 and p99, and the
   queries one search sends) for: each probe alone, a probe with a common word, a phrase, an
   exclusion, a common word of the seed (hundreds of thousands of matches), a misspelt word
   (no match: the any-word and corrected tries), and the whole /search/ page for one probe
   (view and template included, page cache cleared).
3. Beside each: the raw capped tsquery count of the same query in the same minute
   (`count(*)` of the first COUNT_CAP + 1 matches over the GIN index: the floor any indexed
   search that counts up to its cap pays; p50 and p99), the full count once (how many match),
   and for three of them the search this one replaced (one `LIKE '%word%'` per word over
   `search_text`, newest first, with its count; 3 runs, as it reads every row).
4. The other two entry points of the same search, as a client calls them (the whole request,
   every cache cleared): claims:search (claims ranked by relevance, its first page of 10) and
   the public API's list with `q` (its first page of 20, newest first), for the probes, a
   probe with a common word and a common word of the seed, each beside the raw capped count
   of the same query, with its queries (round trips) and whether it showed fewer than match
   (its time budget ran out: degraded, never an error).

Targets (issue 9): p50 <= 50 ms and p99 <= 250 ms for terms matching up to 25,000 rows; at
most 500 ms and no error beyond. Prints the machine's load average: on a shared machine,
compare the ratios. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/factcheck_bench_search_{reviews}"
PROBES = {"probe100": 100, "probe1k": 1_000, "probe10k": 10_000, "probe25k": 25_000}
BEYOND = {"probe100k": 100_000}
PROBES_TABLE = "bench_search_probes"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=41, help="timed runs per query")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_SEARCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="{reviews} is replaced by --reviews",
    )
    return parser.parse_args()


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-key")
    os.environ.setdefault("FACTCHECK_SITE_URL", "https://factcheck.example.org")
    os.environ["DEBUG"] = "0"  # with DEBUG on, Django would keep every query in memory
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.conf import settings

    # The manifest storage of production needs collectstatic; the page is timed, not styled.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# --- the database -----------------------------------------------------------------------------


def prepare(url: str, reviews: int) -> str:
    """Make the database at `url` hold `reviews` seeded reviews and the probes."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or parts.scheme not in {"postgres", "postgresql"}:
        raise SystemExit(f"--database-url must be postgres://.../<name>, got {url!r}")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise SystemExit(f"cannot reach PostgreSQL at {admin_url}: {exc}") from None
    with admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')

    from django.core.management import call_command
    from django.db import connection

    from benchmarks import seed
    from claims.models import Review

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [PROBES_TABLE])
        probed = cursor.fetchone()[0] is not None
    if seed.seeded() == (reviews, 0, seed.SEED_VERSION) and probed:
        return f"reused database {name}: {reviews:,} reviews with the probe words"
    if seed.seeded() is None and Review.objects.exists():
        raise SystemExit(
            f"database {name} holds reviews not seeded by a benchmark: not touching it"
        )
    if Review.objects.exists():
        connection.close()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        call_command("migrate", verbosity=0, interactive=False)
    print(f"seeding {name} with {reviews:,} reviews ...", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # One pass over the words at the end instead of a trigger call per row, and the GIN
        # index built once at the end (as CREATE INDEX does, in bulk) instead of row by row.
        cursor.execute("ALTER TABLE claims_review DISABLE TRIGGER review_search_words")
        cursor.execute("SELECT pg_get_indexdef('review_search_vector'::regclass)")
        gin = cursor.fetchone()[0]
        cursor.execute("DROP INDEX review_search_vector")
    # Bodies of one sentence: search never reads them, and writing 4.5 GB of them would take
    # most of the seeding's time.
    seed.Pools.body = lambda self: self.sentence()  # type: ignore[method-assign]
    seed.seed(reviews, 0, vacuum=False)
    add_probes(reviews)
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute(gin)
        cursor.execute("ALTER TABLE claims_review ENABLE TRIGGER review_search_words")
    from matching.search import rebuild_words

    words = rebuild_words()
    connection.cursor().execute("VACUUM ANALYZE")
    return (
        f"seeded database {name}: {reviews:,} reviews, {words:,} words, in "
        f"{time.perf_counter() - started:.0f} s"
    )


def add_probes(reviews: int) -> None:
    """Append each probe word to the claim text and search_text of every k-th published
    review (k = reviews / frequency, offset so the probes fall on different rows)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for offset, (word, count) in enumerate({**PROBES, **BEYOND}.items()):
            step = max(1, reviews // count)
            cursor.execute(
                "UPDATE claims_claim SET text = text || ' ' || %s WHERE id <= %s AND id %% %s = %s",
                [word, reviews, step, offset % step],
            )
            cursor.execute(
                "UPDATE claims_review SET search_text = search_text || ' ' || %s "
                "WHERE id <= %s AND id %% %s = %s",
                [word, reviews, step, offset % step],
            )
        cursor.execute(f"CREATE TABLE {PROBES_TABLE} (word text, reviews int)")
        for word, count in {**PROBES, **BEYOND}.items():
            cursor.execute(f"INSERT INTO {PROBES_TABLE} VALUES (%s, %s)", [word, count])


# --- timing -----------------------------------------------------------------------------------


def timings(action: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """p50 and p99 in ms of `runs` calls of `action` (after one warm-up), and its last value."""
    value = action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        value = action()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    return statistics.median(times), p99, value


def raw_count(query: str, cap: int | None = None) -> int:
    """count(*) of the published reviews the tsquery matches, over the GIN index; with `cap`,
    of the first `cap` of them (the floor: what any search that counts up to its cap pays)."""
    from django.db import connection

    from matching.search import _normalised, _tsquery

    sql, params = _tsquery(_normalised(query), None)
    matching = (
        "SELECT 1 FROM claims_review WHERE status = 'published' "
        f"AND search_vector @@ {sql}" + (" LIMIT %s" if cap else "")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM ({matching}) AS m", [*params, *([cap] if cap else [])]
        )
        return int(cursor.fetchone()[0])


def like_search(query: str) -> int:
    """The search this one replaced: one LIKE per word, newest first, its count and page."""
    from django.db.models import Q

    from claims.models import Review
    from core.text import fold

    terms = fold(query).split()
    found = Review.objects.published().filter(*(Q(search_text__contains=t) for t in terms))
    list(found.for_list().newest_first()[:20])
    return found.count()


# The other entry points of the one search, as a client calls them (view, serializer and JSON
# included; every cache cleared first, as for a query not asked before).
ENDPOINTS = {
    "claims:search": ("/api/google/v1alpha1/claims:search", "query", "claims"),
    "API q": ("/api/v1/claim-reviews/", "q", "results"),
}


def uncached_get(client: Any, path: str, params: dict[str, str]) -> Any:
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    response = client.get(path, params, HTTP_ACCEPT="application/json")
    if response.status_code != 200:
        raise AssertionError(f"{response.status_code} {response.content[:200]!r}")
    return response


def shown_by(get: Callable[[], Any], key: str, shown: list[int]) -> None:
    """Call `get` and note how many items its JSON lists under `key`."""
    shown.append(len(get().json().get(key, [])))


def endpoints(client: Any, runs: int, reviews: int) -> int:
    """Time claims:search (relevance-ranked claims, its first page of 10) and the public API's
    `q` (its first page of 20, newest first) beside the raw capped tsquery count; return how
    many missed their target."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matching.search import COUNT_CAP

    words = [
        *((word, f"{count:,} rows", True) for word, count in PROBES.items()),
        ("probe10k hospital", "rare and common word", True),
        *((word, f"{count:,} rows (beyond)", False) for word, count in BEYOND.items()),
        ("hospital", "a common word (beyond)", False),
    ]
    load = os.getloadavg()
    print(
        f"\nclaims:search and the API's q at {reviews:,} reviews, {runs} runs each, the whole "
        f"request uncached (load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}); rt: its "
        "queries (round trips)"
    )
    print(
        f"{'endpoint':<14} {'query':<20} {'what':<24} {'shown':>5} {'rt':>3}  {'p50 ms':>7} "
        f"{'p99 ms':>7}  {'raw p50':>7} {'raw p99':>7} {'ratio':>6}  target"
    )
    failures = 0
    for name, (path, parameter, key) in ENDPOINTS.items():
        for query, what, targeted in words:
            get = functools.partial(uncached_get, client, path, {parameter: query})
            shown: list[int] = []  # each run's
            try:
                run = functools.partial(shown_by, get, key, shown)
                p50, p99, _ = timings(run, runs)
                with CaptureQueriesContext(connection) as captured:
                    get()
            except Exception as exc:  # noqa: BLE001  (an error is a result here)
                print(f"{name:<14} {query!r:<20} {what:<24} ERROR {exc!r}")
                failures += 1
                continue
            raw50, raw99, matched = timings(lambda q=query: raw_count(q, COUNT_CAP + 1), runs)  # type: ignore[misc]
            # Fewer shown than match (a seeded claim has one review): the time budget ran
            # out (degraded, never an error).
            degraded = sum(n < min(matched, 10 if key == "claims" else 20) for n in shown)
            trips = len(captured)  # the cache's reads are not queries
            if targeted:
                ok = p50 <= 50 and p99 <= 250
                target = f"p50<=50 p99<=250 {'PASS' if ok else 'FAIL'}"
            else:
                ok = p99 <= 500
                target = f"p99<=500 {'PASS' if ok else 'FAIL'}"
            if degraded:
                target += f" (degraded {degraded}/{len(shown)})"
            failures += not ok
            print(
                f"{name:<14} {query!r:<20} {what:<24} {shown[-1]:>5} {trips:>3}  {p50:7.1f} "
                f"{p99:7.1f}  {raw50:7.1f} {raw99:7.1f} {p50 / max(raw50, 0.01):5.1f}x  {target}"
            )
    return failures


def main() -> None:
    args = parse_args()
    url = args.database_url.replace("{reviews}", str(args.reviews))
    setup_django(url)

    from django.core.cache import caches
    from django.test import Client

    from matching.search import COUNT_CAP, search

    print(prepare(url, args.reviews), flush=True)
    queries: list[tuple[str, str, bool]] = [
        *((word, f"{count:,} rows", True) for word, count in PROBES.items()),
        ("probe10k hospital", "rare and common word", True),
        ('"probe25k"', "a phrase of one word", True),
        ("probe25k -hospital", "with an exclusion", True),
        *((word, f"{count:,} rows (beyond)", False) for word, count in BEYOND.items()),
        ("hospital", "a common word (beyond)", False),
        ("the hospital budget", "common words (beyond)", False),
        ("hospitl", "misspelt: no match, corrected", True),
    ]
    load = os.getloadavg()
    print(
        f"\nreader search at {args.reviews:,} reviews, {args.runs} runs each "
        f"(load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores)"
    )
    print(
        f"{'query':<22} {'what':<30} {'found':>8}  {'p50 ms':>7} {'p99 ms':>7}  "
        f"{'raw p50':>7} {'raw p99':>7} {'ratio':>6}  target"
    )
    failures = 0
    for query, what, targeted in queries:
        try:
            p50, p99, results = timings(lambda q=query: search(q), args.runs)  # type: ignore[misc]
        except Exception as exc:  # noqa: BLE001  (an error is a result here)
            print(f"{query!r:<22} {what:<30} ERROR {exc!r}")
            failures += 1
            continue
        raw50, raw99, _ = timings(lambda q=query: raw_count(q, COUNT_CAP + 1), args.runs)  # type: ignore[misc]
        matched = raw_count(query)  # once: past the cap it reads every matching row
        found = (
            "many" if results.count is None else f"{results.count:,}{'+' if results.capped else ''}"
        )
        if results.shown_query:
            found = f"->{results.shown_query}"
        if targeted:
            ok = p50 <= 50 and p99 <= 250
            target = f"p50<=50 p99<=250 {'PASS' if ok else 'FAIL'}"
        else:
            ok = p99 <= 500
            target = f"p99<=500 {'PASS' if ok else 'FAIL'}"
        if results.notice:
            target += f" ({'degraded' if results.degraded else 'any word'})"
        failures += not ok
        print(
            f"{query!r:<22} {what:<30} {found:>8}  {p50:7.1f} {p99:7.1f}  {raw50:7.1f} "
            f"{raw99:7.1f} {p50 / max(raw50, 0.01):5.1f}x  {target}   (tsquery matches {matched:,})"
        )

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        search("probe10k")
    print(f"{'probe10k':<22} {'queries (round trips)':<30} {len(captured):>8}")

    client = Client()

    def page() -> None:
        for cache in caches.all():
            cache.clear()
        response = client.get(f"/search/?q={quote_plus('probe10k')}")
        assert response.status_code == 200, response.status_code

    p50, p99, _ = timings(page, args.runs)
    label = "the whole page, uncached"
    print(f"{'/search/?q=probe10k':<22} {label:<30} {'':>8}  {p50:7.1f} {p99:7.1f}")

    failures += endpoints(client, args.runs, args.reviews)

    print("\nthe search it replaced (LIKE per word over search_text), 3 runs, beside ours:")
    for query in ("probe1k", "probe25k", "hospital"):
        like50, _, like_found = timings(lambda q=query: like_search(q), 3)  # type: ignore[misc]
        ours50, _, _ = timings(lambda q=query: search(q), 3)  # type: ignore[misc]
        print(
            f"  {query!r:<12} LIKE {like50:8.1f} ms ({like_found:,} found)   ours {ours50:6.1f} ms"
            f"   {like50 / max(ours50, 0.01):6.1f}x faster"
        )
    if failures:
        print(f"\n{failures} figure(s) missed their target")


if __name__ == "__main__":
    main()
