"""The "limit" of the throughput benchmark: the public list's first page the cheapest way.

`GET /bench/limit/?page_size=50` answers what `GET /api/v1/claim-reviews/?page_size=50` answers
(the same 50 newest published reviews as the same ClaimReview dicts, with a signed `next` link)
from two `values()` queries, the dicts assembled by hand and encoded once with orjson in a plain
HttpResponse: no DRF, no serializer, no model instances, no validators. It goes through the same
middleware as every other view. Every throughput figure is divided by this one, measured in the
same run. `published_before` is accepted too (the benchmark varies it to keep any response cache
from answering).

PostgreSQL only (corrections come as an array subquery); served by benchmarks.urls only.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core import signing
from django.db.models import Max, Min, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.text import Truncator

from claims.models import (
    CLAIM_REVIEWED_MAX_LENGTH,
    Appearance,
    ClaimantKind,
    Correction,
    CorrectionKind,
    Rating,
    Review,
)

CURSOR_SALT = "claims.public_api.cursor"  # ClaimReviewCursorPagination.signer_salt
KIND_LABELS = dict(CorrectionKind.choices)

REVIEW_FIELDS = (
    "pk",
    "headline",
    "summary",
    "language",
    "date_published",
    "publish_at",
    "date_modified",
    "claim_id",
    "claim__slug",
    "claim__text",
    "claim__short_text",
    "claim__date_claimed",
    "claim__venue",
    "claim__language",
    "claim__claimant_id",
    "claim__claimant__name",
    "claim__claimant__kind",
    "claim__claimant__job_title",
    "claim__claimant__same_as",
    "claim__claimant__image_url",
    "rating_id",
    "rating__label",
    "rating__value",
    "rating__image_url",
)


def _iso(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="seconds")


def _scale_bound(aggregate: type[Min] | type[Max]) -> Subquery:
    return Subquery(
        Rating.objects.filter(scale=OuterRef("rating__scale"), value__isnull=False)
        .order_by()
        .values("scale")
        .annotate(bound=aggregate("value"))
        .values("bound")
    )


def _appearance(a: Mapping[str, Any]) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "url": a["url"]}
    if a["archived_url"]:
        work["archivedAt"] = a["archived_url"]
    if a["title"]:
        work["name"] = a["title"]
    if a["date"]:
        work["datePublished"] = a["date"].isoformat()
    return work


def claimreviews(
    rows: Sequence[Mapping[str, Any]], appearances: Sequence[Mapping[str, Any]]
) -> list[Any]:
    """The ClaimReview dicts of `rows` (query 1), with `appearances` (query 2)."""
    site = settings.FACTCHECK_SITE_URL
    author: dict[str, Any] = {
        "@type": "Organization",
        "name": settings.FACTCHECK_PUBLISHER_NAME,
        "url": settings.FACTCHECK_PUBLISHER_URL,
    }
    if settings.FACTCHECK_PUBLISHER_LOGO:
        author["logo"] = settings.FACTCHECK_PUBLISHER_LOGO
    by_claim: dict[int, list[Mapping[str, Any]]] = {}
    for a in appearances:
        by_claim.setdefault(a["claim_id"], []).append(a)
    out = []
    for r in rows:
        summary = r["summary"]
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"{site}/claims/{r['claim__slug']}/",
            "claimReviewed": r["claim__short_text"]
            or Truncator(" ".join(r["claim__text"].split())).chars(CLAIM_REVIEWED_MAX_LENGTH),
            "headline": r["headline"],
        }
        if summary:
            data["reviewBody"] = summary
            data["description"] = summary
        data["datePublished"] = _iso(r["date_published"] or r["publish_at"])
        corrections = [
            (datetime.datetime.fromisoformat(c["created_at"]), c["kind"], c["note"])
            for c in r["corrections"]
        ]
        modified = max(
            (d for d in [r["date_modified"], *(c[0] for c in corrections)] if d), default=None
        )
        if modified:
            data["dateModified"] = _iso(modified)
        data["inLanguage"] = r["language"]
        data["author"] = author
        if r["rating_id"] is not None:
            rating: dict[str, Any] = {
                "@type": "Rating",
                "alternateName": r["rating__label"],
                "name": r["rating__label"],
            }
            if r["rating__value"] is not None:
                rating["ratingValue"] = r["rating__value"]
                rating["bestRating"] = r["best"]
                rating["worstRating"] = r["worst"]
            if summary:
                rating["ratingExplanation"] = summary
            if r["rating__image_url"]:
                rating["image"] = r["rating__image_url"]
            data["reviewRating"] = rating
        item: dict[str, Any] = {"@type": "Claim"}
        if r["claim__claimant_id"] is not None:
            person = r["claim__claimant__kind"] == ClaimantKind.PERSON
            claimant: dict[str, Any] = {
                "@type": "Person" if person else "Organization",
                "name": r["claim__claimant__name"],
            }
            if r["claim__claimant__job_title"] and person:
                claimant["jobTitle"] = r["claim__claimant__job_title"]
            if r["claim__claimant__same_as"]:
                claimant["sameAs"] = list(r["claim__claimant__same_as"])
            if r["claim__claimant__image_url"]:
                claimant["image"] = r["claim__claimant__image_url"]
            item["author"] = claimant
        if r["claim__date_claimed"]:
            item["datePublished"] = r["claim__date_claimed"].isoformat()
        if r["claim__venue"]:
            item["name"] = r["claim__venue"]
        item["text"] = r["claim__text"]
        item["inLanguage"] = r["claim__language"]
        seen = by_claim.get(r["claim_id"], [])
        if seen:
            item["appearance"] = [_appearance(a) for a in seen]
            first = next((a for a in seen if a["first"]), None)
            if first is not None:
                item["firstAppearance"] = _appearance(first)
        data["itemReviewed"] = item
        if corrections:
            data["correction"] = [
                {
                    "@type": "CorrectionComment",
                    "text": f"{KIND_LABELS.get(kind, kind)}: {note}",
                    "datePublished": _iso(created),
                }
                for created, kind, note in corrections
            ]
        out.append(data)
    return out


def limit(request: HttpRequest) -> HttpResponse:
    try:
        size = int(request.GET.get("page_size") or 20)
        before = request.GET.get("published_before")
        bound = datetime.datetime.fromisoformat(before) if before else None
    except ValueError:
        return HttpResponseBadRequest("bad page_size or published_before")
    if not 1 <= size <= 100:
        return HttpResponseBadRequest("bad page_size")
    reviews = Review.objects.published()
    if bound is not None:
        reviews = reviews.filter(date_published__lt=bound)
    corrections = (
        Correction.objects.filter(review=OuterRef("pk"))
        .order_by("created_at", "id")
        .values(json=JSONObject(kind="kind", note="note", created_at="created_at"))
    )
    rows = list(
        reviews.order_by("-date_published", "-id")
        .values(*REVIEW_FIELDS)
        .annotate(
            corrections=ArraySubquery(corrections),
            worst=_scale_bound(Min),
            best=_scale_bound(Max),
        )[: size + 1]
    )
    more = len(rows) > size
    rows = rows[:size]
    appearances = list(
        Appearance.objects.filter(claim_id__in=[r["claim_id"] for r in rows])
        .order_by("order", "id")
        .values("claim_id", "url", "archived_url", "title", "date", "first")
    )
    next_link = None
    if more:
        last = rows[-1]
        token = signing.dumps(
            [_iso_full(last["date_published"]), last["pk"], False, "-published"],
            salt=CURSOR_SALT,
        )
        query = request.GET.copy()
        query["cursor"] = token
        next_link = request.build_absolute_uri(request.path) + "?" + query.urlencode()
    body = {"next": next_link, "previous": None, "results": claimreviews(rows, appearances)}
    return HttpResponse(orjson.dumps(body), content_type="application/json")


def _iso_full(value: datetime.datetime) -> str:
    """The cursor's key as the public list signs it (microseconds kept)."""
    return value.astimezone(datetime.UTC).isoformat()
