"""Matching: "has this been checked already?", and the links editors confirm.

`similar_claims(text=..., url=..., claimant=..., language=...)` ranks our claims (any state:
staff only) and other publishers' imported prior checks against a text, by four signals:

- `same_text`: a claim whose folded text (core.text.fold) is the text's (score 1);
- `same_url`: a claim that appeared at the URL, or a prior check published there;
- `words`: BM25 over the stemmed words of the claim, its claimant and its reviews' headlines
  (matching.lexical; postings read best first from an index, at most LEXICAL_DEPTH per term,
  fewer for a common one: lexical_depth);
- `meaning`: the cosine of sentence embeddings (matching.embedders), multilingual, so a Spanish
  claim finds the English check: pgvector's HNSW index on PostgreSQL, a brute-force scan of
  the stored vectors on SQLite.

The candidates are the union of the best SEMANTIC_CANDIDATES by meaning, the best
LEXICAL_CANDIDATES by words and every exact or URL match. Each is scored
`s = cosine + WORDS_WEIGHT * bm25 / best_bm25` (the BM25 normalised by the query's best), and
`s` is mapped to a probability that it is the same claim by a logistic calibration. Both the
weight and the calibration are fitted on the CLEF-2020 CheckThat! training tweets
(benchmarks/clef_matching.py --fit; see CALIBRATION). A claim not yet embedded (the worker has
not reached it) or a query the embedder could not embed is scored by its words alone, with its
own calibration. Identical texts from one publisher are one result.

On PostgreSQL the candidates and their signals are one statement (_signals_postgresql), then
the claims with their reviews three queries; on SQLite each stage is a query (_signals).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Prefetch
from pgvector import Vector

from claims.models import Claim, Claimant, Rating, Review, ReviewStatus, rating_bounds
from claims.permissions import Actor
from claims.public_state import public_changed
from core.exceptions import Conflict
from matching import lexical
from matching.embedders import get_embedder
from matching.index import document_text, text_key, url_key
from matching.models import (
    ClaimRelation,
    IndexStats,
    MatchEntry,
    MatchUrl,
    Posting,
    RelationKind,
    Term,
)
from matching.verdicts import normalised_verdict

log = logging.getLogger(__name__)

SEMANTIC_CANDIDATES = 100
LEXICAL_CANDIDATES = 100
# Postings read per query term, best weight first: a term in at most LEXICAL_DEPTH entries is
# read whole; a commoner one reads fewer, in proportion to its idf (see lexical_depth).
LEXICAL_DEPTH = 2000
MAX_QUERY_TERMS = 32
EXACT_CANDIDATES = 50
# The words' weight beside the cosine, fitted on CLEF-2020 train (the weight of a 0.00-0.60 grid
# whose fused score ranks the train tweets best by MAP@5: 0.05). It is small because e5's cosines
# are packed in a narrow band (candidates' 0.74-0.85, the same claim's 0.83-0.87) while the
# normalised BM25 spans 0..1: at 0.6 the words outweighed the meaning (MAP@5 dev 0.826, against
# 0.88 at 0.05).
WORDS_WEIGHT = 0.05
MAX_LIMIT = 50
MAX_TEXT_LENGTH = 5000
# HNSW's search breadth on PostgreSQL: at least the number of candidates asked for.
EF_SEARCH = 120

# Logistic calibrations of the fused score: P(same claim) = 1 / (1 + exp(-(A * s + B))),
# fitted by maximum likelihood on the 147,346 candidates of the 800 CLEF-2020 train tweets (793
# of them the tweet's verified claim) by `python benchmarks/clef_matching.py --fit`, which prints
# the values to put here and how they hold on dev. s = 0.90 is P 0.30, s = 0.92 is P 0.72.
CALIBRATION = (89.01, -80.98)
# ... and of the words alone (bm25 / best_bm25), for claims or queries without a vector.
WORDS_CALIBRATION = (14.31, -14.09)
URL_FLOOR = 0.9
# Reasons: "words" when the words carry at least this share of the query's best BM25,
# "meaning" when the cosine reaches this (e5's cosines of unrelated texts sit around 0.7-0.8).
WORDS_REASON = 0.3
MEANING_REASON = 0.82

TEXT_REQUIRED = "Enter the text of a claim."
TEXT_TOO_LONG = f"Enter at most {MAX_TEXT_LENGTH} characters."


@dataclass
class Candidate:
    claim_id: int
    cosine: float | None = None
    bm25: float = 0.0
    same_text: bool = False
    same_url: bool = False
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


@dataclass
class Match:
    """One result: a claim of ours or a prior check, its score in 0..1 and why."""

    score: float
    reasons: list[str]
    claim: Claim | None = None
    prior_check: Review | None = None

    @property
    def kind(self) -> str:
        return "prior_check" if self.prior_check is not None else "claim"


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def fused_score(cosine: float | None, words: float) -> float:
    """P(same claim) of a candidate with this cosine (None: no vector) and normalised BM25."""
    if cosine is None:
        a, b = WORDS_CALIBRATION
        return _sigmoid(a * words + b)
    a, b = CALIBRATION
    return _sigmoid(a * (cosine + WORDS_WEIGHT * words) + b)


# --- the stages ---------------------------------------------------------------------------------


def _query_vector(text: str) -> np.ndarray | None:
    try:
        return get_embedder().queries([text])[0]
    except Exception:
        # The embedder is an optional signal: without it matching still ranks by the others.
        log.exception("matching: could not embed the query; ranking by the other signals")
        return None


def lexical_depth(documents: int, frequency: int) -> int:
    """How many of a term's postings (best weight first) the lexical stage reads, for a term in
    `frequency` of `documents` entries: all of them up to LEXICAL_DEPTH; for a commoner term,
    LEXICAL_DEPTH x its idf / the idf of a term in LEXICAL_DEPTH entries. A common word adds
    little to any entry's score (its idf is small), so its long list finds few candidates the
    query's rarer words would not; at 1M claims a word in a sixth of them reads 571, not 2,000.
    The candidates' BM25 is then computed exactly, over all their terms (_bm25_of).
    `_lexical_depth_sql` is the same in SQL."""
    if frequency <= LEXICAL_DEPTH:
        return LEXICAL_DEPTH
    share = lexical.idf(documents, frequency) / lexical.idf(documents, LEXICAL_DEPTH)
    return math.ceil(LEXICAL_DEPTH * share)


def _lexical_depth_sql(documents: str, frequency: str, idf: str) -> str:
    """`lexical_depth` in PostgreSQL, of SQL expressions (`idf`: the term's)."""
    reference = lexical.idf_sql(documents, str(LEXICAL_DEPTH))
    return (
        f"CASE WHEN {frequency} <= {LEXICAL_DEPTH} THEN {LEXICAL_DEPTH} "
        f"ELSE ceil({LEXICAL_DEPTH} * ({idf} / {reference}))::int END"
    )


def _lexical(query_terms: Sequence[str]) -> tuple[dict[int, float], dict[int, float]]:
    """(idf by term id, best BM25 by entry id) for the query's terms."""
    stats = IndexStats.objects.filter(pk=1).first()
    documents = stats.documents if stats else 0
    if not documents or not query_terms:
        return {}, {}
    rows = list(
        Term.objects.filter(term__in=list(query_terms), documents__gt=0).values_list(
            "id", "documents"
        )
    )
    idf = {term_id: lexical.idf(documents, df) for term_id, df in rows}
    if not idf:
        return {}, {}
    depth = {term_id: lexical_depth(documents, df) for term_id, df in rows}
    table = Posting._meta.db_table
    arms, params = [], []
    for term_id, weight in idf.items():
        arms.append(
            f"SELECT * FROM (SELECT entry_id, weight * %s AS score FROM {table} "
            f"WHERE term_id = %s ORDER BY weight DESC LIMIT %s) AS t{term_id}"
        )
        params += [weight, term_id, depth[term_id]]
    sql = (
        f"SELECT entry_id, SUM(score) AS total FROM ({' UNION ALL '.join(arms)}) AS u "
        f"GROUP BY entry_id ORDER BY total DESC, entry_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, LEXICAL_CANDIDATES])
        best = {entry_id: float(total) for entry_id, total in cursor.fetchall()}
    return idf, best


def _bm25_of(entry_ids: Iterable[int], idf: dict[int, float]) -> dict[int, float]:
    """The exact BM25 of these entries for the query terms (one primary-key range an entry)."""
    ids = list(entry_ids)
    if not ids or not idf:
        return {}
    # `term_id + 0`: the terms filter each entry's postings instead of being a second index
    # condition, which would probe the index once per (entry, term) pair (200 candidates x 20
    # terms: 4,000 descents instead of 200 short ranges).
    postings = (
        Posting.objects.filter(entry_id__in=ids)
        .alias(term_filter=F("term_id") + 0)
        .filter(term_filter__in=list(idf))
        .values_list("entry_id", "term_id", "weight")
    )
    scores: dict[int, float] = {}
    for entry_id, term_id, weight in postings:
        scores[entry_id] = scores.get(entry_id, 0.0) + weight * idf[term_id]
    return scores


def _semantic(vector: np.ndarray) -> dict[int, float]:
    """The nearest entries by cosine: {claim id: cosine}."""
    if connection.vendor == "postgresql":
        from pgvector.django import CosineDistance

        # SET LOCAL lasts until the end of the transaction: one of its own unless the caller
        # is in one already.
        with transaction.atomic() if not connection.in_atomic_block else nullcontext():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL hnsw.ef_search = %s", [EF_SEARCH])
            rows = (
                MatchEntry.objects.annotate(distance=CosineDistance("embedding", vector.tolist()))
                .order_by("distance")
                .values_list("claim_id", "distance")[:SEMANTIC_CANDIDATES]
            )
            return {claim_id: 1 - float(d) for claim_id, d in rows if d is not None}
    # SQLite (development): every stored vector, compared in memory.
    ids, vectors = _all_vectors()
    if not ids:
        return {}
    cosines = vectors @ vector
    top = np.argsort(-cosines)[:SEMANTIC_CANDIDATES]
    return {ids[i]: float(cosines[i]) for i in top}


def _all_vectors() -> tuple[list[int], np.ndarray]:
    ids: list[int] = []
    blobs: list[Any] = []
    for claim_id, blob in (
        MatchEntry.objects.filter(embedding__isnull=False)
        .values_list("claim_id", "embedding")
        .iterator(chunk_size=5000)
    ):
        ids.append(claim_id)
        blobs.append(blob)
    if not ids:
        return [], np.zeros((0, 0), dtype=np.float32)
    return ids, np.vstack(blobs)


def _cosines_of(entry_ids: Iterable[int], vector: np.ndarray) -> dict[int, float]:
    ids = list(entry_ids)
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        from pgvector.django import CosineDistance

        # Computed where the vectors are: a number each comes back, not 384 of them as text.
        distances = (
            MatchEntry.objects.filter(pk__in=ids, embedding__isnull=False)
            .annotate(distance=CosineDistance("embedding", vector.tolist()))
            .values_list("claim_id", "distance")
        )
        return {claim_id: 1 - float(d) for claim_id, d in distances}
    rows = MatchEntry.objects.filter(pk__in=ids, embedding__isnull=False).values_list(
        "claim_id", "embedding"
    )
    return {
        claim_id: float(np.dot(np.asarray(v, dtype=np.float32), vector)) for claim_id, v in rows
    }


# --- the service --------------------------------------------------------------------------------


def rank_candidates(
    *,
    text: str,
    url: str | None = None,
    claimant: str = "",
    language: str | None = None,
    exclude: Iterable[int] = (),
) -> list[Candidate]:
    """Every candidate entry with its signals and calibrated score, best first (not expanded
    into reviews, not collapsed): the core of `similar_claims`; the benchmark reads its signals.
    PostgreSQL: one query (the stages in one statement, see _signals_postgresql); SQLite: a
    query a stage."""
    query_text = document_text(text=text, claimant=claimant)
    if language is None:
        language = detect_language(text)
    query_terms = list(dict.fromkeys(lexical.terms(query_text, language)))[:MAX_QUERY_TERMS]
    vector = _query_vector(query_text)
    key = url_key(url) if url else None
    signals = _signals_postgresql if connection.vendor == "postgresql" else _signals
    candidates = signals(text_key(text), key, query_terms, vector)
    for claim_id in set(exclude):
        candidates.pop(claim_id, None)
    if not candidates:
        return []
    best = max((c.bm25 for c in candidates.values()), default=0.0) or 1.0
    for c in candidates.values():
        words = c.bm25 / best
        c.score = fused_score(c.cosine, words)
        if c.same_text:
            c.score = 1.0
            c.reasons.append("same_text")
        if c.same_url:
            c.score = max(c.score, URL_FLOOR)
            c.reasons.append("same_url")
        if words >= WORDS_REASON:
            c.reasons.append("words")
        if c.cosine is not None and c.cosine >= MEANING_REASON:
            c.reasons.append("meaning")
    return sorted(candidates.values(), key=lambda c: (-c.score, c.claim_id))


def _signals(
    key: str, url: str | None, query_terms: Sequence[str], vector: np.ndarray | None
) -> dict[int, Candidate]:
    """The candidates with their signals, a query a stage: the exact text, the URL, the best by
    words, the best by meaning, then the exact BM25 of every candidate and the cosine of those
    the meaning stage did not return. SQLite (development); on PostgreSQL the reference that
    `_signals_postgresql` is tested against."""
    candidates: dict[int, Candidate] = {}

    def get(claim_id: int) -> Candidate:
        if claim_id not in candidates:
            candidates[claim_id] = Candidate(claim_id)
        return candidates[claim_id]

    for claim_id in MatchEntry.objects.filter(text_key=key).values_list("claim_id", flat=True)[
        :EXACT_CANDIDATES
    ]:
        get(claim_id).same_text = True
    if url:
        for claim_id in MatchUrl.objects.filter(url_key=url).values_list("entry_id", flat=True)[
            :EXACT_CANDIDATES
        ]:
            get(claim_id).same_url = True
    idf, lexical_best = _lexical(query_terms)
    for claim_id in lexical_best:
        get(claim_id)
    if vector is not None:
        for claim_id, cosine in _semantic(vector).items():
            get(claim_id).cosine = cosine
    if not candidates:
        return candidates
    for claim_id, bm25 in _bm25_of(candidates, idf).items():
        candidates[claim_id].bm25 = bm25
    if vector is not None:
        missing = [c.claim_id for c in candidates.values() if c.cosine is None]
        for claim_id, cosine in _cosines_of(missing, vector).items():
            candidates[claim_id].cosine = cosine
    return candidates


def _signals_postgresql(
    key: str, url: str | None, query_terms: Sequence[str], vector: np.ndarray | None
) -> dict[int, Candidate]:
    """`_signals` in one statement, one round trip (PostgreSQL): the stages are its CTEs, read
    through the indexes the queries of `_signals` use (the exact text's and the URL's keys, the
    postings by term and weight, HNSW, the postings' and the entries' primary keys). The idf of
    the query's terms and their depths are computed in SQL from the index totals
    (lexical.idf_sql, _lexical_depth_sql), so no query comes before it.

    HNSW's breadth (hnsw.ef_search) and JIT off are set for the transaction (set_config(...,
    true), i.e. SET LOCAL) in the same message: PostgreSQL runs the two statements as one
    transaction when there is none (as matching.search sends its timeout); inside the caller's
    transaction the settings last until it ends, as `_semantic`'s SET LOCAL does. With
    server-side binding, which cannot send two statements in one message, they are a query of
    their own, in a transaction (a savepoint inside the caller's)."""
    from matching.search import _one_message

    posting, entry, term = (
        Posting._meta.db_table,
        MatchEntry._meta.db_table,
        Term._meta.db_table,
    )
    idf = lexical.idf_sql("s.documents", "t.documents")
    depth = _lexical_depth_sql("q.total", "q.documents", "q.idf")
    params: dict[str, Any] = {
        "terms": list(query_terms),
        "lexical": LEXICAL_CANDIDATES,
        "key": key,
        "url": url,
        "exact": EXACT_CANDIDATES,
        "vector": Vector(vector).to_text() if vector is not None else None,
        "semantic": SEMANTIC_CANDIDATES,
    }
    if vector is not None:
        # The query's vector is sent once; HNSW reads it from the CTE (an InitPlan).
        # (Entries not embedded yet sort last when the planner scans instead of HNSW, which
        # leaves them out: they are no candidates by meaning either way.)
        by_meaning = (
            "SELECT * FROM (SELECT claim_id, embedding <=> (SELECT v FROM query) AS distance "
            f"FROM {entry} ORDER BY distance LIMIT %(semantic)s) AS nearest "
            "WHERE distance IS NOT NULL"
        )
        cosine = "coalesce(m.distance, e.embedding <=> (SELECT v FROM query))"
    else:
        by_meaning = "SELECT NULL::bigint AS claim_id, NULL::float8 AS distance WHERE false"
        cosine = "NULL::float8"
    same_url = (
        f"SELECT entry_id AS claim_id FROM {MatchUrl._meta.db_table} "
        "WHERE url_key = %(url)s LIMIT %(exact)s"
        if url
        else "SELECT NULL::bigint AS claim_id WHERE false"
    )
    sql = f"""
        WITH query AS MATERIALIZED (SELECT %(vector)s::vector AS v),
        query_terms AS MATERIALIZED (
            SELECT t.id, t.documents, s.documents AS total, {idf} AS idf
            FROM {term} t JOIN {IndexStats._meta.db_table} s ON s.id = 1
            WHERE t.term = ANY(%(terms)s) AND t.documents > 0 AND s.documents > 0
        ),
        by_words AS (
            SELECT p.entry_id AS claim_id
            FROM query_terms q CROSS JOIN LATERAL (
                SELECT entry_id, weight FROM {posting}
                WHERE term_id = q.id ORDER BY weight DESC LIMIT {depth}
            ) AS p
            GROUP BY p.entry_id
            ORDER BY sum(p.weight * q.idf) DESC, p.entry_id LIMIT %(lexical)s
        ),
        by_meaning AS MATERIALIZED ({by_meaning}),
        same_text AS MATERIALIZED (
            SELECT claim_id FROM {entry} WHERE text_key = %(key)s LIMIT %(exact)s
        ),
        same_url AS MATERIALIZED ({same_url}),
        candidates AS (
            SELECT claim_id FROM same_text UNION SELECT claim_id FROM same_url
            UNION SELECT claim_id FROM by_words UNION SELECT claim_id FROM by_meaning
        )
        SELECT
            c.claim_id,
            c.claim_id IN (SELECT claim_id FROM same_text),
            c.claim_id IN (SELECT claim_id FROM same_url),
            -- the exact BM25: the entry's postings (one primary-key range), `+ 0` as in
            -- _bm25_of so the terms filter the range instead of probing it once a term
            (SELECT sum(p.weight * q.idf) FROM {posting} p
             JOIN query_terms q ON p.term_id + 0 = q.id WHERE p.entry_id = c.claim_id),
            {cosine}
        FROM candidates c
        LEFT JOIN by_meaning m ON m.claim_id = c.claim_id
        LEFT JOIN {entry} e ON e.claim_id = c.claim_id AND m.claim_id IS NULL
        """
    settings = (
        f"SELECT set_config('hnsw.ef_search', '{int(EF_SEARCH)}', true), "
        # The planner cannot know each term's depth (a LIMIT computed per row), prices the
        # statement as if it read a tenth of every term's postings, and above jit_above_cost
        # compiles it first: 40 ms of JIT for a 10 ms query.
        "set_config('jit', 'off', true)"
    )
    with connection.cursor() as cursor:
        if _one_message(connection.alias):
            cursor.execute(f"{settings}; {sql}", params)
            cursor.nextset()
            rows = cursor.fetchall()
        else:
            with transaction.atomic():
                cursor.execute(settings)
                cursor.execute(sql, params)
                rows = cursor.fetchall()
    return {
        claim_id: Candidate(
            claim_id,
            cosine=None if distance is None else 1 - float(distance),
            bm25=float(bm25 or 0.0),
            same_text=same_text,
            same_url=same_url,
        )
        for claim_id, same_text, same_url, bm25, distance in rows
    }


def detect_language(text: str) -> str:
    """The language of a query that did not say (py3langid), for stemming its words."""
    import py3langid

    language, _ = py3langid.classify(text)
    return str(language)


def similar_claims(
    *,
    text: str,
    url: str | None = None,
    claimant: Claimant | str | None = None,
    language: str | None = None,
    limit: int = 10,
    exclude_claim: int | None = None,
) -> list[Match]:
    """Our claims and imported prior checks most likely to be the claim `text`, best first,
    at most `limit` (1 to MAX_LIMIT). Staff only: it includes unpublished claims.

    `claimant` (a Claimant or a name) and `language` (BCP 47; detected when not given) sharpen
    the ranking; `exclude_claim` leaves out the claim being edited. Raises ValidationError for
    an empty or too long text. A claim with our review (or none) is a `claim` result; each
    imported published review of a claim is a `prior_check` result, one per publisher and text.
    """
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [TEXT_REQUIRED]})
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError({"text": [TEXT_TOO_LONG]})
    limit = max(1, min(limit, MAX_LIMIT))
    name = claimant.name if isinstance(claimant, Claimant) else (claimant or "")
    ranked = rank_candidates(
        text=text,
        url=url,
        claimant=name,
        language=language,
        exclude=[exclude_claim] if exclude_claim else (),
    )
    # Expand the best candidates (a few more than asked: expansion and collapsing change counts).
    ranked = ranked[: limit * 3]
    by_id = _claims_for_results([c.claim_id for c in ranked])
    matches: list[Match] = []
    seen: set[tuple[str, int]] = set()
    for candidate in ranked:
        claim = by_id.get(candidate.claim_id)
        if claim is None:
            continue
        reviews = list(claim.reviews.all())
        ours = [r for r in reviews if r.publisher_id is None]
        imported = [r for r in reviews if r.publisher_id is not None]
        if ours or not imported:
            matches.append(Match(candidate.score, candidate.reasons, claim=claim))
        key = claim.match_entry.text_key if hasattr(claim, "match_entry") else str(claim.pk)
        for review in imported:
            assert review.publisher_id is not None
            if (key, review.publisher_id) in seen:
                continue
            seen.add((key, review.publisher_id))
            matches.append(Match(candidate.score, candidate.reasons, prior_check=review))
    return matches[:limit]


