"""The admin of revisions: the working copy of a published review (its text, evidence, and its
claim's fields and appearances), edited through claims.services.revisions.revision_update with
the version the page was rendered from, the workflow buttons of claims.workflow
(REVISION_BUTTONS, as claims.permissions allows them now), and a side-by-side comparison of
the public version and the revision. A revision is started with "Revise" on its review's page;
it is never added or deleted here (Discard keeps it, discarded, with its audit trail)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from claims.admin.forms import APPEARANCE_FIELDS, APPEARANCE_WIDGETS, action_form
from claims.models import (
    Evidence,
    Review,
    Revision,
    RevisionAppearance,
    RevisionEvidence,
    RevisionStatus,
    Stance,
)
from claims.permissions import allowed_revision_actions, can, ensure_can
from claims.services.claims import AppearanceItem
from claims.services.evidence import EvidenceItem
from claims.services.revisions import (
    EDITABLE_FIELDS,
    revision_act,
    revision_update,
)
from claims.workflow import REVISION_BUTTONS, RULES, Action
from core.admin import BoundedIntegerLookups, ServiceRefusalAsMessage, add_errors
from core.exceptions import Conflict

ACTION_DONE = "{action}: done for revision {id}."
STALE_FORM = (
    "Someone saved this revision while you were editing it (you started from version "
    "{based_on}; it is now at version {current}). Nothing was saved: open it again to see their "
    "changes, then reapply yours."
)


class RevisionAdminForm(forms.ModelForm):
    """The revision's own fields, and the version the page was rendered from."""

    based_on_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Revision
        fields = list(EDITABLE_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["based_on_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        based_on = cleaned.get("based_on_version")
        if based_on is not None and based_on != self.instance.version:
            raise forms.ValidationError(
                STALE_FORM.format(based_on=based_on, current=self.instance.version),
                code="stale_version",
            )
        return cleaned


class _Editable:
    """Inline rows editable while the revision may be edited by the signed-in user."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and can(request.user, Action.REVISION_UPDATE, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and can(request.user, Action.REVISION_UPDATE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and can(request.user, Action.REVISION_UPDATE, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


class RevisionEvidenceInline(_Editable, admin.StackedInline):
    model = RevisionEvidence
    extra = 0
    fields = [("source", "stance", "order"), "quote", "note"]
    autocomplete_fields = ["source"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RevisionEvidence]:
        return super().get_queryset(request).select_related("source")


class RevisionAppearanceInline(_Editable, admin.TabularInline):
    model = RevisionAppearance
    extra = 0
    fields = APPEARANCE_FIELDS
    formfield_overrides = APPEARANCE_WIDGETS
    verbose_name_plural = "where the claim appeared"


@dataclass
class Difference:
    """One line of the comparison: what readers see now, and what the revision says."""

    label: str
    public: str
    revision: str

    @property
    def changed(self) -> bool:
        return self.public != self.revision


def _evidence_text(items: list[Any]) -> str:
    return "\n\n".join(
        f"{n}. {item.get_stance_display()}: {item.source}\n“{item.quote}”"
        + (f"\n{item.note}" if item.note else "")
        for n, item in enumerate(items, start=1)
    )


def _appearances_text(items: list[Any]) -> str:
    return "\n".join(
        f"{item.url}"
        + (f" ({item.title})" if item.title else "")
        + (" [first]" if item.first else "")
        for item in items
    )


def revision_differences(revision: Revision) -> list[Difference]:
    """The public review beside the revision, field by field (evidence and appearances as
    lists)."""
    review = Review.objects.select_related("rating", "claim__claimant").get(pk=revision.review_id)
    claim = review.claim
    evidence = list(Evidence.objects.filter(review=review).select_related("source"))
    new_evidence = list(revision.evidence.select_related("source"))
    pairs = [
        ("Rating", review.rating, revision.rating),
        ("Headline", review.headline, revision.headline),
        ("Summary", review.summary, revision.summary),
        ("Body", review.body, revision.body),
        ("Claim", claim.text, revision.claim_text),
        ("Claim, short form", claim.short_text, revision.claim_short_text),
        ("Who said it", claim.claimant, revision.claimant),
        ("Date made", claim.date_claimed, revision.date_claimed),
        ("Where it was made", claim.venue, revision.venue),
        ("Claim language", claim.language, revision.claim_language),
    ]
    differences = [
        Difference(label, "" if old is None else str(old), "" if new is None else str(new))
        for label, old, new in pairs
    ]
    differences.append(
        Difference("Evidence", _evidence_text(evidence), _evidence_text(new_evidence))
    )
    differences.append(
        Difference(
            "Where the claim appeared",
            _appearances_text(list(claim.appearances.all())),
            _appearances_text(list(revision.appearances.all())),
        )
    )
    return differences


@admin.register(Revision)
class RevisionAdmin(ServiceRefusalAsMessage, BoundedIntegerLookups, admin.ModelAdmin):
    """Revisions of published reviews, each with its workflow and the comparison with the
    public version."""

    form = RevisionAdminForm
    change_form_template = "admin/claims/revision/change_form.html"
    list_display = ["__str__", "review_link", "status", "rating", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["review", "rating"]
    search_fields = ["headline", "review__headline", "claim_text"]
    autocomplete_fields = ["claimant"]
    readonly_fields = [
        "review_link",
        "status",
        "version",
        "based_on",
        "authors_list",
        "approved_by",
        "published_by",
        "correction",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["rating", "headline", "summary", "body", "based_on_version"]}),
        (
            "The claim",
            {
                "fields": [
                    "claim_text",
                    "claim_short_text",
                    "claimant",
                    "date_claimed",
                    "venue",
                    "claim_language",
                ]
            },
        ),
        ("Workflow", {"fields": tuple(readonly_fields)}),
    ]
    inlines = [RevisionEvidenceInline, RevisionAppearanceInline]

    class Media:
        css = {"all": ["claims/admin/workflow.css"]}
        # Workflow buttons stop with a warning instead of discarding unsaved edits.
        js = ["claims/admin/unsaved-changes.js"]

    @admin.display(description="review")
    def review_link(self, revision: Revision) -> str:
        url = reverse("admin:claims_review_change", args=[revision.review_id])
        return format_html('<a href="{}">{}</a>', url, revision.review)

    @admin.display(description="authors")
    def authors_list(self, revision: Revision) -> str:
        return ", ".join(u.get_username() for u in revision.authors.all()) or "-"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # started with "Revise" on a published review's page

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # discarded with its button, and kept

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return can(request.user, Action.REVISION_UPDATE, obj)

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        revision = super().get_object(request, object_id, from_field)
        if revision is not None:
            prefetch_related_objects([revision], "authors")
        return revision

    # --- saving through the service -----------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Revision, form: Any, change: bool) -> None:
        """Nothing here: saved with its evidence and appearances in save_related."""

    def save_related(
        self, request: HttpRequest, form: Any, formsets: list[Any], change: bool
    ) -> None:
        by_model = {formset.model: formset for formset in formsets}
        changes = {k: form.cleaned_data[k] for k in EDITABLE_FIELDS if k in form.changed_data}
        revision = revision_update(
            revision=form.instance,
            by=request.user,
            version=form.cleaned_data["based_on_version"],
            changes=changes,
            evidence=_evidence_items(by_model[RevisionEvidence]),
            appearances=_appearance_items(by_model[RevisionAppearance]),
        )
        form.instance.version = revision.version
        for formset in formsets:  # read by the admin's change message
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    # --- the page -----------------------------------------------------------------------------

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> Any:
        if obj is not None and obj.pk is not None:
            actions = []
            for action in allowed_revision_actions(request.user, obj):
                url = reverse("admin:claims_revision_workflow", args=[obj.pk, action.value])
                form = action_form(action)(review=obj.review, prefix=action.value)
                actions.append(
                    {"action": action.value, "label": RULES[action].label, "url": url, "form": form}
                )
            review = obj.review
            context.update(
                {
                    "workflow_actions": actions,
                    "workflow_status": f"revision {obj.get_status_display().lower()}",
                    "differences": revision_differences(obj),
                    "review_url": reverse("admin:claims_review_change", args=[review.pk]),
                    "stale": obj.is_open and review.version != obj.based_on,
                    "latest_request": _latest_request(obj),
                }
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self) -> list[URLPattern]:
        urls: list[URLPattern] = [
            path(
                "<path:object_id>/workflow/<str:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name="claims_revision_workflow",
            )
        ]
        return urls + super().get_urls()

    def workflow_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        """One workflow action on one revision: GET shows its form, POST runs it (as the
        review's workflow_view)."""
        revision = self.get_object(request, object_id)
        if revision is None or not self.has_view_permission(request, revision):
            raise Http404
        try:
            workflow_action = Action(action)
        except ValueError:
            raise Http404 from None
        if workflow_action not in REVISION_BUTTONS:
            raise Http404
        change_url = reverse("admin:claims_revision_change", args=[revision.pk])
        label = RULES[workflow_action].label
        form_class = action_form(workflow_action)
        try:
            ensure_can(request.user, workflow_action, revision)
        except Conflict as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            form = form_class(request.POST, review=revision.review, prefix=workflow_action.value)
            if form.is_valid():
                try:
                    revision_act(
                        workflow_action,
                        revision=revision,
                        by=request.user,
                        **form.service_inputs(),
                    )
                except ValidationError as exc:
                    add_errors(form, exc)
                except Conflict as exc:
                    messages.error(request, exc.message)
                    return HttpResponseRedirect(change_url)
                else:
                    messages.success(request, ACTION_DONE.format(action=label, id=revision.pk))
                    if workflow_action is Action.REVISION_PUBLISH:
                        return HttpResponseRedirect(
                            reverse("admin:claims_review_change", args=[revision.review_id])
                        )
                    return HttpResponseRedirect(change_url)
        else:
            form = form_class(review=revision.review, prefix=workflow_action.value)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{label}: {revision}",
            "opts": self.model._meta,
            "original": revision,
            "form": form,
            "action_label": label,
            "change_url": change_url,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/claims/review/workflow_action.html", context)


def _latest_request(revision: Revision) -> Any:
    """The request for changes that sent a draft revision back, for the top of its page."""
    if revision.status != RevisionStatus.DRAFT:
        return None
    latest = revision.events.select_related("actor").order_by("-created_at", "-id").first()
    if latest is None or latest.action != Action.REVISION_REQUEST_CHANGES:
        return None
    return latest


def _evidence_items(formset: Any) -> list[EvidenceItem] | None:
    """The evidence list the inline describes, in its `order` (each row's `id` is the review's
    entry it revises); None if unchanged."""
    if not formset.has_changed():
        return None
    rows = []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None)
        if not data or (formset.can_delete and data.get("DELETE")):
            continue
        if form.instance.pk is None and not form.has_changed():
            continue
        item = EvidenceItem(
            id=form.instance.evidence_id if form.instance.pk else None,
            source=data["source"],
            quote=data.get("quote", ""),
            stance=data.get("stance") or Stance.CONTEXT,
            note=data.get("note", ""),
        )
        rows.append((data.get("order") or 0, index, item))
    return [item for _, _, item in sorted(rows, key=lambda r: (r[0], r[1]))]


def _appearance_items(formset: Any) -> list[AppearanceItem] | None:
    if not formset.has_changed():
        return None
    rows = []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None)
        if not data or (formset.can_delete and data.get("DELETE")):
            continue
        if form.instance.pk is None and not form.has_changed():
            continue
        item = AppearanceItem(
            url=data["url"],
            archived_url=data.get("archived_url") or "",
            title=data.get("title") or "",
            date=data.get("date"),
            first=bool(data.get("first")),
        )
        rows.append((data.get("order") or 0, index, item))
    return [item for _, _, item in sorted(rows, key=lambda r: (r[0], r[1]))]
