"""Writing matching's index of claims (matching.models): derived data, rebuilt from the claims.

Two halves, so matching works from the moment a claim is saved:

- `index_claims(ids)`: the cheap signals, exact text key, URLs and the BM25 postings. Run on
  commit of every change to a claim, its appearances or its reviews (matching.signals), and by
  the worker's task before it embeds.
- `embed_claims(ids)`: the sentence embeddings, tens of milliseconds a claim: only in the
  background worker (matching.tasks), never in a request. Until a claim is embedded, matching
  ranks it by its other signals.

Both are idempotent: an entry whose document (and embedder) did not change is left alone, so
re-running a task after a crash, or twice, does nothing more. `manage.py matching_index` runs
them over the backlog.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from claims.models import Claim, Review
from core.text import fold
from matching import lexical
from matching.embedders import configured_embedder_name, get_embedder
from matching.models import IndexStats, MatchEntry, MatchUrl, Posting, Term
from sources.normalize import normalize_url

log = logging.getLogger(__name__)

BATCH = 200


def text_key(text: str) -> str:
    """The exact-match key of a claim text: the hash of its folded form."""
    return hashlib.sha256(fold(text).encode()).hexdigest()


def url_key(url: str) -> str | None:
    """The key of a URL however it was spelled (scheme, www., tracking parameters, trailing
    slash do not matter); None for what is not an http(s) URL."""
    try:
        normal = normalize_url(url)
    except ValidationError:
        return None
    rest = normal.split("://", 1)[1]
    rest = rest.removeprefix("www.")
    return hashlib.sha256(rest.encode()).hexdigest()


@dataclass
class Document:
    """What matching reads of a claim: the text it ranks (claimant, claim, short form and the
    headlines of its reviews, ours and imported), its language and the URLs it is known by."""

    claim_id: int
    text: str
    text_key: str
    language: str
    url_keys: set[str] = field(default_factory=set)

    @property
    def digest(self) -> str:
        return hashlib.sha256(f"{self.language}\n{self.text}".encode()).hexdigest()


def document_text(
    *, text: str, short_text: str = "", claimant: str = "", headlines: Iterable[str] = ()
) -> str:
    parts = [claimant, text]
    if short_text and fold(short_text) not in fold(text):
        parts.append(short_text)
    parts.extend(h for h in headlines if h)
    return "\n".join(p.strip() for p in parts if p and p.strip())


def documents(claim_ids: Iterable[int]) -> list[Document]:
    """The documents of these claims (missing ids are skipped): 3 queries."""
    claims = (
        Claim.objects.filter(pk__in=list(claim_ids))
        .select_related("claimant")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.only("id", "claim_id", "headline", "external_url").order_by(
                    "id"
                ),
            ),
            "appearances",
        )
        .order_by("pk")
    )
    out = []
    for claim in claims:
        reviews = list(claim.reviews.all())
        doc = Document(
            claim_id=claim.pk,
            text=document_text(
                text=claim.text,
                short_text=claim.short_text,
                claimant=claim.claimant.name if claim.claimant else "",
                headlines=[r.headline for r in reviews],
            ),
            text_key=text_key(claim.text),
            language=claim.language,
        )
        urls = [a.url for a in claim.appearances.all()] + [r.external_url for r in reviews]
        doc.url_keys = {key for key in map(url_key, filter(None, urls)) if key}
        out.append(doc)
    return out


def _stats() -> IndexStats:
    stats, _ = IndexStats.objects.get_or_create(pk=1)
    return stats


def average_length() -> float:
    stats = IndexStats.objects.filter(pk=1).first()
    if not stats or not stats.documents:
        return 10.0
    return stats.total_length / stats.documents


def _term_ids(names: Iterable[str]) -> dict[str, int]:
    names = sorted(set(names))
    if not names:
        return {}
    Term.objects.bulk_create([Term(term=n) for n in names], ignore_conflicts=True)
    return dict(Term.objects.filter(term__in=names).values_list("term", "id"))


@transaction.atomic
def _index_one(doc: Document, entry: MatchEntry | None, average: float) -> None:
    counts = lexical.term_counts(doc.text, doc.language)
    length = sum(counts.values())
    # Forget the old postings: their terms lose one document each (term rows are updated in
    # id order, so two concurrent indexings never wait on each other in a cycle).
    old_length, old_terms = 0, []
    if entry is not None:
        old_length = entry.length
        old_terms = sorted(Posting.objects.filter(entry=entry).values_list("term_id", flat=True))
        Posting.objects.filter(entry=entry).delete()
    ids = _term_ids(counts)
    new_terms = sorted(ids.values())
    gone = sorted(set(old_terms) - set(new_terms))
    added = sorted(set(new_terms) - set(old_terms))
    if gone:
        Term.objects.filter(id__in=gone).update(documents=F("documents") - 1)
    if added:
        Term.objects.filter(id__in=added).update(documents=F("documents") + 1)
    entry_values = {
        "text_key": doc.text_key,
        "language": doc.language,
        "length": length,
        "lexical_hash": doc.digest,
    }
    if entry is None:
        entry = MatchEntry.objects.create(claim_id=doc.claim_id, **entry_values)
        _stats()
        IndexStats.objects.filter(pk=1).update(
            documents=F("documents") + 1, total_length=F("total_length") + length
        )
    else:
        MatchEntry.objects.filter(pk=entry.pk).update(**entry_values, updated_at=timezone.now())
        IndexStats.objects.filter(pk=1).update(total_length=F("total_length") + length - old_length)
    Posting.objects.bulk_create(
        [
            Posting(
                entry_id=doc.claim_id,
                term_id=ids[t],
                frequency=min(tf, 32767),
                weight=lexical.weight(tf, length, average),
            )
            for t, tf in counts.items()
        ]
    )
    MatchUrl.objects.filter(entry_id=doc.claim_id).exclude(url_key__in=doc.url_keys).delete()
    MatchUrl.objects.bulk_create(
        [MatchUrl(entry_id=doc.claim_id, url_key=k) for k in sorted(doc.url_keys)],
        ignore_conflicts=True,
    )


def index_claims(claim_ids: Iterable[int]) -> int:
    """Bring the exact, URL and BM25 index of these claims up to date; return how many entries
    changed. Claims that no longer exist are removed from the index."""
    ids = sorted(set(claim_ids))
    changed = 0
    average = average_length()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        docs = documents(chunk)
        entries = MatchEntry.objects.in_bulk([d.claim_id for d in docs])
        for doc in docs:
            entry = entries.get(doc.claim_id)
            if entry is not None and entry.lexical_hash == doc.digest:
                continue
            _index_one(doc, entry, average)
            changed += 1
        found = {d.claim_id for d in docs}
        for missing in set(chunk) - found:
            remove_claim(missing)
    return changed


@transaction.atomic
def remove_claim(claim_id: int) -> None:
    """Take a claim out of the index (before it is deleted, or when it is gone)."""
    entry = MatchEntry.objects.select_for_update().filter(pk=claim_id).first()
    if entry is None:
        return
    terms = sorted(Posting.objects.filter(entry=entry).values_list("term_id", flat=True))
    Posting.objects.filter(entry=entry).delete()
    if terms:
        Term.objects.filter(id__in=terms).update(documents=F("documents") - 1)
    IndexStats.objects.filter(pk=1).update(
        documents=F("documents") - 1, total_length=F("total_length") - entry.length
    )
    entry.delete()


def reweigh() -> int:
    """Recompute every posting's BM25 weight with today's average entry length (one UPDATE);
    return how many postings were rewritten. Weights are computed with the average of the
    time they were written, which drifts as the index grows."""
    average = average_length()
    posting, entry = Posting._meta.db_table, MatchEntry._meta.db_table
    sql = (
        f"UPDATE {posting} SET weight = frequency * %s / (frequency + %s * (1 - %s + %s * "
        f"(SELECT length FROM {entry} WHERE {entry}.claim_id = {posting}.entry_id) / %s))"
    )
    k1, b = lexical.K1, lexical.B
    with connection.cursor() as cursor:
        cursor.execute(sql, [k1 + 1, k1, b, b, max(average, 1.0)])
        return cursor.rowcount


def embed_claims(claim_ids: Sequence[int]) -> int:
    """Embed the claims whose entry has no vector for its current document and embedder;
    return how many were embedded. Indexes them first if they are not."""
    embedder = get_embedder()
    ids = sorted(set(claim_ids))
    index_claims(ids)
    done = 0
    for start in range(0, len(ids), BATCH):
        docs = documents(ids[start : start + BATCH])
        wanted = {
            d.claim_id: d
            for d in docs
            if MatchEntry.objects.filter(pk=d.claim_id)
            .exclude(embedded_hash=_embedding_digest(d, embedder.name))
            .exists()
        }
        if not wanted:
            continue
        vectors = embedder.passages([d.text for d in wanted.values()])
        now = timezone.now()
        for doc, vector in zip(wanted.values(), vectors, strict=True):
            MatchEntry.objects.filter(pk=doc.claim_id).update(
                embedding=vector,
                embedded_hash=_embedding_digest(doc, embedder.name),
                embedded_with=embedder.name,
                embedded_at=now,
            )
            done += 1
    return done


def _embedding_digest(doc: Document, embedder_name: str) -> str:
    return hashlib.sha256(f"{embedder_name}\n{doc.text}".encode()).hexdigest()


def unindexed_claims() -> Q:
    """Claims whose entry is missing or has no vector from the configured embedder (a filter on
    Claim): the backlog `manage.py matching_index` and the worker work through."""
    name = get_embedder_name()
    return (
        Q(match_entry__isnull=True)
        | ~Q(match_entry__embedded_with=name)
        | Q(match_entry__embedding__isnull=True)
    )


def get_embedder_name() -> str:
    return configured_embedder_name()
