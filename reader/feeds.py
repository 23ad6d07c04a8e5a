"""Atom feed of our latest published fact checks (/feeds/latest/), built on
django.contrib.syndication. Every URL in it is absolute on FACTCHECK_SITE_URL."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from claims.claimreview import claim_page_url
from claims.models import Review, ReviewQuerySet
from core.site import public_url

FEED_SIZE = 50


class LatestFactChecksFeed(Feed):
    """The newest published reviews (withdrawn, scheduled, draft and imported ones never appear).

    One query: the items with their claim, claimant and rating.
    """

    feed_type = Atom1Feed

    def title(self) -> str:
        return f"{settings.FACTCHECK_PUBLISHER_NAME}: latest fact checks"

    def subtitle(self) -> str:
        return "The newest fact checks, with their verdicts and short answers."

    def link(self) -> str:
        return public_url("reader:home")

    def feed_url(self) -> str:
        return public_url("reader:feed")

    def author_name(self) -> str:
        return settings.FACTCHECK_PUBLISHER_NAME

    def author_link(self) -> str:
        return settings.FACTCHECK_PUBLISHER_URL

    def items(self) -> ReviewQuerySet:
        return Review.objects.published().for_list().newest_first()[:FEED_SIZE]

    def item_title(self, item: Review) -> str:
        return item.headline

    def item_description(self, item: Review) -> str:
        claimant = item.claim.claimant
        said = f"{claimant.name}: " if claimant else ""
        return (
            f"{said}“{item.claim.claim_reviewed}” Our rating: {item.textual_rating}. {item.summary}"
        )

    def item_link(self, item: Review) -> str:
        return claim_page_url(item.claim.slug)

    def item_guid(self, item: Review) -> str:
        return claim_page_url(item.claim.slug)

    def item_pubdate(self, item: Review) -> datetime.datetime | None:
        return item.date_published

    def item_updateddate(self, item: Review) -> datetime.datetime | None:
        return item.date_modified or item.date_published

    def item_categories(self, item: Review) -> list[str]:
        return [item.textual_rating]

    def item_author_name(self, item: Review) -> str:
        return settings.FACTCHECK_PUBLISHER_NAME
