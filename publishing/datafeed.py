"""The schema.org DataFeed of our published fact checks (`GET /api/v1/feed/`), the format Data
Commons and Google consume: one DataFeedItem per review, each carrying its ClaimReview."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator

from django.conf import settings

from claims.claimreview import JsonDict, build_claimreview, publisher_jsonld
from claims.claimreview.builder import iso_datetime
from claims.models import Review, ReviewQuerySet
from core.site import public_url

FEED_CHUNK_SIZE = 500


def datafeed_item(review: Review) -> JsonDict:
    """One DataFeedItem: the review's ClaimReview (without @context, which the feed carries)."""
    claimreview = build_claimreview(review, context=False)
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
) -> Iterator[str]:
    """The schema.org DataFeed of `reviews` as JSON text, in pieces to stream.

    `reviews` should come from `for_claimreview()`; it is read with `.iterator(chunk_size)`, so
    the prefetches run once per chunk and at most one chunk of reviews is in memory: 1 query,
    plus 3 per chunk. `modified` is the feed's dateModified.
    """
    head: JsonDict = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": f"{settings.FACTCHECK_PUBLISHER_NAME} fact checks",
        "url": public_url("api-feed"),
        "dateModified": iso_datetime(modified),
        "publisher": publisher_jsonld(),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "dataFeedElement": ['
    batch: list[str] = []
    first = True
    for review in reviews.iterator(chunk_size=chunk_size or FEED_CHUNK_SIZE):
        batch.append(json.dumps(datafeed_item(review), ensure_ascii=False))
        if len(batch) == 100:
            yield ("" if first else ", ") + ", ".join(batch)
            batch, first = [], False
    if batch:
        yield ("" if first else ", ") + ", ".join(batch)
    yield "]}"
