"""The one import service: `import_document()`. The command, the API and the admin's upload
form all call it.

A document is read as a stream (imports.formats), each ClaimReview found is normalised
(imports.records) and written in batches of BATCH_SIZE records, one transaction per batch, so a
long feed is written as it is read and memory stays flat. Each record is atomic: it is imported,
updated, unchanged, or refused with its reason, and a refused record writes nothing. New records
of a batch are written with bulk inserts; if the database refuses any of them, the batch is
rolled back and written again one record at a time, each in its own savepoint, so only the bad
record is refused (with the database's reason).

Records are found again by their canonical review URL (`Review.canonical_url`): a re-import of
the same document finds every record unchanged (`Review.import_digest`), a changed record is
updated in place. A record whose URL an earlier record of the same run already imported is
unchanged when identical and refused when it differs (first one wins), so a re-import reports
the same.

Modes: prior checks (default), other publishers' reviews stored with their `Publisher`, never
ours; our archive (`as_ours`, publishers only), our own past fact checks become published
reviews of ours with their URLs, dates, ratings on our scale and corrections. The archive is
imported in one transaction: if any label has no rating of ours, nothing is written and the run
fails with the list of those labels.

Side effects: one `public_changed()` (claims.public_state) when the run wrote anything, on
commit; history rows for the claims and reviews written (django-simple-history).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator, slugify
from simple_history.utils import bulk_create_with_history

from claims.models import (
    CLAIM_REVIEWED_MAX_LENGTH,
    Appearance,
    Claim,
    Claimant,
    Correction,
    CorrectionKind,
    Publisher,
    Rating,
    RatingScale,
    Review,
    ReviewStatus,
    WorkflowEvent,
)
from claims.public_state import public_changed
from claims.search import search_text
from core.text import fold
from imports.formats import (
    Candidate,
    CountingReader,
    DocumentError,
    html_candidates,
    json_candidates,
    read_html,
    sniff,
)
from imports.models import ImportMode, ImportRecord, ImportRecordStatus, ImportRun, ImportRunStatus
from imports.normalise import Refusal, canonical_url
from imports.records import ImportedReview, from_claimreview, from_google
from matching.index import unindexed_claims
from matching.tasks import enqueue_backlog

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
SNIFF_BYTES = 64
FORMATS = ("auto", "json", "html")

NO_RECORDS = "No ClaimReview found in the document."
ARCHIVE_NEEDS_PUBLISHER = "Importing our archive (--as-ours) is for publishers only."
IMPORT_NEEDS_EDITOR = "Importing ClaimReviews is for editors and publishers."
UNKNOWN_LABELS = (
    "These ratings have no rating of ours, so nothing was imported; add them to the rating "
    "scale (or correct the labels) and import again: {labels}"
)
LABEL_NOT_OURS = "reviewRating.alternateName: {label!r} is not a rating of ours."
NOT_THEIRS = "url: this is one of our own reviews; import it with --as-ours."
NOT_OURS = "url: this review was imported as another publisher's prior check."
DUPLICATE = "url: record {index} of this import has the same review URL with other content."
SAME_AS = "the same review as record {index} of this import."
SLUG_TAKEN = "url: a claim with the slug {slug!r} exists already."
DATABASE_REFUSED = "the database refused the record: {error}"
DATABASE_FAILED = "The import stopped: the database failed ({error}); import the document again."


class Readable(Protocol):
    """A binary stream: a file, stdin's buffer, a request body."""

    def read(self, size: int = -1, /) -> bytes: ...


