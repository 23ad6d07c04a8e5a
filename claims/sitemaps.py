"""/sitemap.xml (django.contrib.sitemaps): our published fact checks, the claimants who have
one, and the fixed reader pages. Locations are absolute on FACTCHECK_SITE_URL whatever host the
request came in on."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import DateTimeField, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from claims.models import Claimant, Review


class _OnOurSite(Sitemap):
    limit = 5000

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.FACTCHECK_SITE_URL).scheme

    def get_domain(self, site: Any = None) -> str:
        # Host plus any path prefix: the location is appended to it as is.
        parts = urlsplit(settings.FACTCHECK_SITE_URL)
        return parts.netloc + parts.path


class ClaimSitemap(_OnOurSite):
    """One URL per published review's claim page; lastmod is its latest correction or its
    publication."""

    changefreq = "monthly"
    priority = 0.8

    def items(self) -> QuerySet[Review]:
        return (
            Review.objects.published()
            .select_related("claim")
            .only("claim__slug", "date_published", "date_modified", "publish_at")
            .order_by("-publish_at", "-id")
        )

    def location(self, item: Review) -> str:
        return reverse("claims:claim", args=[item.claim.slug])

    def lastmod(self, item: Review) -> datetime.datetime | None:
        return item.date_modified or item.date_published


class ClaimantSitemap(_OnOurSite):
    """Claimants with at least one published fact check; lastmod is their newest change."""

    changefreq = "weekly"
    priority = 0.5

    def items(self) -> QuerySet[Claimant]:
        theirs = Review.objects.published().filter(claim__claimant=OuterRef("pk"))
        latest = (
            theirs.annotate(changed=Coalesce("date_modified", "date_published"))
            .order_by("-changed")
            .values("changed")[:1]
        )
        return (
            Claimant.objects.filter(Exists(theirs))
            .annotate(lastmod=Subquery(latest, output_field=DateTimeField()))
            .only("slug")
            .order_by("slug")
        )

    def location(self, item: Claimant) -> str:
        return reverse("claims:claimant", args=[item.slug])

    def lastmod(self, item: Claimant) -> datetime.datetime | None:
        return item.lastmod  # type: ignore[attr-defined]


class PagesSitemap(_OnOurSite):
    """The fixed reader pages."""

    changefreq = "daily"
    priority = 0.6

    def items(self) -> list[str]:
        return ["claims:home", "claims:ratings", "claims:corrections"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"claims": ClaimSitemap, "claimants": ClaimantSitemap, "pages": PagesSitemap}
