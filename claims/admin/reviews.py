"""The admin of reviews: the edit form with its evidence, and the workflow on each review's page
(the buttons of claims.workflow that claims.permissions allows, each with its form)."""

import json
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from claims.admin.claims import REVERT_REFUSED
from claims.admin.forms import ReviewAdminForm, action_form
from claims.admin.revisions import revision_differences
from claims.audit import review_field_history
from claims.claimreview import claim_page_url, review_claimreview
from claims.models import (
    OPEN_REVISION_STATES,
    Correction,
    Evidence,
    Review,
    ReviewStatus,
    RevisionStatus,
    Stance,
    WorkflowEvent,
)
from claims.permissions import (
    allowed_actions,
    awaiting_publication_by,
    awaiting_review_by,
    can,
    ensure_can,
    is_author,
    written_by,
)
from claims.services.evidence import EvidenceItem
from claims.services.reviews import (
    CONTENT_FIELDS,
    review_act,
    review_create,
    review_delete,
    review_update,
)
from claims.workflow import BUTTONS, EVENT_LABELS, PUBLISH_REVIEW, REVIEW_REVIEW, RULES, Action
from core.admin import (
    BoundedIntegerLookups,
    CappedCountPaginator,
    ServiceRefusalAsMessage,
    add_errors,
)
from core.exceptions import Conflict

ACTION_DONE = "{action}: done for \u201c{review}\u201d."


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete select that renders its selected option from an object already loaded
    (`preloaded`, by value) instead of one query per inline row."""

    preloaded: dict[str, Any] = {}

    def optgroups(self, name: str, value: Any, attr: Any = None) -> Any:
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not selected or not selected <= set(self.preloaded):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for key in sorted(selected):
            obj = self.preloaded[key]
            label = self.choices.field.label_from_instance(obj)
            options.append(self.create_option(name, obj.pk, label, True, len(options)))
        return [(None, options, 0)]


class EvidenceInline(admin.StackedInline):
    """A review's evidence, edited with the review and saved with it by
    claims.services.review_update (so evidence changes follow the same locking and versioning
    as the review's text)."""

    model = Evidence
    extra = 0
    fields = [("source", "stance", "order"), "quote", "note"]
    autocomplete_fields = ["source"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Evidence]:
        return super().get_queryset(request).select_related("source")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "source":
            kwargs["widget"] = PreloadedAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset_class = super().get_formset(request, obj, **kwargs)

        class EvidenceFormSet(formset_class):  # type: ignore[valid-type,misc]
            def _construct_form(self, i: int, **form_kwargs: Any) -> Any:
                form = super()._construct_form(i, **form_kwargs)
                evidence = form.instance
                if evidence.pk and evidence.source_id and "source" in form.fields:
                    widget = form.fields["source"].widget
                    widget = getattr(widget, "widget", widget)  # inside the related wrapper
                    widget.preloaded = {str(evidence.source_id): evidence.source}
                return form

        return EvidenceFormSet

    def _review_editable(self, request: HttpRequest, obj: Review | None) -> bool:
        if obj is None:
            return can(request.user, Action.CREATE)
        return _can_cached(request, Action.UPDATE, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._review_editable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._review_editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._review_editable(request, obj)


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    can_delete = False
    fields = readonly_fields = ("created_at", "kind", "note", "created_by")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Correction]:
        # The row's title is Correction.__str__, which names its review.
        return super().get_queryset(request).select_related("created_by", "review")


class WorkflowEventInline(admin.TabularInline):
    """The audit trail, on the review's page."""

    model = WorkflowEvent
    extra = 0
    can_delete = False
    verbose_name_plural = "audit trail"
    fields = readonly_fields = ("when", "actor", "what", "from_state", "to_state", "comment")

    @admin.display(description="when")
    def when(self, event: WorkflowEvent) -> str:
        return _with_zone(event.created_at)

    @admin.display(description="what")
    def what(self, event: WorkflowEvent) -> str:
        label = EVENT_LABELS.get(event.action, event.action.replace("_", " ").capitalize())
        return f"{label} (revision {event.revision_id})" if event.revision_id else label

    @admin.display(description="from")
    def from_state(self, event: WorkflowEvent) -> str:
        return _state_label(event.source) if event.source else "(new)"

    @admin.display(description="to")
    def to_state(self, event: WorkflowEvent) -> str:
        return _state_label(event.target)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkflowEvent]:
        return super().get_queryset(request).select_related("actor")


def _state_label(state: str) -> str:
    labels = {**dict(RevisionStatus.choices), **dict(ReviewStatus.choices)}
    return str(labels.get(state, state))