def can_import(user: Any, *, as_ours: bool = False) -> bool:
    """Editors import prior checks; publishers also import our archive."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_active:
        return False
    if as_ours:
        return bool(user.has_perm("claims.publish_review"))
    return bool(user.has_perm("claims.review_review"))


class _Rollback(Exception):
    """Raised inside the archive's or a dry run's transaction to undo it."""


@dataclass
class _State:
    run: ImportRun
    mode: str
    by: Any
    publishers: dict[str, Publisher] = field(default_factory=dict)
    claimants: dict[tuple[str, str], Claimant] = field(default_factory=dict)
    candidates: dict[str, list[Claimant]] = field(default_factory=dict)
    ratings: dict[str, Rating] = field(default_factory=dict)
    unknown_labels: dict[str, int] = field(default_factory=dict)
    wrote: bool = False


def import_document(
    *,
    stream: Readable,
    source: str,
    by: User | None = None,
    format: str = "auto",
    base_url: str = "",
    as_ours: bool = False,
    dry_run: bool = False,
    limit: int | None = None,
    on_read: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportRun:
    """Import every ClaimReview of `stream`; return the run (saved, unless `dry_run`).

    `format`: "auto" (sniffed), "json" (JSON, JSON-LD, DataFeed, Fact Check Tools, JSON Lines)
    or "html" (`base_url`: the page's address, else its canonical link). `limit`: refuse a
    document larger than this many bytes (formats.TooLarge, a DocumentError). With `dry_run`
    everything happens in a transaction that is rolled back: the returned run is unsaved and
    carries its report in `run.dry_report`. Raises PermissionDenied when `by` may not import
    in this mode (a command without `by` imports prior checks as the system).
    """
    if as_ours and (by is None or not can_import(by, as_ours=True)):
        raise PermissionDenied(ARCHIVE_NEEDS_PUBLISHER)
    mode = ImportMode.ARCHIVE if as_ours else ImportMode.PRIOR_CHECKS
    reader = _Peekable(CountingReader(stream, limit=limit))
    reader.counter.on_read = on_read
    run = ImportRun(source=source[:500], mode=mode, created_by=by if by else None)
    run.format = format if format != "auto" else ""

    def work() -> None:
        run.save()
        state = _State(run=run, mode=mode, by=by)
        _import(reader, state, format=format, base_url=base_url, batch_size=batch_size)
        if state.wrote:
            public_changed()
            # Records are written in bulk (no per-claim signal): once this commits, the worker
            # indexes and embeds the claims matching does not know yet (`pending_index`).
            enqueue_backlog()

    if dry_run:
        try:
            with transaction.atomic():
                work()
                run.dry_report = {**run_report(run), "run": None, "dry_run": True}  # type: ignore[attr-defined]
                raise _Rollback
        except _Rollback:
            run.pk = None
        return run
    if mode == ImportMode.ARCHIVE:
        try:
            with transaction.atomic():
                work()
                if run.status == ImportRunStatus.FAILED:
                    raise _Rollback
        except _Rollback:
            failed = run.error
            run.pk = None
            run.imported = run.updated = run.unchanged = run.refused = 0
            run.status, run.error = ImportRunStatus.FAILED, failed
            run.finished_at = timezone.now()
            run.save()
        return run
    work()
    return run


class _Peekable:
    """The document's first bytes for sniffing, then the rest, as one stream."""

    def __init__(self, counter: CountingReader) -> None:
        self.counter = counter
        self.head = counter.read(SNIFF_BYTES)
        self._pending = self.head

    @property
    def count(self) -> int:
        return self.counter.count

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson probes with read(0) for bytes or text
            return b""
        if self._pending:
            data, self._pending = self._pending, b""
            if size < 0:
                return data + self.counter.read(-1)
            if len(data) < size:
                data += self.counter.read(size - len(data))
            return data
        return self.counter.read(size)


def _import(
    reader: _Peekable, state: _State, *, format: str, base_url: str, batch_size: int
) -> None:
    run = state.run
    try:
        kind = format if format in ("json", "html") else sniff(reader.head)
        run.format = kind
        run.save(update_fields=["format"])
        candidates: Iterator[Candidate]
        if kind == "html":
            candidates = html_candidates(read_html(reader), base=base_url)  # type: ignore[arg-type]
        else:
            candidates = json_candidates(reader, base=base_url)  # type: ignore[arg-type]
        index = 0
        batches = _batches(candidates, batch_size)
        for batch in batches:
            _write_batch(state, [(index + i, c) for i, c in enumerate(batch)])
            index += len(batch)
        if batches.error is not None:
            raise batches.error
        if index == 0:
            raise DocumentError(NO_RECORDS)
        if state.unknown_labels:
            labels = ", ".join(
                f"{label!r} ({n})" for label, n in sorted(state.unknown_labels.items())
            )
            run.status, run.error = ImportRunStatus.FAILED, UNKNOWN_LABELS.format(labels=labels)
        else:
            run.status = ImportRunStatus.DONE
    except DocumentError as error:
        run.status, run.error = ImportRunStatus.FAILED, str(error)
    except DatabaseError as error:  # the database itself failed (records are each refused first)
        logger.exception("import run %s: the database failed", run.pk)
        run.status, run.error = ImportRunStatus.FAILED, DATABASE_FAILED.format(error=error)
    run.finished_at = timezone.now()
    run.save()


class _batches:  # noqa: N801 (used as a generator)
    """`items` in lists of `size`. When reading fails mid-document (DocumentError), the records
    read whole before it still come out as a last batch, and the error is kept in `error`."""

    def __init__(self, items: Iterator[Candidate], size: int) -> None:
        self.items, self.size = items, size
        self.error: DocumentError | None = None

    def __iter__(self) -> Iterator[list[Candidate]]:
        batch: list[Candidate] = []
        try:
            for item in self.items:
                batch.append(item)
                if len(batch) >= self.size:
                    yield batch
                    batch = []
        except DocumentError as error:
            self.error = error
        if batch:
            yield batch


# --- one batch --------------------------------------------------------------------------------


@dataclass
class _Row:
    index: int
    url: str
    record: ImportedReview | None = None
    status: str = ""
    reason: str = ""
    review_id: int | None = None
    duplicate_of: _Row | None = None


def _normalise(candidate: Candidate) -> ImportedReview:
    if candidate.kind == "refused":
        raise Refusal(candidate.where, candidate.refusal)
    if candidate.kind == "google":
        return from_google(candidate.node, candidate.claim)
    return from_claimreview(
        candidate.node, base=candidate.base, fallback_date=candidate.fallback_date
    )


def _raw_url(candidate: Candidate) -> str:
    """A refused record's URL as it was given, for the report (control characters dropped:
    PostgreSQL refuses NUL)."""
    value = candidate.node.get("url") if candidate.node else ""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict) or value is None:
        return ""
    return "".join(c for c in str(value)[:2000] if c.isprintable())