def _claims_for_results(claim_ids: list[int]) -> dict[int, Claim]:
    """The claims of the results with what a result shows: 3 queries (claims with their entry,
    reviews with publisher and rating, the ratings of each scale)."""
    reviews = (
        Review.objects.filter(
            # Ours in any state; imported ones only as published by their publisher.
            publisher__isnull=True
        )
        | Review.objects.imported_published()
    ).select_related("publisher", "rating__scale")
    return (
        Claim.objects.select_related("match_entry")
        .defer("match_entry__embedding")  # only its text_key is read
        .prefetch_related(
            Prefetch("reviews", queryset=reviews.order_by("id")),
            Prefetch("reviews__rating__scale__ratings", queryset=Rating.objects.order_by("order")),
        )
        .in_bulk(claim_ids)
    )


def verdict_of(review: Review) -> tuple[str, str]:
    """(label, normalised verdict) of a review, ours or imported."""
    if review.rating is not None:
        bounds = rating_bounds(review.rating)
        worst, best = bounds if bounds else (None, None)
        label = review.rating.label
        return label, normalised_verdict(label, value=review.rating.value, worst=worst, best=best)
    return review.rating_label, normalised_verdict(review.rating_label)


def our_review(claim: Claim) -> Review | None:
    """The claim's own review (prefetched reviews, no query), if it has one."""
    return next((r for r in claim.reviews.all() if r.publisher_id is None), None)


