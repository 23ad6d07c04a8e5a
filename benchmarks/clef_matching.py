#!/usr/bin/env python3
"""`make bench-matching`: the quality of claim matching on CLEF-2020 CheckThat! Task 2.

    python benchmarks/clef_matching.py [--splits dev,train] [--fit] [--queries N]

Imports the 10,375 verified claims of ../shared/vendor-data/clef2020-task2/ as prior checks
(a Snopes review of each claim, its headline the article's title: the rows the import service
writes, in bulk) into a scratch PostgreSQL database with pgvector (the `test_` twin of
BENCH_MATCHING_DATABASE_URL, default factcheck_bench_matching on 127.0.0.1; created, migrated
and dropped by the run; a sqlite:/// URL works too, slower: no HNSW), indexes and embeds them as
the worker would, then asks the matching service for every tweet of each split, exactly as the
API does (matching.services.similar_claims, limit 5), and prints its MAP@5 (the task's
measure) beside, measured in the same run on the same candidates (rank_candidates, the
service's core): the words alone (our BM25) and the meaning alone (e5's cosine); and the
README's reference, plain BM25 with stemming: 0.725 on dev. The target, MAP@5 >= 0.85 on
every split measured, is printed PASS or FAIL; the exit status is 1 on a miss.

`--fit` fits on the train split only what matching.services sets from it: WORDS_WEIGHT (the
weight of the words in the fused score, the one of a grid that ranks train best by MAP@5),
then the logistic calibrations CALIBRATION (of the fused score) and WORDS_CALIBRATION (of the
words alone), and prints them, with how well the calibration holds on dev. Tune on train and
dev only: a held-out split is measured elsewhere.

Embedding 10k claims takes about 15 minutes on a busy 2-core CPU: the vectors are cached in a
file under BENCH_CACHE_DIR (default: the system's temporary directory), keyed by embedder and
text, and reused by the next run. Nothing here runs in `make test`.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/factcheck_bench_matching"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_MATCHING_DATABASE_URL") or DEFAULT_DATABASE_URL
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


def run_split(
    tweets: list[tuple[str, str]], ids: dict[int, str]
) -> tuple[dict[str, list[str]], dict[str, list[Any]], float]:
    """For every tweet: the vclaim ids the service answers (similar_claims, as the API calls
    it), and every candidate with its signals (rank_candidates) for the references; and the
    service's mean time a query in ms."""
    from matching.services import rank_candidates, similar_claims

    answers, candidates, elapsed = {}, {}, 0.0
    for n, (tweet_id, text) in enumerate(tweets, start=1):
        t = time.perf_counter()
        matches = similar_claims(text=text, language="en", limit=5)
        elapsed += time.perf_counter() - t
        answers[tweet_id] = [ids[claim_of(m)] for m in matches]
        candidates[tweet_id] = rank_candidates(text=text, language="en")
        if n % 100 == 0:
            print(f"    ranked {n} of {len(tweets)}", flush=True)
    return answers, candidates, 1000 * elapsed / max(len(tweets), 1)


def claim_of(match: Any) -> int:
    return int(match.prior_check.claim_id if match.prior_check is not None else match.claim.pk)


def collapse(order: list[Any], ids: dict[int, str], keys: dict[int, str]) -> list[str]:
    """vclaim ids in order, identical texts (of the one publisher) once, as similar_claims."""
    seen, out = set(), []
    for c in order:
        key = keys.get(c.claim_id, str(c.claim_id))
        if key not in seen:
            seen.add(key)
            out.append(ids[c.claim_id])
    return out


def map5_of(ranked: dict[str, list[str]], qrels: dict[str, set[str]]) -> float:
    """MAP@5: the mean over the queries of their average precision at 5."""
    values = [average_precision_at_5(r, qrels.get(q, set())) for q, r in ranked.items()]
    return sum(values) / len(values) if values else 0.0


def map5_by(
    key: Any,
    candidates: dict[str, list[Any]],
    qrels: dict[str, set[str]],
    ids: dict[int, str],
    keys: dict[int, str],
) -> float:
    """MAP@5 of the candidates ordered by key(candidate, the query's best BM25), best first."""
    ranked = {}
    for tweet_id, cands in candidates.items():
        best = max((c.bm25 for c in cands), default=0.0) or 1.0
        order = sorted(cands, key=lambda c: (-key(c, best), c.claim_id))
        ranked[tweet_id] = collapse(order, ids, keys)
    return map5_of(ranked, qrels)


def fused(weight: float) -> Any:
    return lambda c, best: (c.cosine or 0.0) + weight * c.bm25 / best


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