def _write_batch(state: _State, batch: list[tuple[int, Candidate]]) -> None:
    rows: list[_Row] = []
    for index, candidate in batch:
        try:
            record = _normalise(candidate)
        except Refusal as refusal:
            rows.append(
                _Row(
                    index,
                    _raw_url(candidate),
                    status=ImportRecordStatus.REFUSED,
                    reason=str(refusal),
                )
            )
            continue
        rows.append(_Row(index, record.url, record=record))

    with transaction.atomic():
        _prefetch(state, [row.record for row in rows if row.record])
        keys = {row.record.canonical_url for row in rows if row.record}
        existing = {
            review.canonical_url: review
            for review in Review.objects.filter(canonical_url__in=keys).only(
                "id", "canonical_url", "import_digest", "publisher_id", "claim_id"
            )
        }
        earlier = dict(
            ImportRecord.objects.filter(
                run=state.run,
                review__in=[r.pk for r in existing.values()],
                status__in=[
                    ImportRecordStatus.IMPORTED,
                    ImportRecordStatus.UPDATED,
                    ImportRecordStatus.UNCHANGED,
                ],
            )
            .order_by("-index")  # the dict keeps the first record of each review
            .values_list("review_id", "index")
        )
        in_batch: dict[str, _Row] = {}
        new: list[_Row] = []
        for row in rows:
            if row.record is None:
                continue
            record = row.record
            digest = record.digest()
            first = in_batch.get(record.canonical_url)
            review = existing.get(record.canonical_url)
            if first is not None or (review is not None and review.pk in earlier):
                if first is not None:
                    assert first.record is not None
                    same, first_index = first.record.digest() == digest, first.index
                    row.duplicate_of = first
                else:
                    assert review is not None
                    same, first_index = review.import_digest == digest, earlier[review.pk]
                    row.review_id = review.pk if same else None
                row.status = ImportRecordStatus.UNCHANGED if same else ImportRecordStatus.REFUSED
                row.reason = (SAME_AS if same else DUPLICATE).format(index=first_index)
                continue
            in_batch[record.canonical_url] = row
            if review is None:
                new.append(row)
            elif (review.publisher_id is None) != (state.mode == ImportMode.ARCHIVE):
                row.status = ImportRecordStatus.REFUSED
                row.reason = NOT_THEIRS if review.publisher_id is None else NOT_OURS
            elif review.import_digest == digest:
                row.status, row.review_id = ImportRecordStatus.UNCHANGED, review.pk
            else:
                _update_one(state, row, review)
        if new:
            try:
                with transaction.atomic():
                    _create(state, new)
            except (IntegrityError, DatabaseError):
                for row in new:
                    row.status, row.review_id = "", None
                    try:
                        with transaction.atomic():
                            _create(state, [row])
                    except (IntegrityError, DatabaseError) as error:
                        row.status = ImportRecordStatus.REFUSED
                        row.reason = DATABASE_REFUSED.format(error=str(error).strip()[:500])
                        row.review_id = None
                        state.claimants.clear()
                        state.candidates.clear()
                        state.publishers.clear()
        # Duplicates of a record of this batch point at its review once it is written.
        for row in rows:
            first = row.duplicate_of
            if first is not None and row.status == ImportRecordStatus.UNCHANGED:
                if first.status == ImportRecordStatus.REFUSED:
                    row.status, row.reason = ImportRecordStatus.REFUSED, first.reason
                row.review_id = first.review_id
        ImportRecord.objects.bulk_create(
            [
                ImportRecord(
                    run=state.run,
                    index=row.index,
                    url=row.url[:2000],
                    status=row.status,
                    reason=row.reason,
                    review_id=row.review_id,
                )
                for row in rows
            ]
        )
        run = state.run
        for row in rows:
            setattr(run, row.status, getattr(run, row.status) + 1)
        run.save(update_fields=["imported", "updated", "unchanged", "refused"])


