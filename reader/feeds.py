"""Atom feed of our latest published fact checks and of the public record (/feeds/latest/),
built on django.contrib.syndication. Every URL in it is absolute on FACTCHECK_SITE_URL.

Entries are of two kinds, newest first: a fact check when it is published, and an entry of
the corrections log (a correction, update, clarification, verdict change or withdrawal) when it
is recorded, so subscribers learn of a withdrawn or changed verdict as they learned of it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from claims.claimreview import claim_page_url
from claims.models import Correction, CorrectionKind, Review
from core.site import public_url

FEED_SIZE = 50

Entry = Review | Correction


def _entry_date(item: Entry) -> datetime.datetime:
    if isinstance(item, Correction):
        return item.created_at
    assert item.date_published is not None
    return item.date_published


class LatestFactChecksFeed(Feed):
    """The newest published reviews (withdrawn, scheduled, draft and imported ones never
    appear) and the newest entries of the public record (corrections log).

    Two queries: the reviews with their claim, claimant and rating, and the log's entries with
    their claim.
    """

    feed_type = Atom1Feed

    def title(self) -> str:
        return f"{settings.FACTCHECK_PUBLISHER_NAME}: latest fact checks"

    def subtitle(self) -> str:
        return (
            "The newest fact checks, with their verdicts and short answers, and every "
            "correction, verdict change and withdrawal."
        )

    def link(self) -> str:
        return public_url("reader:home")

    def feed_url(self) -> str:
        return public_url("reader:feed")

    def author_name(self) -> str:
        return settings.FACTCHECK_PUBLISHER_NAME

    def author_link(self) -> str:
        return settings.FACTCHECK_PUBLISHER_URL

    def items(self) -> list[Entry]:
        reviews: list[Entry] = list(
            Review.objects.published().for_list().newest_first()[:FEED_SIZE]
        )
        corrections: list[Entry] = list(
            Correction.objects.public_record().select_related("review__claim")[:FEED_SIZE]
        )
        entries = sorted(
            reviews + corrections, key=lambda item: (_entry_date(item), item.pk), reverse=True
        )
        return entries[:FEED_SIZE]

    def item_title(self, item: Entry) -> str:
        if isinstance(item, Correction):
            label = (
                "Withdrawn" if item.kind == CorrectionKind.WITHDRAWAL else item.get_kind_display()
            )
            return f"{label}: {item.headline or item.review.headline}"
        return item.headline

    def item_description(self, item: Entry) -> str:
        if isinstance(item, Correction):
            return item.note
        claimant = item.claim.claimant
        said = f"{claimant.name}: " if claimant else ""
        return (
            f"{said}“{item.claim.claim_reviewed}” Our rating: {item.textual_rating}. {item.summary}"
        )

    def item_link(self, item: Entry) -> str:
        if isinstance(item, Correction):
            return f"{claim_page_url(item.review.claim.slug)}#correction-{item.pk}"
        return claim_page_url(item.claim.slug)

    def item_guid(self, item: Entry) -> str:
        return self.item_link(item)

    def item_pubdate(self, item: Entry) -> datetime.datetime | None:
        if isinstance(item, Correction):
            return item.created_at
        return item.date_published

    def item_updateddate(self, item: Entry) -> datetime.datetime | None:
        if isinstance(item, Correction):
            return item.created_at
        return item.date_modified or item.date_published

    def item_categories(self, item: Entry) -> list[str]:
        if isinstance(item, Correction):
            return [item.get_kind_display()]
        return [item.textual_rating]

    def item_author_name(self, item: Entry) -> str:
        return settings.FACTCHECK_PUBLISHER_NAME
