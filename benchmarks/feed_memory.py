#!/usr/bin/env python3
"""`make bench`: the DataFeed's peak memory for 100,000 reviews, search and public API timings.

    python benchmarks/feed_memory.py [--reviews 100000] [--checkpoint 10000]

Seeds a scratch database (a temporary SQLite file; set BENCH_DATABASE_URL=postgres://... to use
a throw-away `test_<name>` database on PostgreSQL instead) with published reviews, each with a
claim, a claimant, an appearance and a rating, and a correction on every tenth. Then, at
`--checkpoint` reviews and again at `--reviews`, it streams /api/v1/feed/ through Django's
test client, measuring

- the peak of Python memory allocated while streaming (tracemalloc), and
- the growth of the process's maximum resident set (getrusage), which also sees the database
  driver's C allocations.

A flat feed keeps both about the same at both sizes. At both sizes it also times the search
(median of 5, each request uncached, as a fresh query is): the reader page /search/, the API's
`q` and claims:search, for a word in 2% of the reviews ("russians", spelt with an accent in
the data), three words where one is in every review ("claim number 7") and a word in none (the
worst case: every row's search column is read). Then a few other public requests: the first
list page, a page 90% deep (cursor), a detail. Nothing here runs in `make test`.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCRATCH = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{SCRATCH}/a.db"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-key")
os.environ.setdefault("FACTCHECK_SITE_URL", "https://factcheck.example.org")
os.environ["FACTCHECK_ANON_THROTTLE_RATE"] = "1000000/min"
os.environ["DEBUG"] = "0"  # with DEBUG on, Django would keep every query in memory

import warnings  # noqa: E402

import django  # noqa: E402

# whitenoise looks for STATIC_ROOT, which only collectstatic creates; no static files here.
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.conf import settings  # noqa: E402
from django.core import signing  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

MIB = 1024 * 1024
BATCH = 5000


def seed(start: int, stop: int) -> None:
    """Published reviews number start..stop-1, in batches of bulk INSERTs."""
    from claims.models import Appearance, Claim, Claimant, Correction, Rating, Review
    from claims.search import search_text

    ratings = list(Rating.objects.filter(scale__is_default=True))
    claimants = list(Claimant.objects.order_by("pk"))
    if not claimants:
        claimants = Claimant.objects.bulk_create(
            Claimant(name=f"Claimant {i}", slug=f"claimant-{i}", job_title="Senator")
            for i in range(200)
        )
    base = timezone.now() - datetime.timedelta(days=1)
    for lo in range(start, stop, BATCH):
        hi = min(lo + BATCH, stop)
        claims = Claim.objects.bulk_create(
            Claim(
                text=(
                    f"Claim number {i} was said out loud, at some length, by someone"
                    + (" about the Rüssians." if i % 50 == 0 else ".")
                ),
                short_text=f"Claim number {i}",
                slug=f"claim-{i}",
                claimant=claimants[i % len(claimants)],
                date_claimed=datetime.date(2020, 1, 1),
                venue="A hearing",
            )
            for i in range(lo, hi)
        )
        Appearance.objects.bulk_create(
            Appearance(claim=c, url=f"https://video.example.org/{c.slug}", first=True)
            for c in claims
        )
        summary = "The short answer, in a sentence or two."
        reviews = Review.objects.bulk_create(
            Review(
                claim=c,
                rating=ratings[i % len(ratings)],
                headline=f"Review of claim {i}",
                summary=summary,
                # bulk_create skips Review.save(), which would fill the search column
                search_text=search_text(
                    c.text,
                    c.short_text,
                    claimants[i % len(claimants)].name,
                    f"Review of claim {i}",
                    summary,
                ),
                status="published",
                publish_at=base - datetime.timedelta(seconds=i),
                date_published=base - datetime.timedelta(seconds=i),
            )
            for i, c in zip(range(lo, hi), claims, strict=True)
        )
        Correction.objects.bulk_create(
            Correction(review=r, kind="correction", note="A date was wrong.") for r in reviews[::10]
        )
        print(f"  seeded {hi:,} reviews", end="\r", flush=True)
    print()
    # Fresh planner statistics, as a database that grew over time has (autovacuum's ANALYZE
    # would come later): without them PostgreSQL plans for empty tables.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure_feed(client: Client, expected: int) -> dict[str, float]:
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get("/api/v1/feed/")
    assert response.status_code == 200 and response.streaming, response
    size = 0
    items = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        items += chunk.count(b'"@type": "DataFeedItem"')
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert items == expected, (items, expected)
    # ru_maxrss is in KiB on Linux, bytes on macOS
    rss_unit = 1 if sys.platform == "darwin" else 1024
    return {
        "items": items,
        "mib": size / MIB,
        "seconds": elapsed,
        "peak_mib": peak / MIB,
        "rss_growth_mib": (rss_after - rss_before) * rss_unit / MIB,
    }


def timed(client: Client, url: str, runs: int = 5, *, uncached: bool = False) -> float:
    times = []
    for _ in range(runs):
        if uncached:  # as a query nobody asked before: no page in the cache
            for cache in caches.all():
                cache.clear()
        started = time.perf_counter()
        response = client.get(url, HTTP_ACCEPT="application/json")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000


SEARCHES = {
    "russians": ("Rüssians", "r%C3%BCssians"),
    "claim number 7": ("claim number 7", "claim+number+7"),
    "no match": ("zzzq", "zzzq"),
}


def measure_search(client: Client, size: int) -> None:
    from claims.models import Review
    from matching.search import matches

    print(f"search at {size:,} reviews, median of 5 uncached requests:")
    for label, (query, encoded) in SEARCHES.items():
        found = matches(Review.objects.published(), query).count()
        row = [
            timed(client, f"/search/?q={encoded}", uncached=True),
            timed(client, f"/api/v1/claim-reviews/?q={encoded}", uncached=True),
            timed(client, f"/api/google/v1alpha1/claims:search?query={encoded}", uncached=True),
        ]
        print(
            f"  {label!r:<18} ({found:>6,} found)  /search/ {row[0]:7.1f} ms   API q "
            f"{row[1]:7.1f} ms   claims:search {row[2]:7.1f} ms"
        )


def deep_cursor(depth: int) -> str:
    """The cursor a client following next links would hold `depth` reviews into the list."""
    from claims.models import Review
    from publishing.pagination import ClaimReviewCursorPagination

    review = Review.objects.published().order_by("-date_published", "-pk")[depth]
    assert review.date_published is not None
    key = review.date_published.astimezone(datetime.UTC).isoformat()
    salt = ClaimReviewCursorPagination.signer_salt
    return signing.dumps([key, review.pk, False, "-published"], salt=salt)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--checkpoint", type=int, default=10_000)
    args = parser.parse_args()
    if not 0 < args.checkpoint <= args.reviews:
        parser.error("--checkpoint must be between 1 and --reviews")

    setup_test_environment()
    # The manifest storage used in production needs collectstatic; the reader page is timed
    # with the plain one, as in the tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    db = settings.DATABASES["default"]
    db.setdefault("TEST", {})
    if db["ENGINE"].endswith("sqlite3"):
        db["TEST"]["NAME"] = str(SCRATCH / "bench.sqlite3")  # a file: not in this process's RAM
    print(f"database: {connection.vendor} (scratch)")
    real_name = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        client = Client()
        results = {}
        for size, start in ((args.checkpoint, 0), (args.reviews, args.checkpoint)):
            seed(start, size)
            results[size] = measure_feed(client, size)
            r = results[size]
            print(
                f"feed of {size:>7,} reviews: {r['mib']:7.1f} MiB streamed in "
                f"{r['seconds']:5.1f} s; peak Python memory {r['peak_mib']:6.1f} MiB; "
                f"max RSS grew {r['rss_growth_mib']:6.1f} MiB"
            )
            measure_search(client, size)
        small, large = results[args.checkpoint], results[args.reviews]
        ratio = large["peak_mib"] / max(small["peak_mib"], 0.001)
        print(
            f"peak memory for {args.reviews:,} reviews is {ratio:.2f}x that for "
            f"{args.checkpoint:,} ({'flat' if ratio < 1.5 else 'GROWING'})"
        )

        from claims.models import Review

        slug = Review.objects.published().values_list("claim__slug", flat=True)[0]
        depth = int(args.reviews * 0.9)
        print("median of 5 requests:")
        for label, url in (
            ("list, first page (20)", "/api/v1/claim-reviews/"),
            (f"list, page at {depth:,}", f"/api/v1/claim-reviews/?cursor={deep_cursor(depth)}"),
            ("list, 100 per page", "/api/v1/claim-reviews/?page_size=100"),
            ("list, q=number", "/api/v1/claim-reviews/?q=number"),
            ("detail", f"/api/v1/claim-reviews/{slug}/"),
        ):
            print(f"  {label:<28} {timed(client, url):8.1f} ms")
        return 0 if ratio < 1.5 else 1
    finally:
        connection.creation.destroy_test_db(real_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