# --- writing ----------------------------------------------------------------------------------


def _publisher(state: _State, record: ImportedReview) -> Publisher:
    publisher = state.publishers.get(record.publisher_site)
    if publisher is None:
        publisher, _ = Publisher.objects.get_or_create(
            site=record.publisher_site,
            defaults={"name": record.publisher_name, "url": record.publisher_url[:2000]},
        )
        if publisher.name == publisher.site and record.publisher_name != record.publisher_site:
            # Known by its site only (Fact Check Tools often gives no name): now it has one.
            publisher.name = record.publisher_name
            publisher.save(update_fields=["name"])
        state.publishers[record.publisher_site] = publisher
    return publisher


def _claimant(state: _State, record: ImportedReview, pending: list[Claimant]) -> Claimant | None:
    """An existing claimant with the same folded name whose sameAs URLs do not contradict the
    record's (one of them has none, or they share one), else a new one (added to `pending`).
    `_prefetch()` has loaded the candidates of the batch."""
    data = record.claimant
    if data is None:
        return None
    raw_key = (data.name, " ".join(sorted(data.same_as)))
    if raw_key in state.claimants:
        return state.claimants[raw_key]
    folded = fold(data.name)[:200]
    wanted = set(data.same_as)
    match = None
    for claimant in state.candidates.get(folded, []):
        theirs = set(claimant.same_as or [])
        if not wanted or not theirs or wanted & theirs:
            match = claimant
            break
    if match is None:
        match = Claimant(
            name=data.name,
            folded_name=folded,
            kind=data.kind,
            job_title=data.job_title,
            same_as=data.same_as,
            image_url=data.image_url[:2000],
            slug=_claimant_slug(data.name, (folded, raw_key[1])),
        )
        pending.append(match)
        state.candidates.setdefault(folded, []).append(match)
    if len(state.claimants) > 10_000:
        state.claimants.clear()
        state.candidates.clear()
    state.claimants[raw_key] = match
    return match


