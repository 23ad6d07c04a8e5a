#!/usr/bin/env python3
"""`make bench-matching`: the quality of claim matching on CLEF-2020 CheckThat! Task 2.

    python benchmarks/clef_matching.py [--splits dev,train] [--fit] [--queries N]

Imports the 10,375 verified claims of ../shared/vendor-data/clef2020-task2/ as prior checks
(a Snopes review of each claim, its headline the article's title) into a scratch database
(a temporary SQLite file; BENCH_DATABASE_URL=postgres://... for a throw-away `test_<name>`
database on PostgreSQL, with pgvector), indexes and embeds them as the worker would, then ranks
the claims for every tweet of each split with the matching service
(matching.services.rank_candidates, identical texts of one publisher collapsed as
similar_claims does) and prints MAP@5 (the task's measure) beside, measured in the same run
on the same candidates: the words alone (our BM25) and the meaning alone (e5's cosine); and
the README's reference, plain BM25 with stemming: 0.725 on dev.

`--fit` fits the logistic calibrations of matching.services (CALIBRATION, WORDS_CALIBRATION)
on the train split only and prints them. Tune on train and dev only: a held-out split is
measured elsewhere.

Embedding 10k claims takes minutes on a CPU: the vectors are cached in a file under
BENCH_CACHE_DIR (default: the system's temporary directory), keyed by embedder and text, and
reused by the next run. Nothing here runs in `make test`.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import math
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{SCRATCH}/a.db"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-key")
os.environ.setdefault("FACTCHECK_SITE_URL", "https://factcheck.example.org")
os.environ["DEBUG"] = "0"
os.environ["FACTCHECK_EMBEDDER"] = "benchmarks.embedding_cache.FileCachedEmbedder"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from benchmarks.embedding_cache import CACHE_DIR  # noqa: E402

DATA = (
    Path(os.environ.get("FACTCHECK_VENDOR_DATA", ROOT.parent / "shared" / "vendor-data"))
    / "clef2020-task2"
)
BM25_REFERENCE = {"dev": 0.725}
TARGET = 0.85


def read_tsv(path: Path) -> list[list[str]]:
    # Quoted fields may hold tabs and newlines: the csv module, not a split per line.
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter="\t"))[1:]


def load_split(split: str) -> tuple[list[tuple[str, str]], dict[str, set[str]]]:
    tweets = [(row[0], row[1]) for row in read_tsv(DATA / split / "tweets.queries.tsv")]
    qrels: dict[str, set[str]] = {}
    for line in (DATA / split / "tweet-vclaim-pairs.qrels").read_text().split("\n"):
        if line.strip():
            tweet, _, vclaim, relevant = line.split()
            if relevant != "0":
                qrels.setdefault(tweet, set()).add(vclaim)
    return tweets, qrels


def import_verified_claims() -> dict[int, str]:
    """The verified claims as Snopes's imported reviews; returns {claim id: vclaim id}."""
    from claims.models import Claim, Publisher, Review, ReviewStatus

    rows = read_tsv(DATA / "verified_claims.docs.tsv")
    snopes = Publisher.objects.create(
        name="Snopes", site="snopes.com", url="https://www.snopes.com/"
    )
    at = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    claims = Claim.objects.bulk_create(
        [Claim(text=text, slug=f"clef-{vid}", language="en") for vid, text, _ in rows],
        batch_size=2000,
    )
    Review.objects.bulk_create(
        [
            Review(
                claim=claim,
                publisher=snopes,
                headline=title[:300],
                rating_label="",
                external_url=f"https://www.snopes.com/fact-check/clef-{vid}/",
                status=ReviewStatus.PUBLISHED,
                publish_at=at,
                date_published=at,
                language="en",
            )
            for claim, (vid, _, title) in zip(claims, rows, strict=True)
        ],
        batch_size=2000,
    )
    return {claim.pk: vid for claim, (vid, _, _) in zip(claims, rows, strict=True)}


def average_precision_at_5(ranked: list[str], relevant: set[str]) -> float:
    hits, total = 0, 0.0
    for i, vid in enumerate(ranked[:5], start=1):
        if vid in relevant:
            hits += 1
            total += hits / i
    return total / min(len(relevant), 5) if relevant else 0.0


def rank(tweets: list[tuple[str, str]], ids: dict[int, str]) -> dict[str, list[Any]]:
    from matching.services import rank_candidates

    out = {}
    for n, (tweet_id, text) in enumerate(tweets, start=1):
        out[tweet_id] = rank_candidates(text=text, language="en")
        if n % 100 == 0:
            print(f"    ranked {n} of {len(tweets)}", flush=True)
    return out


def collapse(order: list[Any], ids: dict[int, str], keys: dict[int, str]) -> list[str]:
    """vclaim ids in order, identical texts (of the one publisher) once, as similar_claims."""
    seen, out = set(), []
    for c in order:
        key = keys.get(c.claim_id, str(c.claim_id))
        if key not in seen:
            seen.add(key)
            out.append(ids[c.claim_id])
    return out