def _with_zone(moment: Any) -> str:
    """A time as the newsroom reads it, with its time zone beside it."""
    if moment is None:
        return "-"
    return date_format(timezone.localtime(moment), "j M Y, H:i T")


def _can_cached(request: HttpRequest, action: Action, review: Review) -> bool:
    """`can()` asked once per request, review and action (the admin asks many times a page)."""
    answers = request.__dict__.setdefault("_review_permissions", {})
    key = (review.pk, review.status, action)
    if key not in answers:
        answers[key] = can(request.user, action, review)
    return bool(answers[key])


class ForMeFilter(admin.SimpleListFilter):
    """What is waiting for the signed-in user, and what they wrote."""

    title = "What is waiting for me"
    parameter_name = "for_me"
    template = "admin/claims/titled_filter.html"  # the title as is, not "By ..."

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        options = []
        if request.user.has_perm(REVIEW_REVIEW):
            options.append(("review", "Awaiting my review"))
        if request.user.has_perm(PUBLISH_REVIEW):
            options.append(("publish", "Approved, for me to publish"))
        options.append(("mine", "Written by me"))
        return options

    def queryset(self, request: HttpRequest, queryset: QuerySet[Review]) -> QuerySet[Review]:
        pick = {
            "review": awaiting_review_by,
            "publish": awaiting_publication_by,
            "mine": written_by,
        }.get(self.value() or "")
        return pick(request.user, queryset) if pick else queryset


class PublishedByFilter(admin.RelatedOnlyFieldListFilter):
    """The users who published a review.

    Django's "related only" filter lists them from `SELECT DISTINCT published_by_id` over every
    review (0.1 s at a million); this asks the small table instead: each user is kept when an
    index probe (published_by_id) finds one review they published.
    """

    template = "admin/claims/titled_filter.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = "Published by"

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> Any:
        published = Exists(Review.objects.filter(published_by=OuterRef("pk")))
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, limit_choices_to=Q(published), ordering=ordering
        )


class StatusFilter(admin.ChoicesFieldListFilter):
    template = "admin/claims/titled_filter.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = "Status"