def _prefetch(state: _State, records: list[ImportedReview]) -> None:
    """The claimants and publishers a batch may reuse, in two queries."""
    names = {
        fold(r.claimant.name)[:200]
        for r in records
        if r.claimant is not None
        and (r.claimant.name, " ".join(sorted(r.claimant.same_as))) not in state.claimants
    }
    names -= set(state.candidates)
    for name in names:
        state.candidates[name] = []
    if names:
        for claimant in Claimant.objects.filter(folded_name__in=names).order_by("id"):
            state.candidates[claimant.folded_name].append(claimant)
    sites = {r.publisher_site for r in records} - set(state.publishers)
    if sites and state.mode != ImportMode.ARCHIVE:
        for publisher in Publisher.objects.filter(site__in=sites):
            state.publishers[publisher.site] = publisher


def _claimant_slug(name: str, key: tuple[str, str]) -> str:
    digest = hashlib.sha1("|".join(key).encode()).hexdigest()[:8]
    return f"{slugify(name)[:80].strip('-') or 'claimant'}-{digest}"


def derived_claim_reviewed(text: str) -> str:
    """What Claim.claim_reviewed derives from a text without a short form."""
    return Truncator(" ".join(text.split())).chars(CLAIM_REVIEWED_MAX_LENGTH)


def _claim_slug(state: _State, record: ImportedReview) -> str:
    ours = _our_slug(record.url) if state.mode == ImportMode.ARCHIVE else ""
    if ours:
        return ours
    digest = hashlib.sha1(record.canonical_url.encode()).hexdigest()[:10]
    return (
        f"{slugify(record.claim_reviewed or record.claim_text)[:80].strip('-') or 'claim'}-{digest}"
    )


def _our_slug(url: str) -> str:
    """The slug of a URL of one of our claim pages (FACTCHECK_SITE_URL/claims/<slug>/)."""
    prefix = canonical_url(settings.FACTCHECK_SITE_URL.rstrip("/") + "/claims/x").removesuffix("x")
    key = canonical_url(url)
    if key.startswith(prefix):
        slug = key[len(prefix) :].split("/")[0]
        if slug and slug == slugify(slug):
            return slug
    return ""


def _rating(state: _State, record: ImportedReview) -> Rating | None:
    if not state.ratings:
        scale = RatingScale.objects.default()
        for rating in scale.ratings.all():
            state.ratings[fold(rating.label)] = rating
            state.ratings.setdefault(rating.slug, rating)
    return state.ratings.get(fold(record.rating_label)) or state.ratings.get(
        slugify(record.rating_label)
    )


def _claim_fields(record: ImportedReview) -> dict[str, Any]:
    short = record.claim_reviewed if record.claim_reviewed != record.claim_text else ""
    if short and derived_claim_reviewed(record.claim_text) == short:
        short = ""  # the derived short form says the same
    return {
        "text": record.claim_text,
        "short_text": short[:200],
        "date_claimed": record.claim_date,
        "venue": record.claim_venue,
        "language": record.claim_language or record.language,
    }


def _review_fields(state: _State, record: ImportedReview) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "rating_label": record.rating_label,
        "rating_value": record.rating_value,
        "rating_best": record.rating_best,
        "rating_worst": record.rating_worst,
        "verdict": record.verdict,
        "canonical_url": record.canonical_url,
        "import_digest": record.digest(),
        "headline": record.headline,
        "summary": record.summary,
        "language": record.language,
        "status": ReviewStatus.PUBLISHED,
        "publish_at": record.date_published,
        "date_published": record.date_published,
        "date_modified": record.date_modified,
    }
    if state.mode == ImportMode.ARCHIVE:
        fields["external_url"] = "" if _our_slug(record.url) else record.url
        fields["published_by"] = state.by
    else:
        fields["external_url"] = record.url
    return fields