def signals(
    candidates: dict[str, list[Any]], qrels: dict[str, set[str]], ids: dict[int, str], weight: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fused score, normalised BM25, same claim or not) of every embedded candidate."""
    scores, words, labels = [], [], []
    for tweet_id, cands in candidates.items():
        best = max((c.bm25 for c in cands), default=0.0) or 1.0
        for c in cands:
            if c.cosine is None:
                continue
            scores.append(c.cosine + weight * c.bm25 / best)
            words.append(c.bm25 / best)
            labels.append(1.0 if ids[c.claim_id] in qrels.get(tweet_id, set()) else 0.0)
    return np.array(scores), np.array(words), np.array(labels)


def fit(
    train: tuple[dict[str, list[Any]], dict[str, set[str]]],
    dev: tuple[dict[str, list[Any]], dict[str, set[str]]] | None,
    ids: dict[int, str],
    keys: dict[int, str],
) -> None:
    """Fit WORDS_WEIGHT, CALIBRATION and WORDS_CALIBRATION on train; check them on dev."""
    candidates, qrels = train
    # The candidates do not depend on the weight (the best of each signal, unioned), so the
    # grid reorders the same lists.
    grid = [round(0.01 * i, 2) for i in range(61)]
    by_weight = {w: map5_by(fused(w), candidates, qrels, ids, keys) for w in grid}
    weight = max(grid, key=lambda w: (by_weight[w], -w))
    print("\n  fit on train:")
    for w in grid:
        if w <= 0.1 or w in (0.2, 0.3, 0.4, 0.5, 0.6):
            print(f"    WORDS_WEIGHT {w:.2f}: MAP@5 train {by_weight[w]:.4f}")
    x, words, y = signals(candidates, qrels, ids, weight)
    a, b = fit_logistic(x, y)
    wa, wb = fit_logistic(words, y)
    print(f"  candidates: {len(y)}, of which the same claim: {int(y.sum())}")
    print(f"  WORDS_WEIGHT = {weight}")
    print(f"  CALIBRATION = ({a:.2f}, {b:.2f})")
    print(f"  WORDS_CALIBRATION = ({wa:.2f}, {wb:.2f})")
    if dev is None:
        return
    x, _, y = signals(dev[0], dev[1], ids, weight)
    p = 1 / (1 + np.exp(-(a * x + b)))
    print("  calibration on dev (P(same) predicted, observed):")
    for low, high in ((0, 0.1), (0.1, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)):
        inside = (p >= low) & (p < high)
        if inside.any():
            print(
                f"    {low:.1f}-{min(high, 1):.1f}: {int(inside.sum()):6} candidates, "
                f"predicted {p[inside].mean():.3f}, observed {y[inside].mean():.3f}"
            )
    print(f"    Brier score {np.mean((p - y) ** 2):.5f} (always 0: {np.mean(y):.5f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--splits", default="dev,train")
    parser.add_argument("--fit", action="store_true", help="Fit the calibrations on train.")
    parser.add_argument("--queries", type=int, default=0, help="Only the first N tweets a split.")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"CLEF data not found at {DATA} (set FACTCHECK_VENDOR_DATA)", file=sys.stderr)
        return 1
    splits = args.splits.split(",")
    if args.fit and "train" not in splits:
        print("--fit fits on train: add it to --splits", file=sys.stderr)
        return 1
    real_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    started = time.perf_counter()
    summary: list[tuple[str, int, dict[str, float]]] = []
    kept: dict[str, tuple[dict[str, list[Any]], dict[str, set[str]]]] = {}
    try:
        from matching.embedders import get_embedder
        from matching.index import embed_claims, index_claims, reweigh
        from matching.models import MatchEntry

        print(f"CLEF-2020 CheckThat! Task 2 on {connection.vendor}; load {load()}")
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
        for split in splits:
            tweets, qrels = load_split(split)
            if args.queries:
                tweets = tweets[: args.queries]
            embedder.queries([text for _, text in tweets])  # fill the cache in batches
            answers, candidates, ms = run_split(tweets, ids)
            results = {
                "service": map5_of(answers, qrels),
                "bm25": map5_by(lambda c, best: c.bm25, candidates, qrels, ids, keys),
                "e5": map5_by(
                    lambda c, best: c.cosine if c.cosine is not None else -1.0,
                    candidates,
                    qrels,
                    ids,
                    keys,
                ),
            }
            report(split, len(tweets), ms, results)
            summary.append((split, len(tweets), results))
            if args.fit and split in ("train", "dev"):
                kept[split] = (candidates, qrels)
        if args.fit:
            fit(kept["train"], kept.get("dev"), ids, keys)
        getattr(embedder, "save", lambda: None)()
    finally:
        connection.creation.destroy_test_db(real_name, verbosity=0)
    passed = all(r["service"] >= TARGET for _, _, r in summary)
    print(f"\n  summary (MAP@5; {time.perf_counter() - started:.0f} s; load {load()}):")
    header = f"{'split':6} {'queries':>7} {'service':>8} {'BM25':>6} {'e5':>6}"
    print(f"    {header}  target >= {TARGET}")
    for split, n, r in summary:
        verdict = "PASS" if r["service"] >= TARGET else "FAIL"
        print(f"    {split:6} {n:7} {r['service']:8.3f} {r['bm25']:6.3f} {r['e5']:6.3f}  {verdict}")
    return 0 if passed else 1


def report(split: str, n: int, ms: float, results: dict[str, float]) -> None:
    print(f"\n  {split}: {n} tweets, the service {ms:.0f} ms a query")
    print(f"    MAP@5 {'matching service':32} {results['service']:.3f}")
    print(f"    MAP@5 {'words alone (our BM25)':32} {results['bm25']:.3f}")
    print(f"    MAP@5 {'meaning alone (e5 cosine)':32} {results['e5']:.3f}")
    if split in BM25_REFERENCE:
        print(f"    MAP@5 {'reference: plain BM25 (README)':32} {BM25_REFERENCE[split]:.3f}")
    verdict = "PASS" if results["service"] >= TARGET else "FAIL"
    print(f"    target >= {TARGET}: {verdict}")


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