@admin.register(Review)
class ReviewAdmin(ServiceRefusalAsMessage, BoundedIntegerLookups, SimpleHistoryAdmin):
    """Reviews, and the workflow on each review's page.

    Every write goes through claims.services: the edit form and its evidence are saved together
    by one `review_create` / `review_update` call (carrying the version the page was rendered
    from), and the workflow buttons, exactly those claims.permissions.allowed_actions() offers
    the signed-in user now, post to `workflow_view`. The page also shows the ClaimReview JSON-LD
    the review would publish with the validator's messages, and its field history.
    """

    form = ReviewAdminForm
    change_form_template = "admin/claims/review/change_form.html"
    list_display = ["headline", "claim_link", "rating", "status", "publish_at", "publisher"]
    # Fast with a million reviews: every filter lists a small table (never a DISTINCT over the
    # reviews: no "related only" claimants, no language), the count stops at COUNT_CAP and is
    # not repeated for the unfiltered total, the default order (Meta.ordering) has its index
    # (review_admin_newest), and each row's claim, rating and publisher come joined.
    list_filter = [
        ForMeFilter,
        ("status", StatusFilter),
        ("published_by", PublishedByFilter),
        "rating",
        "claim__claimant",
        "claim__topics",
        ("publisher", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["claim", "rating", "publisher"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    search_fields = [
        "headline",
        "summary",
        "claim__text",
        "claim__short_text",
        "claim__claimant__name",
    ]
    autocomplete_fields = ["claim"]
    # Server-owned: changed only by the workflow actions (claims.services), shown read-only.
    workflow_fields = [
        "status",
        "version",
        "authors_list",
        "created_by",
        "approved_by",
        "published_by",
        "publish_at",
        "date_published",
        "date_modified",
        "withdrawn_at",
        "withdrawal_note",
        "created_at",
        "updated_at",
    ]
    imported_fields = ["publisher", "rating_label", "external_url"]
    readonly_fields = workflow_fields + imported_fields
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "claim",
                    "rating",
                    "headline",
                    "summary",
                    "body",
                    "language",
                    "based_on_version",
                ]
            },
        ),
        ("Imported from another publisher", {"fields": imported_fields, "classes": ["collapse"]}),
        ("Workflow", {"fields": workflow_fields}),
    ]
    inlines = [EvidenceInline, CorrectionInline, WorkflowEventInline]

    class Media:
        css = {"all": ["claims/admin/workflow.css"]}
        # Workflow buttons stop with a warning instead of discarding unsaved edits.
        js = ["claims/admin/unsaved-changes.js"]

    @admin.display(description="claim", ordering="claim__short_text")
    def claim_link(self, review: Review) -> str:
        url = reverse("admin:claims_claim_change", args=[review.claim_id])
        return format_html('<a href="{}">{}</a>', url, review.claim)

    @admin.display(description="authors")
    def authors_list(self, review: Review) -> str:
        return ", ".join(u.get_username() for u in review.authors.all()) or "-"

    # --- who may do what: claims.permissions --------------------------------------------------

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return _can_cached(request, Action.UPDATE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return super().has_delete_permission(request)
        return _can_cached(request, Action.DELETE, obj)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # A draft's evidence and audit trail go with it: whether it may be deleted is
        # claims.permissions' call (has_delete_permission), not the related models' rights.
        if all(_can_cached(request, Action.DELETE, obj) for obj in objs):
            perms_needed = set()
        return deleted, counts, perms_needed, protected

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Bulk deletion would skip the per-review rules; reviews are deleted one at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # Reverting to an old version would bypass the workflow; old versions are only shown.
        if request.method == "POST":
            raise PermissionDenied(REVERT_REFUSED)
        return super().history_form_view(request, object_id, version_id, extra_context)

    # --- saving through the services ----------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Review, form: Any, change: bool) -> None:
        """Nothing here: the review is written in save_related, together with its evidence, by
        one service call."""

    def save_related(
        self, request: HttpRequest, form: Any, formsets: list[Any], change: bool
    ) -> None:
        evidence_formset = next(fs for fs in formsets if fs.model is Evidence)
        evidence = _evidence_items(evidence_formset)
        content = {name: form.cleaned_data[name] for name in CONTENT_FIELDS}
        if change:
            changes = {k: v for k, v in content.items() if k in form.changed_data}
            review = review_update(
                review=form.instance,
                by=request.user,
                version=form.cleaned_data["based_on_version"],
                changes=changes,  # type: ignore[arg-type]
                evidence=evidence,
            )
        else:
            review = review_create(by=request.user, evidence=evidence or [], **content)
        form.instance.pk = review.pk
        form.instance.version = review.version
        for formset in formsets:  # read by the admin's change message
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request: HttpRequest, obj: Review) -> None:
        review_delete(review=obj, by=request.user)

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        """The review, with its authors: every permission check on the page asks whether the
        user wrote it, and the page lists them (one query instead of one per question)."""
        review = super().get_object(request, object_id, from_field)
        if review is not None:
            prefetch_related_objects([review], "authors")
        return review

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> Any:
        if obj is not None and obj.pk is not None and obj.is_ours:
            context.update(self._workflow_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_view_on_site_url(self, obj: Any = None) -> str | None:
        """ "View on site": the claim's public page, once readers can see it (or its notice)."""
        return _public_url(obj) if isinstance(obj, Review) else None

    def _workflow_context(self, request: HttpRequest, review: Review) -> dict[str, Any]:
        actions = []
        for action in allowed_actions(request.user, review):
            url = reverse("admin:claims_review_workflow", args=[review.pk, action.value])
            # The correction form needs the whole text of the review and its claim: it has a
            # page of its own (and is not built here, where it would cost queries for nothing).
            form = (
                None
                if action is Action.CORRECT
                else action_form(action)(review=review, prefix=action.value)
            )
            actions.append(
                {"action": action.value, "label": RULES[action].label, "url": url, "form": form}
            )
        document, result = review_claimreview(Review.objects.for_claimreview().get(pk=review.pk))
        open_revision = review.revisions.filter(status__in=OPEN_REVISION_STATES).first()
        if open_revision is not None:
            # Continue it rather than start another (the service would refuse a second).
            actions = [a for a in actions if a["action"] != Action.REVISE.value]
        return {
            "open_revision": open_revision,
            "revision_differences": (
                revision_differences(open_revision) if open_revision is not None else None
            ),
            "latest_request": _latest_request(request, review),
            "workflow_actions": actions,
            "workflow_status": review.get_status_display(),
            "workflow_scheduled": review.status == ReviewStatus.PUBLISHED
            and not review.is_public(),
            "claimreview_json": json.dumps(document, indent=2, ensure_ascii=False),
            "claimreview_validation": result,
            "claimreview_errors": [_plain(m, review) for m in result.errors],
            "claimreview_warnings": [_plain(m, review) for m in result.warnings],
            "field_history": review_field_history(review),
        }

    # --- the workflow buttons -----------------------------------------------------------------

    def get_urls(self) -> list[URLPattern | URLResolver]:
        urls: list[URLPattern | URLResolver] = [
            path(
                "<path:object_id>/workflow/<str:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name="claims_review_workflow",
            )
        ]
        return urls + super().get_urls()

    def workflow_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        """One workflow action on one review: GET shows its form, POST runs it.

        Refusals: 404 for a review the user may not see or an unknown action; 403 when the
        user may not take it (PermissionDenied); a message on the review's page when the
        review's state does not allow it now (InvalidTransition); the form again, with the
        services' field messages, for bad input.
        """
        review = self.get_object(request, object_id)
        if review is None or not self.has_view_permission(request, review):
            raise Http404
        try:
            workflow_action = Action(action)
        except ValueError:
            raise Http404 from None
        if workflow_action not in BUTTONS:
            raise Http404
        change_url = reverse("admin:claims_review_change", args=[review.pk])
        label = RULES[workflow_action].label.rstrip("…")
        form_class = action_form(workflow_action)
        try:
            ensure_can(request.user, workflow_action, review)
        except Conflict as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(change_url)

        if request.method == "POST":
            form = form_class(request.POST, review=review, prefix=workflow_action.value)
            if form.is_valid():
                try:
                    done = review_act(
                        workflow_action, review=review, by=request.user, **form.service_inputs()
                    )
                except ValidationError as exc:
                    add_errors(form, exc)
                except Conflict as exc:
                    messages.error(request, exc.message)
                    return HttpResponseRedirect(change_url)
                else:
                    messages.success(request, ACTION_DONE.format(action=label, review=review))
                    if workflow_action is Action.REVISE:  # on to the revision it started
                        return HttpResponseRedirect(
                            reverse("admin:claims_revision_change", args=[done.pk])
                        )
                    return HttpResponseRedirect(change_url)
        else:
            form = form_class(review=review, prefix=workflow_action.value)

        context = {
            **self.admin_site.each_context(request),
            "title": f"{label}: {review}",
            "opts": self.model._meta,
            "original": review,
            "form": form,
            "action_label": label,
            "change_url": change_url,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/claims/review/workflow_action.html", context)


# What each finding of the ClaimReview validator asks of the newsroom, in plain words, and
# where to fix it: a field of the review's form ("#id_..."), or its claim's page.
PLAIN_FINDINGS: dict[str, tuple[str, str]] = {
    "reviewRating.alternateName": (
        "Choose a rating: Google requires a verdict label.",
        "#id_rating",
    ),
    "claimReviewed": (
        "Write the claim, or its short form: Google requires the claim that was checked.",
        "claim",
    ),
    "datePublished": ("Publish it: the date of publication is set then.", "#workflow"),
    "itemReviewed.author": ("Say who made the claim: choose the claim's claimant.", "claim"),
    "itemReviewed.author.name": ("Give the claim's claimant a name.", "claim"),
    "itemReviewed.datePublished": ("Set the date the claim was made.", "claim"),
    "itemReviewed.appearance": (
        "Add where the claim appeared, and mark the first appearance.",
        "claim",
    ),
    "url": ("The page address must be on our site: check the FACTCHECK_SITE_URL setting.", ""),
}


def _plain(message: Any, review: Review) -> dict[str, str]:
    """A validator finding as the admin shows it: what to do, and a link to where."""
    text, where = PLAIN_FINDINGS.get(message.path, (message.text, ""))
    if where == "claim":
        where = reverse("admin:claims_claim_change", args=[review.claim_id])
    elif message.path.startswith("reviewRating."):
        where = where or "#id_rating"
    return {"text": text, "url": where, "path": message.path, "detail": message.text}


def _public_url(review: Review) -> str | None:
    """The public page of `review`'s claim, when it answers (public now, or public once)."""
    if review.pk is None or not review.is_ours:
        return None
    public = Review.objects.with_public_page().filter(pk=review.pk)
    slug = public.values_list("claim__slug", flat=True).first()
    return claim_page_url(slug) if slug else None


def _latest_request(request: HttpRequest, review: Review) -> WorkflowEvent | None:
    """The latest request for changes on a draft, shown at the top of its page to its authors
    (and editors): what they must fix, without scrolling down the audit trail."""
    if review.status != ReviewStatus.DRAFT:
        return None
    if not (is_author(request.user, review) or request.user.has_perm(REVIEW_REVIEW)):
        return None
    latest = (
        review.events.filter(revision__isnull=True)
        .exclude(action="create")
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    return latest if latest is not None and latest.action == Action.REQUEST_CHANGES else None


def _evidence_items(formset: Any) -> list[EvidenceItem] | None:
    """The evidence list the inline formset describes, in its `order`; None if unchanged."""
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
            id=form.instance.pk,
            source=data["source"],
            quote=data.get("quote", ""),
            stance=data.get("stance") or Stance.CONTEXT,
            note=data.get("note", ""),
        )
        rows.append((data.get("order") or 0, index, item))
    return [item for _, _, item in sorted(rows, key=lambda r: (r[0], r[1]))]