def _archive_rating(state: _State, row: _Row) -> Rating | None:
    assert row.record is not None
    rating = _rating(state, row.record)
    if rating is None:
        label = row.record.rating_label
        state.unknown_labels[label] = state.unknown_labels.get(label, 0) + 1
        row.status = ImportRecordStatus.REFUSED
        row.reason = LABEL_NOT_OURS.format(label=label)
    return rating


def _create(state: _State, rows: list[_Row]) -> None:
    """Write the new records of `rows` with bulk inserts (claimants, claims, appearances,
    reviews, their history; corrections and events for our archive)."""
    pending_claimants: list[Claimant] = []
    items: list[tuple[_Row, Claim, Review]] = []
    for row in rows:
        record = row.record
        assert record is not None
        rating = None
        if state.mode == ImportMode.ARCHIVE:
            rating = _archive_rating(state, row)
            if rating is None:
                continue
            slug = _our_slug(record.url)
            if slug and Claim.objects.filter(slug=slug).exists():
                row.status, row.reason = ImportRecordStatus.REFUSED, SLUG_TAKEN.format(slug=slug)
                continue
        claimant = _claimant(state, record, pending_claimants)
        claim = Claim(slug=_claim_slug(state, record), claimant=claimant, **_claim_fields(record))
        review = Review(
            claim=claim,
            rating=rating,
            publisher=_publisher(state, record) if state.mode != ImportMode.ARCHIVE else None,
            **_review_fields(state, record),
        )
        items.append((row, claim, review))
    if not items:
        return
    if pending_claimants:
        Claimant.objects.bulk_create(pending_claimants)
    for _, claim, _ in items:
        if claim.claimant is not None:
            # Re-assigning the (now saved) object sets claimant_id and keeps it cached.
            claim.claimant = claim.claimant
    reason = f"Imported ({state.run.source})"[:100]
    _bulk_create(state, Claim, [claim for _, claim, _ in items], reason)
    appearances = []
    for row, claim, review in items:
        assert row.record is not None
        review.claim = claim  # sets claim_id, now that the claim is saved
        review.search_text = search_text(
            claim.text,
            claim.short_text,
            claim.claimant.name if claim.claimant else "",
            review.headline,
            review.summary,
        )
        for order, appearance in enumerate(row.record.appearances):
            appearances.append(
                Appearance(
                    claim_id=claim.pk,
                    url=appearance.url,
                    archived_url=appearance.archived_url,
                    title=appearance.title,
                    date=appearance.date,
                    first=appearance.first,
                    order=order,
                )
            )
    Appearance.objects.bulk_create(appearances)
    _bulk_create(state, Review, [review for _, _, review in items], reason)
    if state.mode == ImportMode.ARCHIVE:
        _archive_extras(state, items)
    for row, _, review in items:
        row.status, row.review_id = ImportRecordStatus.IMPORTED, review.pk
    state.wrote = True


def _bulk_create(state: _State, model: Any, objects: list[Any], reason: str) -> None:
    """Our archive keeps field history like any review of ours; other publishers' prior checks
    are reference data whose history is the import runs' records, so they skip it (half the
    inserts of an import)."""
    if state.mode == ImportMode.ARCHIVE:
        bulk_create_with_history(
            objects, model, default_user=state.by, default_change_reason=reason
        )
    else:
        model.objects.bulk_create(objects)


def _correction_kind(text: str) -> tuple[str, str]:
    """Our CorrectionComment text is "<Kind>: <note>" (claims.claimreview.builder)."""
    for kind in CorrectionKind:
        prefix = f"{kind.label}: "
        if text.startswith(prefix):
            return kind.value, text[len(prefix) :]
    return CorrectionKind.CORRECTION, text