def scores(
    ranked: dict[str, list[Any]],
    qrels: dict[str, set[str]],
    ids: dict[int, str],
    keys: dict[int, str],
) -> dict[str, float]:
    from matching.services import WORDS_WEIGHT

    def map5(key: Any) -> float:
        values = []
        for tweet_id, candidates in ranked.items():
            if not candidates:
                values.append(0.0)
                continue
            best = max(c.bm25 for c in candidates) or 1.0
            order = sorted(candidates, key=lambda c: (-key(c, best), c.claim_id))
            values.append(
                average_precision_at_5(collapse(order, ids, keys), qrels.get(tweet_id, set()))
            )
        return sum(values) / len(values)

    return {
        "matching service": map5(lambda c, best: c.score),
        "fused, uncalibrated": map5(
            lambda c, best: (c.cosine or 0.0) + WORDS_WEIGHT * c.bm25 / best
        ),
        "words alone (our BM25)": map5(lambda c, best: c.bm25),
        "meaning alone (e5 cosine)": map5(lambda c, best: c.cosine if c.cosine is not None else -1),
    }


def fit_logistic(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """a, b of P(y=1) = 1 / (1 + exp(-(a x + b))) by Newton's method (a little L2)."""
    a, b = 1.0, 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(a * x + b)))
        w = p * (1 - p)
        grad = np.array([np.sum((p - y) * x) + 1e-3 * a, np.sum(p - y)])
        hess = np.array(
            [[np.sum(w * x * x) + 1e-3, np.sum(w * x)], [np.sum(w * x), np.sum(w) + 1e-9]]
        )
        step = np.linalg.solve(hess, grad)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return float(a), float(b)


def fit(ranked: dict[str, list[Any]], qrels: dict[str, set[str]], ids: dict[int, str]) -> None:
    from matching.services import WORDS_WEIGHT

    fused, words, labels = [], [], []
    for tweet_id, candidates in ranked.items():
        best = max((c.bm25 for c in candidates), default=0.0) or 1.0
        for c in candidates:
            if c.cosine is None:
                continue
            fused.append(c.cosine + WORDS_WEIGHT * c.bm25 / best)
            words.append(c.bm25 / best)
            labels.append(1.0 if ids[c.claim_id] in qrels.get(tweet_id, set()) else 0.0)
    y = np.array(labels)
    a, b = fit_logistic(np.array(fused), y)
    wa, wb = fit_logistic(np.array(words), y)
    print(f"  candidates: {len(y)}, of which the same claim: {int(y.sum())}")
    print(f"  CALIBRATION = ({a:.3f}, {b:.3f})")
    print(f"  WORDS_CALIBRATION = ({wa:.3f}, {wb:.3f})")
    for s in (0.8, 0.85, 0.9, 0.95, 1.0, 1.1):
        print(f"    s = {s:.2f}: P(same) = {1 / (1 + math.exp(-(a * s + b))):.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--splits", default="dev,train")
    parser.add_argument("--fit", action="store_true", help="Fit the calibrations on train.")
    parser.add_argument("--queries", type=int, default=0, help="Only the first N tweets a split.")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"CLEF data not found at {DATA} (set FACTCHECK_VENDOR_DATA)", file=sys.stderr)
        return 1
    real_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from matching.embedders import get_embedder
        from matching.index import embed_claims, index_claims, reweigh
        from matching.models import MatchEntry

        print(f"CLEF-2020 CheckThat! Task 2 on {connection.vendor}; load {os.getloadavg()[0]:.1f}")
        t = time.perf_counter()
        ids = import_verified_claims()
        claim_ids = sorted(ids)
        index_claims(claim_ids)
        reweigh()
        print(
            f"  imported and indexed {len(ids)} verified claims in {time.perf_counter() - t:.0f} s"
        )
        t = time.perf_counter()
        for start in range(0, len(claim_ids), 1000):
            embed_claims(claim_ids[start : start + 1000])
        print(f"  embedded them in {time.perf_counter() - t:.0f} s (vectors cached in {CACHE_DIR})")
        keys = dict(MatchEntry.objects.values_list("claim_id", "text_key"))
        embedder = get_embedder()
        for split in args.splits.split(","):
            tweets, qrels = load_split(split)
            if args.queries:
                tweets = tweets[: args.queries]
            embedder.queries([text for _, text in tweets])  # fill the cache in batches
            t = time.perf_counter()
            ranked = rank(tweets, ids)
            elapsed = time.perf_counter() - t
            print(
                f"\n  {split}: {len(tweets)} tweets, {1000 * elapsed / len(tweets):.0f} ms a query"
            )
            results = scores(ranked, qrels, ids, keys)
            for name, value in results.items():
                print(f"    MAP@5 {name:28} {value:.3f}")
            if split in BM25_REFERENCE:
                print(
                    f"    MAP@5 {'reference: plain BM25 (README)':28} {BM25_REFERENCE[split]:.3f}"
                )
            ours = results["matching service"]
            print(f"    target >= {TARGET}: {'met' if ours >= TARGET else 'NOT met'}")
            if args.fit and split == "train":
                fit(ranked, qrels, ids)
        getattr(embedder, "save", lambda: None)()
    finally:
        connection.creation.destroy_test_db(real_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
