#!/usr/bin/env python3
"""`make bench-import`: ClaimReview import throughput into PostgreSQL, and its memory.

    python benchmarks/import_bench.py [--records 20000] [--big-mb 1024] [--small-mb 10]

On a scratch PostgreSQL database (`test_factcheck_bench_import` on 127.0.0.1, or the `test_`
twin of BENCH_IMPORT_DATABASE_URL; created, migrated and dropped by the run):

1. Throughput: a generated DataFeed of `--records` DataFeedItems (other publishers' ClaimReviews
   with a claimant, an appearance, a numeric rating; 50 publishers, 500 claimants) is imported
   through `imports.services.import_document()`, the service the command, the API and the admin
   call. The reference, measured in the same run on the same database: a raw bulk insert of the
   same rows (claims, appearances and reviews built directly from the generator's values, no
   parsing, normalisation, idempotency lookups, history or report). Prints records/s of both,
   the ratio, and the target (>= 1,000 records/s), with the load average.
2. Memory: DataFeeds of `--small-mb` and `--big-mb` megabytes (the same records, each carrying
   the page's article text as ClaimReview `text`, about 50 KB, as THIP Media's markup does), each
   imported by a fresh `manage.py import_claimreviews`-equivalent child process that reports its
   peak RSS. Prints both peaks and their difference against the target (within 100 MB).

Exit status 1 when a target is missed. Nothing here runs in `make test`.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MIB = 1024 * 1024
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/factcheck_bench_import"
LABELS = ["False", "Mostly false", "Half true", "Mostly true", "True"]
TARGET_RATE = 1000
TARGET_RSS_MIB = 100


def configure(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-key")
    os.environ.setdefault("FACTCHECK_SITE_URL", "https://factcheck.example.org")
    os.environ["DEBUG"] = "0"  # with DEBUG on, Django would keep every query in memory
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()


# --- generated documents ----------------------------------------------------------------------


def claimreview(i: int, prefix: str, padding: str = "") -> dict[str, Any]:
    site = f"checker{i % 50}.example.net"
    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "url": f"https://www.{site}/{prefix}/fact-check-{i}/",
        "claimReviewed": f"Claim number {i}: the river {i % 97} flows uphill in spring",
        "headline": f"No, river {i % 97} does not flow uphill ({prefix} {i})",
        "reviewBody": ("Hydrologists measured the river's course and found no such thing. " * 6),
        "datePublished": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00+05:30",
        "inLanguage": "en",
        "author": {"@type": "Organization", "name": f"Checker {i % 50}", "url": f"https://{site}/"},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": LABELS[i % 5],
            "ratingValue": str(1 + i % 5),
            "bestRating": "5",
            "worstRating": "1",
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": f"Person {i % 500}"},
            "datePublished": "2024-01-01",
            "appearance": [
                {"@type": "CreativeWork", "url": f"https://social.example/{prefix}/{i}"}
            ],
        },
    }
    if padding:
        review["text"] = padding
    return review


def feed_chunks(count: int | None, prefix: str, *, size: int | None = None) -> Iterator[bytes]:
    """A DataFeed of `count` items, or of about `size` bytes, in pieces."""
    padding = ("Article text of the fact check. " * 1600) if size else ""
    yield b'{"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": ['
    written, i = 0, 0
    while (count is not None and i < count) or (size is not None and written < size):
        item = {"@type": "DataFeedItem", "item": [claimreview(i, prefix, padding)]}
        chunk = (b", " if i else b"") + json.dumps(item).encode()
        written += len(chunk)
        i += 1
        yield chunk
    yield b"]}"


def write_feed(path: Path, size: int, prefix: str) -> int:
    with path.open("wb") as out:
        for chunk in feed_chunks(None, prefix, size=size):
            out.write(chunk)
    return path.stat().st_size


# --- throughput -------------------------------------------------------------------------------


def import_throughput(count: int) -> float:
    from imports.services import import_document

    body = b"".join(feed_chunks(count, "service"))
    started = time.perf_counter()
    run = import_document(stream=io.BytesIO(body), source="bench")
    seconds = time.perf_counter() - started
    assert run.imported == count, (run.counts, run.error)
    return count / seconds


def reference_throughput(count: int, batch: int = 500) -> float:
    """The same rows, bulk-inserted as they are: the cost of writing alone."""
    import datetime

    from django.db import transaction

    from claims.models import Appearance, Claim, Claimant, Publisher, Review, ReviewStatus

    publishers = {
        p.site: p
        for p in Publisher.objects.bulk_create(
            Publisher(name=f"Ref checker {n}", site=f"ref{n}.example.net") for n in range(50)
        )
    }
    claimants = Claimant.objects.bulk_create(
        Claimant(name=f"Ref person {n}", slug=f"ref-person-{n}") for n in range(500)
    )
    started = time.perf_counter()
    for start in range(0, count, batch):
        with transaction.atomic():
            claims, reviews, appearances = [], [], []
            for i in range(start, min(start + batch, count)):
                data = claimreview(i, "reference")
                claims.append(
                    Claim(
                        text=data["claimReviewed"],
                        slug=f"reference-{i}",
                        claimant=claimants[i % 500],
                        date_claimed=datetime.date(2024, 1, 1),
                        language="en",
                    )
                )
            Claim.objects.bulk_create(claims)
            for claim, i in zip(claims, range(start, start + len(claims)), strict=True):
                data = claimreview(i, "reference")
                published = datetime.datetime.fromisoformat(data["datePublished"])
                appearances.append(
                    Appearance(claim=claim, url=data["itemReviewed"]["appearance"][0]["url"])
                )
                reviews.append(
                    Review(
                        claim=claim,
                        publisher=publishers[f"ref{i % 50}.example.net"],
                        headline=data["headline"],
                        summary=data["reviewBody"],
                        rating_label=data["reviewRating"]["alternateName"],
                        external_url=data["url"],
                        canonical_url=data["url"],
                        status=ReviewStatus.PUBLISHED,
                        publish_at=published,
                        date_published=published,
                        language="en",
                    )
                )
            Appearance.objects.bulk_create(appearances)
            Review.objects.bulk_create(reviews)
    return count / (time.perf_counter() - started)


# --- memory (child processes) -----------------------------------------------------------------


def child(path: str) -> int:
    """Import `path` as the command does; print records and peak RSS as JSON."""
    import resource

    from imports.services import import_document

    started = time.perf_counter()
    with open(path, "rb") as stream:
        run = import_document(stream=stream, source=Path(path).name)
    print(
        json.dumps(
            {
                "records": run.imported,
                "status": run.status,
                "error": run.error,
                "seconds": time.perf_counter() - started,
                "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )
    return 0


def measure_child(path: Path, database_url: str) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--big-mb", type=int, default=1024)
    parser.add_argument("--small-mb", type=int, default=10)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = os.environ.get("BENCH_IMPORT_DATABASE_URL") or DEFAULT_URL
    if args.child:
        configure(os.environ["DATABASE_URL"])
        return child(args.child)

    configure(url)
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        print("The import benchmark needs PostgreSQL: set BENCH_IMPORT_DATABASE_URL=postgres://...")
        return 2
    real_name = settings.DATABASES["default"]["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    test_url = url.rsplit("/", 1)[0] + "/" + test_name
    scratch = Path(tempfile.mkdtemp(prefix="factcheck-import-bench-"))
    ok = True
    try:
        print(f"database: PostgreSQL {test_name} (scratch); load average {os.getloadavg()}")
        reference = reference_throughput(args.records)
        ours = import_throughput(args.records)
        passed = ours >= TARGET_RATE
        ok = ok and passed
        print(
            f"throughput, {args.records:,} records: import {ours:8,.0f} records/s, raw bulk insert "
            f"of the same rows {reference:8,.0f} records/s (ratio {ours / reference:.2f}); "
            f"target >= {TARGET_RATE:,}/s: {'PASS' if passed else 'FAIL'}"
        )
        print(f"load average {os.getloadavg()}")

        peaks = {}
        for label, megabytes in (("small", args.small_mb), ("big", args.big_mb)):
            path = scratch / f"{label}.json"
            size = write_feed(path, megabytes * MIB, label)
            result = measure_child(path, test_url)
            path.unlink()
            peaks[label] = result["max_rss_mib"]
            print(
                f"memory, {size / MIB:7.1f} MiB DataFeed ({result['records']:,} records, "
                f"{result['seconds']:.1f} s, {result['status']}): peak RSS "
                f"{result['max_rss_mib']:.1f} MiB"
            )
        growth = peaks["big"] - peaks["small"]
        passed = growth <= TARGET_RSS_MIB
        ok = ok and passed
        print(
            f"peak RSS of the {args.big_mb} MB import is {growth:+.1f} MiB from the "
            f"{args.small_mb} MB one; target within {TARGET_RSS_MIB} MB: "
            f"{'PASS' if passed else 'FAIL'}"
        )
    finally:
        for leftover in scratch.glob("*"):
            leftover.unlink()
        scratch.rmdir()
        connection.creation.destroy_test_db(real_name, verbosity=0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