def _archive_extras(state: _State, items: list[tuple[_Row, Claim, Review]]) -> None:
    corrections, events = [], []
    for row, _, review in items:
        assert row.record is not None
        for correction in row.record.corrections:
            kind, note = _correction_kind(correction.text)
            corrections.append(
                Correction(
                    review=review,
                    kind=kind,
                    note=note,
                    created_at=correction.date,
                    created_by=state.by,
                )
            )
        events.append(
            WorkflowEvent(
                review=review,
                actor=state.by,
                action="import",
                source="",
                target=ReviewStatus.PUBLISHED,
                comment=f"Imported from our archive ({state.run.source})"[:1000],
                created_at=review.date_published or timezone.now(),
            )
        )
    Correction.objects.bulk_create(corrections)
    WorkflowEvent.objects.bulk_create(events)


def _update_one(state: _State, row: _Row, review: Review) -> None:
    """A record whose content changed since it was imported: its claim and review take the new
    content (saved through the models, so history and the public caches follow)."""
    record = row.record
    assert record is not None
    try:
        with transaction.atomic():
            review = Review.objects.select_for_update().select_related("claim").get(pk=review.pk)
            rating = None
            if state.mode == ImportMode.ARCHIVE:
                rating = _archive_rating(state, row)
                if rating is None:
                    return
            claim = review.claim
            pending: list[Claimant] = []
            claimant = _claimant(state, record, pending)
            for new in pending:
                new.save()
            claim.claimant = claimant
            for name, value in _claim_fields(record).items():
                setattr(claim, name, value)
            claim._change_reason = f"Re-imported ({state.run.source})"[:100]  # type: ignore[attr-defined]
            claim.save()
            claim.appearances.all().delete()
            Appearance.objects.bulk_create(
                Appearance(
                    claim=claim,
                    url=a.url,
                    archived_url=a.archived_url,
                    title=a.title,
                    date=a.date,
                    first=a.first,
                    order=order,
                )
                for order, a in enumerate(record.appearances)
            )
            for name, value in _review_fields(state, record).items():
                setattr(review, name, value)
            if state.mode == ImportMode.ARCHIVE:
                review.rating = rating
            else:
                review.publisher = _publisher(state, record)
            review._change_reason = f"Re-imported ({state.run.source})"[:100]  # type: ignore[attr-defined]
            review.save()
    except (IntegrityError, DatabaseError) as error:
        row.status = ImportRecordStatus.REFUSED
        row.reason = DATABASE_REFUSED.format(error=str(error).strip()[:500])
        return
    row.status, row.review_id = ImportRecordStatus.UPDATED, review.pk
    state.wrote = True


# --- the report -------------------------------------------------------------------------------


def record_json(record: ImportRecord) -> dict[str, Any]:
    return {
        "index": record.index,
        "url": record.url,
        "status": record.status,
        "reason": record.reason,
        "review": record.review_id,
    }


def run_report(run: ImportRun) -> dict[str, Any]:
    """The report of DESIGN.md section 6: {"run", "counts", "records": [{index, url, status,
    reason, review}], "pending_index"}, plus the run's status, error, format and mode.
    `pending_index` counts the run's claims the matching worker has still to index."""
    if getattr(run, "dry_report", None) is not None:
        return run.dry_report  # type: ignore[attr-defined]
    return {
        "run": run.pk,
        "status": run.status,
        "error": run.error,
        "format": run.format,
        "mode": run.mode,
        "dry_run": False,
        "counts": run.counts,
        "records": list(iter_report_records(run)),
        "pending_index": pending_index(run),
    }


def pending_index(run: ImportRun) -> int:
    """How many claims of the run's reviews matching has no up-to-date index entry for (one
    query; 0 once the worker is through them)."""
    if not run.pk:
        return 0
    claims = ImportRecord.objects.filter(run=run, review__isnull=False).values("review__claim_id")
    return Claim.objects.filter(unindexed_claims(), pk__in=claims).count()


def iter_report_records(run: ImportRun) -> Iterator[dict[str, Any]]:
    if getattr(run, "dry_report", None) is not None:
        yield from run.dry_report["records"]  # type: ignore[attr-defined]
        return
    if run.pk:
        for record in run.records.order_by("index").iterator(2000):
            yield record_json(record)
