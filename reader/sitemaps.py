"""/sitemap.xml, a sitemap index, and its sections /sitemap-<section>.xml (django.contrib.
sitemaps): our published fact checks, the claimants who have one, and the fixed reader pages.
A section holds at most `limit` URLs a page; the index lists every page (?p=2, ...), so no fact
check falls off however many there are. Locations are absolute on FACTCHECK_SITE_URL whatever
host the request came in on."""

from __future__ import annotations

import datetime
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import DateTimeField, Exists, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from claims.models import Claimant, Review
from core.site import public_url


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
            .newest_first()
        )

    def location(self, item: Review) -> str:
        return reverse("reader:claim", args=[item.claim.slug])

    def lastmod(self, item: Review) -> datetime.datetime | None:
        return item.date_modified or item.date_published

    def get_latest_lastmod(self) -> datetime.datetime | None:
        # One aggregate instead of Django's default, which reads every item.
        changed = Coalesce("date_modified", "date_published")
        return Review.objects.published().aggregate(latest=Max(changed))["latest"]


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
        return reverse("reader:claimant", args=[item.slug])

    def lastmod(self, item: Claimant) -> datetime.datetime | None:
        return item.lastmod  # type: ignore[attr-defined]

    def get_latest_lastmod(self) -> datetime.datetime | None:
        changed = Coalesce("date_modified", "date_published")
        return Review.objects.published().aggregate(latest=Max(changed))["latest"]


class PagesSitemap(_OnOurSite):
    """The fixed reader pages."""

    changefreq = "daily"
    priority = 0.6

    def items(self) -> list[str]:
        return ["reader:home", "reader:ratings", "reader:corrections"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS: dict[str, type[_OnOurSite]] = {
    "claims": ClaimSitemap,
    "claimants": ClaimantSitemap,
    "pages": PagesSitemap,
}


class IndexEntry(NamedTuple):
    """One <sitemap> of the index, as Django's sitemap_index.xml template reads it."""

    location: str
    last_mod: datetime.datetime | None


def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """/sitemap.xml: every page of every section, on FACTCHECK_SITE_URL.

    Django's own index view takes the host from the request; ours must not.
    Queries: a count and a latest-change aggregate per section with rows.
    """
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = public_url("reader:sitemap-section", section=section)
        lastmod = sitemap.get_latest_lastmod()
        entries.append(IndexEntry(location, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append(IndexEntry(f"{location}?p={page}", lastmod))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
