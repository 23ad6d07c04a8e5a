#!/usr/bin/env python3
"""Where a public request's time goes, in-process, on the throughput benchmark's database.

    python benchmarks/profile_requests.py [--database-url URL] [--runs 30] [--top 25]
        URL [URL ...]

Each URL goes through Django's full handler and middleware (the test client, with the
benchmark's production settings) against a database seeded by benchmarks/throughput.py. In a
URL, `{slug}` becomes a different published review's claim slug on every request (a claim page
or detail nobody asked for yet) and `{before}` a different instant in 2999 (the list's
cache-busting filter). For each URL it prints

- the median time of `--runs` requests, with all middleware and with none (their difference is
  the middleware's cost);
- the SQL of one request, each query with its time, and the model instances it built;
- a cProfile of `--runs` requests: the functions with the most own time, and the heaviest
  callees by cumulative time.

Example: `.venv/bin/python benchmarks/profile_requests.py \
  "/api/v1/claim-reviews/?page_size=50&published_before={before}" "/claims/{slug}/"`
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import os
import pstats
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.throughput import (  # noqa: E402
    DEFAULT_DATABASE_URL,
    SERVER_ENV,
    before_values,
    database_url,
)


def _counter(built: Counter[str]) -> Callable[..., None]:
    def count(sender: type, **_: object) -> None:
        built[sender.__name__] += 1

    return count


def main() -> int:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_THROUGHPUT_DATABASE_URL") or DEFAULT_DATABASE_URL,
    )
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--header", action="append", default=[], help="Name: value")
    parser.add_argument(
        "--conditional",
        action="store_true",
        help="send each URL's ETag (from a first request) as If-None-Match: the 304 path",
    )
    args = parser.parse_args()

    os.environ.update(SERVER_ENV)
    os.environ["DATABASE_URL"] = database_url(args.database_url, args.reviews)
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()

    from django.conf import settings
    from django.db import connection
    from django.db.models.signals import post_init
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from claims.models import Review

    # The manifest storage needs collectstatic; the benchmark's server has it, this has not.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    slugs = iter(
        Review.objects.published().order_by("?").values_list("claim__slug", flat=True)[:20_000]
    )
    befores = iter(before_values(7, 1_000_000))
    headers: dict[str, Any] = {}
    for raw in args.header:
        name, _, value = raw.partition(":")
        headers["HTTP_" + name.strip().upper().replace("-", "_")] = value.strip()

    def urls(template: str) -> Iterator[str]:
        while True:
            yield template.replace("{slug}", next(slugs)).replace("{before}", next(befores))

    def median_ms(client: Client, source: Iterator[str], runs: int) -> float:
        times = []
        for url in itertools.islice(source, runs):
            started = time.perf_counter()
            response = client.get(url, **headers, **conditional)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code in (200, 304), (url, response.status_code)
        return statistics.median(times)

    for template in args.urls:
        print(f"\n=== {template}")
        client = Client()
        source = urls(template)
        conditional: dict[str, Any] = {}
        if args.conditional:
            conditional["HTTP_IF_NONE_MATCH"] = client.get(next(source), **headers)["ETag"]
        median_ms(client, source, 3)  # warm up
        with override_settings(MIDDLEWARE=[]):
            bare = Client()
            median_ms(bare, source, 3)
        # Interleaved, so that the machine's noise falls on both alike.
        full, none = [], []
        for _ in range(args.runs):
            full.append(median_ms(client, source, 1))
            with override_settings(MIDDLEWARE=[]):
                none.append(median_ms(bare, source, 1))
        print(
            f"median of {args.runs}: {statistics.median(full):.2f} ms with the middleware, "
            f"{statistics.median(none):.2f} ms without (middleware "
            f"{statistics.median(full) - statistics.median(none):+.2f} ms)"
        )

        built: Counter[str] = Counter()
        count = _counter(built)
        post_init.connect(count, weak=False)
        try:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(next(source), **headers, **conditional)
        finally:
            post_init.disconnect(count)
        total = sum(float(q["time"]) for q in queries.captured_queries)
        print(
            f"one request: HTTP {response.status_code}, {len(response.content):,} bytes, "
            f"{len(queries)} queries ({total * 1000:.1f} ms in the database driver), model "
            f"instances: {', '.join(f'{n} {m}' for m, n in built.most_common()) or 'none'}"
        )
        for q in queries.captured_queries:
            sql = " ".join(q["sql"].split())
            print(
                f"  {float(q['time']) * 1000:6.2f} ms  {sql[:240]}{'...' if len(sql) > 240 else ''}"
            )

        profiler = cProfile.Profile()
        profiler.enable()
        median_ms(client, source, args.runs)
        profiler.disable()
        for order, title in (("tottime", "own time"), ("cumulative", "cumulative time")):
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
            stats.print_stats(args.top)
            lines = out.getvalue().splitlines()
            start = next(i for i, line in enumerate(lines) if "ncalls" in line)
            print(f"--- cProfile of {args.runs} requests, by {title}:")
            print("\n".join(lines[start : start + args.top + 1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