# --- relations ----------------------------------------------------------------------------------

RELATION_TARGET_REQUIRED = "Give either a prior check or a claim."
RELATION_NOT_A_PRIOR_CHECK = "This is not an imported prior check."
RELATION_TO_ITSELF = "A claim cannot be related to itself."
RELATION_EXISTS = "This link exists already."


def _ensure_may_relate(by: Actor) -> User:
    from core.api import has_model_permission

    if not has_model_permission(by, "change", Claim):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Your role does not allow you to link claims.")
    assert isinstance(by, User)
    return by


@transaction.atomic
def relation_create(
    *,
    claim: Claim,
    by: Actor,
    kind: str,
    prior_check: Review | None = None,
    related_claim: Claim | None = None,
) -> ClaimRelation:
    """Record an editor's link from `claim` to a prior check or another claim; linking again
    with another kind changes the kind. Needs the right to change claims."""
    user = _ensure_may_relate(by)
    if (prior_check is None) == (related_claim is None):
        raise ValidationError({"prior_check": [RELATION_TARGET_REQUIRED]})
    if kind not in RelationKind.values:
        raise ValidationError({"kind": [f"Choose one of: {', '.join(RelationKind.values)}."]})
    if prior_check is not None and (
        prior_check.publisher_id is None or prior_check.status != ReviewStatus.PUBLISHED
    ):
        raise ValidationError({"prior_check": [RELATION_NOT_A_PRIOR_CHECK]})
    if related_claim is not None and related_claim.pk == claim.pk:
        raise ValidationError({"claim": [RELATION_TO_ITSELF]})
    lookup: dict[str, Any] = {"claim": claim}
    if prior_check is not None:
        lookup["prior_check"] = prior_check
    else:
        lookup["related_claim"] = related_claim
    # Confirmed same-claim links show on the claim's public page ("Also checked by").
    public_changed()
    relation = ClaimRelation.objects.select_for_update().filter(**lookup).first()
    if relation is None:
        return ClaimRelation.objects.create(**lookup, kind=kind, created_by=user)
    if relation.kind == kind:
        raise Conflict(RELATION_EXISTS)
    relation.kind, relation.created_by = kind, user
    relation.save(update_fields=["kind", "created_by"])
    return relation


@transaction.atomic
def relation_delete(
    *,
    claim: Claim,
    by: Actor,
    prior_check: Review | None = None,
    related_claim: Claim | None = None,
) -> int:
    """Remove an editor's link; returns how many were removed (0 when there was none)."""
    _ensure_may_relate(by)
    if (prior_check is None) == (related_claim is None):
        raise ValidationError({"prior_check": [RELATION_TARGET_REQUIRED]})
    relations = ClaimRelation.objects.filter(claim=claim)
    if prior_check is not None:
        relations = relations.filter(prior_check=prior_check)
    else:
        relations = relations.filter(related_claim=related_claim)
    deleted, _ = relations.delete()
    if deleted:
        public_changed()
    return deleted
