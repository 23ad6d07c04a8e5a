"""Matching in the newsroom's admin: the claim and review pages of claims.admin, extended.

claims never imports matching, so matching registers the claim and review admins again as
subclasses of claims' own (claims.admin is imported first: it comes first in INSTALLED_APPS):

- the claim form gets the "Already checked?" panel: as the editor types, a small script of
  ours (static/matching/already-checked.js, allowed by the CSP: same origin, no inline code)
  asks GET /api/v1/claims/similar/ and lists the top matches with verdict badge, publisher,
  date and link; "Same claim" and "Related" record a ClaimRelation (at once on an existing
  claim, through POST .../relations/; on a new one when it is saved);
- a new claim whose folded text equals one of ours is refused with a link to it;
- the review page shows "Prior checks and past verdicts": the claim's confirmed links, and its
  closest matches (asked for by the same script), so verdicts stay consistent.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from claims.admin.claims import ClaimAdmin
from claims.admin.reviews import ReviewAdmin
from claims.models import Claim, Review
from matching.index import text_key
from matching.models import ClaimRelation, RelationKind
from matching.services import relation_create

DUPLICATE_CLAIM = "This claim exists already: {link}. Open it instead of adding it again."
LINKS_FIELD = "matching_links"


def existing_duplicate(text: str, *, exclude: int | None = None) -> Claim | None:
    """One of our claims whose folded text is `text`'s (claims only imported as other
    publishers' prior checks do not count: those are linked, not refused)."""
    ours = Review.objects.filter(claim=OuterRef("pk"), publisher__isnull=True)
    imported = Review.objects.filter(claim=OuterRef("pk"), publisher__isnull=False)
    claims = Claim.objects.filter(match_entry__text_key=text_key(text)).filter(
        Exists(ours) | ~Exists(imported)
    )
    if exclude is not None:
        claims = claims.exclude(pk=exclude)
    return claims.order_by("pk").first()


class MatchingClaimAdmin(ClaimAdmin):
    change_form_template = "admin/matching/claim/change_form.html"

    class Media:
        js = ["matching/already-checked.js"]
        css = {"all": ["matching/already-checked.css"]}

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            return form

        class NewClaimForm(form):  # type: ignore[misc, valid-type]
            def clean_text(self) -> str:
                text: str = self.cleaned_data["text"]
                duplicate = existing_duplicate(text) if text else None
                if duplicate is not None:
                    url = reverse("admin:claims_claim_change", args=[duplicate.pk])
                    link = format_html('<a href="{}">{}</a>', url, duplicate.claim_reviewed)
                    raise ValidationError(format_html(DUPLICATE_CLAIM, link=link), code="duplicate")
                return text

        NewClaimForm.__name__ = form.__name__
        return NewClaimForm

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> Any:
        context["matching"] = {
            "similar_url": reverse("claims-similar"),
            "relations_url": reverse("claim-relations", args=[obj.pk]) if obj else "",
            "claim_id": obj.pk if obj else "",
            "links_field": LINKS_FIELD,
            "relations": list(
                ClaimRelation.objects.filter(claim=obj).select_related(
                    "prior_check__publisher", "related_claim"
                )
            )
            if obj
            else [],
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(
        self, request: HttpRequest, form: Any, formsets: list[Any], change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        if change:
            return
        # "Same claim" / "Related" clicked on the new claim's panel: recorded now it exists.
        claim = Claim.objects.get(pk=form.instance.pk)
        for item in request.POST.get(LINKS_FIELD, "").split(","):
            kind, _, pk = item.partition(":")
            if kind not in RelationKind.values or not pk.isdigit():
                continue
            review = Review.objects.imported_published().filter(pk=int(pk)).first()
            if review is not None:
                relation_create(claim=claim, by=request.user, kind=kind, prior_check=review)


class MatchingReviewAdmin(ReviewAdmin):
    change_form_template = "admin/matching/review/change_form.html"

    class Media:
        js = ["matching/already-checked.js"]
        css = {"all": ["matching/already-checked.css"]}

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> Any:
        if obj is not None:
            claim = obj.claim
            context["prior_relations"] = list(
                ClaimRelation.objects.filter(claim=claim).select_related(
                    "prior_check__publisher", "related_claim"
                )
            )
            # The similar claims are asked for by the page's script (the same as the claim
            # form's), so the review page never waits for the embedder.
            context["prior_similar"] = {
                "similar_url": reverse("claims-similar"),
                "text": claim.text,
                "language": claim.language,
                "claim_id": claim.pk,
            }
        return super().render_change_form(request, context, add, change, form_url, obj)


admin.site.unregister(Claim)
admin.site.register(Claim, MatchingClaimAdmin)
admin.site.unregister(Review)
admin.site.register(Review, MatchingReviewAdmin)


@admin.register(ClaimRelation)
class ClaimRelationAdmin(admin.ModelAdmin):
    """Editors' confirmed links (made on the claim page's panel or through the API)."""

    list_display = ["claim", "kind", "prior_check", "related_claim", "created_by", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["claim", "prior_check", "related_claim", "created_by"]
    raw_id_fields = ["claim", "prior_check", "related_claim"]
    readonly_fields = ["created_by", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
