"""The schema.org DataFeed of our published fact checks (`GET /api/v1/feed/`), the format Data
Commons and Google consume: one DataFeedItem per review, each carrying its ClaimReview."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator

from django.conf import settings

from claims.claimreview import JsonDict, build_claimreview, publisher_jsonld
from claims.claimreview.builder import iso_datetime
from claims.claimreview.rows import claimreview_chunks
from claims.models import Review, ReviewQuerySet
from core.site import public_url

FEED_CHUNK_SIZE = 500


def datafeed_item(review: Review) -> JsonDict:
    """One DataFeedItem: the review's ClaimReview (without @context, which the feed carries)."""
    return _item(build_claimreview(review, context=False))


def _item(claimreview: JsonDict) -> JsonDict:
    return {
        "@type": "DataFeedItem",
        "dateCreated": claimreview["datePublished"],
        "dateModified": claimreview.get("dateModified", claimreview["datePublished"]),
        "item": [claimreview],
    }


def datafeed_chunks(
    reviews: ReviewQuerySet,
    *,
    modified: datetime.datetime,
    chunk_size: int | None = None,
) -> Iterator[bytes]:
    """The schema.org DataFeed of `reviews` (ordered) as UTF-8 JSON, in pieces to stream.

    The reviews are read as rows through one server-side cursor, `chunk_size` at a time
    (claims.claimreview.rows.claimreview_chunks): 1 query, plus 2 per chunk (appearances,
    corrections), and at most one chunk in memory. `modified` is the feed's dateModified.
    """
    head: JsonDict = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": f"{settings.FACTCHECK_PUBLISHER_NAME} fact checks",
        "url": public_url("api-feed"),
        "dateModified": iso_datetime(modified),
        "publisher": publisher_jsonld(),
    }
    # json.dumps as ever (its ", " and ": " separators are part of the published bytes).
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "dataFeedElement": [').encode()
    first = True
    for chunk in claimreview_chunks(reviews, chunk_size=chunk_size or FEED_CHUNK_SIZE):
        items = ", ".join(json.dumps(_item(c), ensure_ascii=False) for c in chunk)
        yield (items if first else ", " + items).encode()
        first = False
    yield b"]}"
