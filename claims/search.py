"""The folded search column of reviews, `Review.search_text`: what claims keeps for search.

The search itself (PostgreSQL full-text search on a column generated from this one, the SQLite
fallback over it, ranking, suggestions) is matching.search; readers' `/search/`, the public
API's `q` and the Google-compatible `claims:search` all go through it.

- Every review stores `search_text`: the folded (`fold`: lower case, accents and other marks
  stripped, whitespace collapsed) concatenation of its claim's text and short text, its
  claimant's name, its headline and its summary. On PostgreSQL the generated column
  `search_vector` (migration 0012) is computed from it, so it must always be current.

Keeping the column current (a derived column, never edited by hand):

- `Review.save()` refolds it whenever it saves any of its own searched fields (always, unless
  `update_fields` leaves them all out).
- `claim_saved` and `claimant_saved` (post_save receivers, connected in ClaimsConfig.ready)
  refold the reviews of a claim or claimant whose searched fields were saved.
- Writes that bypass `save()` (`bulk_create`, `QuerySet.update()` of a searched field, raw
  SQL) must call `refresh_search_text()` on the reviews they touched; the data migration that
  introduced the column does so for every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from core.text import fold

# Saving any of these fields (of a review, its claim, the claim's claimant) refolds the
# `search_text` of the reviews concerned.
SEARCHED_REVIEW_FIELDS = frozenset({"headline", "summary", "claim", "claim_id"})
SEARCHED_CLAIM_FIELDS = frozenset({"text", "short_text", "claimant", "claimant_id"})
SEARCHED_CLAIMANT_FIELDS = frozenset({"name"})
_SOURCE_COLUMNS = (
    "claim__text",
    "claim__short_text",
    "claim__claimant__name",
    "headline",
    "summary",
)


def search_text(*parts: str | None) -> str:
    """The `search_text` of a review made of `parts` (claim text, short text, claimant name,
    headline, summary). Parts are separated by a space, so no word spans two of them."""
    return fold("\n".join(part or "" for part in parts))


def review_search_text(review: Any) -> str:
    """The `search_text` `review` should have now. Reads its claim and claimant (cached
    instances when the review holds them, else 1 query each)."""
    claim = review.claim
    claimant = claim.claimant
    return search_text(
        claim.text,
        claim.short_text,
        claimant.name if claimant else "",
        review.headline,
        review.summary,
    )


def refresh_search_text(
    reviews: models.QuerySet[Any], *, lock: bool = False, batch_size: int = 1000
) -> int:
    """Refold the `search_text` of `reviews`; return how many rows changed.

    Reads the source columns in batches of `batch_size` reviews (by primary key, each batch
    read whole before its one UPDATE of the rows that changed). With `lock`, each batch's
    reviews are locked first (SELECT ... FOR UPDATE OF the review, on PostgreSQL), so a
    concurrent save of a review waits and is then refolded with what it wrote. Works on a
    migration's historical model too.
    """
    model = reviews.model
    manager = model._default_manager.db_manager(reviews.db)
    count = 0
    last = 0
    with transaction.atomic(using=reviews.db):
        while True:
            batch = reviews.filter(pk__gt=last).order_by("pk")
            if lock:
                batch = batch.select_for_update(of=("self",))
            rows = list(batch.values_list("pk", "search_text", *_SOURCE_COLUMNS)[:batch_size])
            if not rows:
                return count
            changed = []
            for pk, current, *parts in rows:
                value = search_text(*parts)
                if value != current:
                    changed.append(model(pk=pk, search_text=value))
            if changed:
                manager.bulk_update(changed, ["search_text"])
                count += len(changed)
            last = rows[-1][0]


def searched_fields_saved(update_fields: Iterable[str] | None, fields: frozenset[str]) -> bool:
    """Whether a save with `update_fields` (None: all of them) writes any of `fields`."""
    return update_fields is None or not fields.isdisjoint(update_fields)
