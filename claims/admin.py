import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.audit import review_field_history
from claims.claimreview import review_claimreview
from claims.exceptions import Conflict
from claims.forms import (
    ACTION_LABELS,
    WORKFLOW_FORMS,
    AppearanceAdminForm,
    ClaimAdminForm,
    ReviewAdminForm,
    run_action,
)
from claims.models import (
    Appearance,
    Claim,
    Claimant,
    Correction,
    Evidence,
    Publisher,
    Rating,
    RatingScale,
    Review,
    ReviewStatus,
    Stance,
    Topic,
    WorkflowEvent,
)
from claims.permissions import (
    CLAIM_PUBLIC_FIELDS,
    CLAIM_PUBLISHED_IS_LOCKED,
    PUBLISH_REVIEW,
    REVIEW_REVIEW,
    Action,
    allowed_actions,
    awaiting_publication_by,
    awaiting_review_by,
    can,
    claim_slug_is_permanent,
    ensure_can,
    locking_review_id,
    written_by,
)
from claims.services import CLAIM_FIELDS, CONTENT_FIELDS
from core.admin import BoundedIntegerLookups

REVERT_REFUSED = "Old versions are shown, never restored: edit the review (or correct it) instead."
ACTION_DONE = "{action}: done for \u201c{review}\u201d."


class ServiceRefusalAsMessage:
    """For admins that save through claims.services: a save that lost a race past the form's
    checks (another edit, or a publication, came first) is refused by the service inside its
    transaction, so nothing was written; show why and reload the page instead of a 500."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(  # type: ignore[misc]
                request, object_id, form_url, extra_context
            )
        except (Conflict, ValidationError) as exc:
            messages.error(request, _message(exc))
            return HttpResponseRedirect(request.get_full_path())


@admin.register(Topic)
class TopicAdmin(BoundedIntegerLookups, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Claimant)
class ClaimantAdmin(BoundedIntegerLookups, admin.ModelAdmin):
    list_display = ["name", "kind", "job_title"]
    list_filter = ["kind"]
    search_fields = ["name", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]


class AppearanceFormSet(forms.BaseInlineFormSet):
    """The claim's appearances as one list: at most one of them is the first (the database
    enforces it row by row, so two new rows marked first would otherwise fail on save)."""

    def clean(self) -> None:
        super().clean()
        firsts = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not (self.can_delete and form.cleaned_data.get("DELETE"))
            and form.cleaned_data.get("first")
        ]
        if len(firsts) > 1:
            raise ValidationError(services.TWO_FIRST_APPEARANCES, code="two_first_appearances")


def _locking_review(request: HttpRequest, claim_id: int | None) -> int | None:
    """claims.permissions.locking_review_id(), asked once per request and claim (the admin
    asks many times a page)."""
    answers = request.__dict__.setdefault("_locking_review", {})
    if claim_id not in answers:
        answers[claim_id] = locking_review_id(claim_id)
    return answers[claim_id]


def _slug_is_permanent(request: HttpRequest, claim_id: int) -> bool:
    """claims.permissions.claim_slug_is_permanent(), asked once per request and claim."""
    answers = request.__dict__.setdefault("_slug_is_permanent", {})
    if claim_id not in answers:
        answers[claim_id] = claim_slug_is_permanent(claim_id)
    return bool(answers[claim_id])


def _claim_editable(request: HttpRequest, claim: Claim | None) -> bool:
    """Whether the claim's public fields and appearances may be edited (not locked by a
    published review of ours); a claim not yet saved always may."""
    return claim is None or _locking_review(request, claim.pk) is None


class AppearanceInline(admin.TabularInline):
    """The claim's appearances, saved with the claim by claims.services (ClaimAdmin); read-only
    while the claim's fact check is published."""

    model = Appearance
    formset = AppearanceFormSet
    extra = 0
    fields = ["url", "archived_url", "title", "date", "first", "order"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _claim_editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _claim_editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _claim_editable(request, obj) and super().has_delete_permission(request, obj)


@admin.register(Appearance)
class AppearanceAdmin(ServiceRefusalAsMessage, BoundedIntegerLookups, admin.ModelAdmin):
    """Appearances one by one. Each add, edit and delete rewrites its claim's list through
    claims.services.claim_update, so the rules of the claim page hold here too: one first
    appearance, and nothing changes while the claim's fact check is published (then the page
    is read-only, and a correction of the review is the way)."""

    form = AppearanceAdminForm
    list_display = ["__str__", "claim", "date", "first"]
    list_filter = ["first"]
    list_select_related = ["claim"]
    search_fields = ["url", "title", "claim__text"]
    autocomplete_fields = ["claim"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # An appearance belongs to its claim: it is not moved to another one.
        return ["claim"] if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        editable = obj is None or _claim_editable(request, obj.claim)
        return editable and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        editable = obj is None or _claim_editable(request, obj.claim)
        return editable and super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Bulk deletion would skip the services; appearances are deleted one at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: Appearance, form: Any, change: bool) -> None:
        current = list(obj.claim.appearances.all())
        items = [(a.order, i, _item(a)) for i, a in enumerate(current) if a.pk != obj.pk]
        # In its place among the others (the end, when new), unless its order moved it.
        place = next((i for i, a in enumerate(current) if a.pk == obj.pk), len(current))
        items.append((obj.order, place, _item(obj)))
        services.claim_update(
            claim=obj.claim,
            by=request.user,
            changes={},
            appearances=[item for _, _, item in sorted(items, key=lambda r: (r[0], r[1]))],
        )
        obj.pk = obj.claim.appearances.get(url=obj.url).pk

    def delete_model(self, request: HttpRequest, obj: Appearance) -> None:
        services.claim_update(
            claim=obj.claim,
            by=request.user,
            changes={},
            appearances=[_item(a) for a in obj.claim.appearances.all() if a.pk != obj.pk],
        )


def _item(appearance: Appearance) -> services.AppearanceItem:
    return services.AppearanceItem(
        url=appearance.url,
        archived_url=appearance.archived_url,
        title=appearance.title,
        date=appearance.date,
        first=appearance.first,
    )


class ClaimReviewInline(admin.TabularInline):
    """The claim's reviews, ours and imported, read-only with a link to each."""

    model = Review
    extra = 0
    can_delete = False
    show_change_link = True
    fields = readonly_fields = ("headline", "publisher", "rating", "status", "publish_at")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Review]:
        return super().get_queryset(request).select_related("publisher", "rating")


@admin.register(Claim)
class ClaimAdmin(ServiceRefusalAsMessage, BoundedIntegerLookups, SimpleHistoryAdmin):
    """Claims, saved through claims.services (claim_create / claim_update, with their topics
    and appearances in one call), so the admin cannot bypass the rules of the API.

    While the claim's fact check is published (claims.permissions.claim_is_locked) its public
    fields and appearances are read-only here and change through a correction of the review;
    its topics stay editable. The slug is read-only once a review of it has been published
    (claim_slug_is_permanent). Claimants and sources have pages of their own and stay editable:
    many claims share them, and editing one is not a change of one fact check. Old versions are
    shown, never restored.
    """

    form = ClaimAdminForm
    change_form_template = "admin/claims/claim/change_form.html"
    list_display = ["__str__", "claimant", "date_claimed", "language"]
    list_filter = [("claimant", admin.RelatedOnlyFieldListFilter), "language", "topics"]
    list_select_related = ["claimant"]
    search_fields = ["text", "short_text", "claimant__name", "venue"]
    autocomplete_fields = ["claimant", "topics"]
    date_hierarchy = "date_claimed"
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AppearanceInline, ClaimReviewInline]
    fieldsets = [
        (None, {"fields": ["text", "short_text", "slug", "claimant", "rendered_locked"]}),
        ("When and where", {"fields": ["date_claimed", "venue", "language", "topics"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return fields
        if not _claim_editable(request, obj):
            return [*fields, *CLAIM_PUBLIC_FIELDS]
        if _slug_is_permanent(request, obj.pk):
            return [*fields, "slug"]
        return fields

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # A page only to view: no form, so no marker of how it was rendered.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "rendered_locked"]})
            for name, options in fieldsets
        ]

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The slug is the public page's address: typed along with the short form only when the
        # claim is added.
        return {"slug": ["short_text"]} if obj is None else {}

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        form.locked = not _claim_editable(request, obj)
        return form

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> Any:
        review_id = _locking_review(request, obj.pk) if obj is not None else None
        if review_id is not None:
            context["claim_locked"] = CLAIM_PUBLISHED_IS_LOCKED
            context["locking_review_url"] = reverse("admin:claims_review_change", args=[review_id])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request: HttpRequest, obj: Claim, form: Any, change: bool) -> None:
        """Nothing here: the claim is written in save_related, with its topics and appearances,
        by one service call."""

    def save_related(
        self, request: HttpRequest, form: Any, formsets: list[Any], change: bool
    ) -> None:
        appearances = _appearance_items(next(fs for fs in formsets if fs.model is Appearance))
        data = form.cleaned_data
        fields = {name: data[name] for name in (*CLAIM_FIELDS, "slug") if name in data}
        topics = data.get("topics")
        if change:
            claim = services.claim_update(
                claim=form.instance,
                by=request.user,
                changes={k: v for k, v in fields.items() if k in form.changed_data},
                topics=topics if "topics" in form.changed_data else None,
                appearances=appearances,
            )
        else:
            claim = services.claim_create(
                by=request.user,
                topics=topics if topics is not None else [],
                appearances=appearances or [],
                **fields,
            )
        form.instance.pk = claim.pk
        form.instance.slug = claim.slug
        for formset in formsets:  # read by the admin's change message
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request: HttpRequest, obj: Claim) -> None:
        services.claim_delete(claim=obj, by=request.user)

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # Restoring an old version would bypass the services (and a published fact check).
        if request.method == "POST":
            raise PermissionDenied(REVERT_REFUSED)
        return super().history_form_view(request, object_id, version_id, extra_context)


def _appearance_items(formset: Any) -> list[services.AppearanceItem] | None:
    """The appearance list the claim's inline formset describes, in its `order`; None when
    unchanged (or read-only)."""
    if not formset.has_changed():
        return None
    rows = []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        if form.instance.pk is None and not form.has_changed():
            continue
        item = services.AppearanceItem(
            url=data["url"],
            archived_url=data.get("archived_url") or "",
            title=data.get("title") or "",
            date=data.get("date"),
            first=bool(data.get("first")),
        )
        rows.append((data.get("order") or 0, index, item))
    return [item for _, _, item in sorted(rows, key=lambda r: (r[0], r[1]))]


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0
    fields = ["label", "slug", "value", "colour", "order", "description", "image_url"]
    prepopulated_fields = {"slug": ["label"]}


@admin.register(RatingScale)
class RatingScaleAdmin(BoundedIntegerLookups, admin.ModelAdmin):
    list_display = ["name", "is_default"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RatingInline]


@admin.register(Rating)
class RatingAdmin(BoundedIntegerLookups, admin.ModelAdmin):
    list_display = ["label", "scale", "value", "colour_swatch", "order"]
    list_filter = ["scale"]
    list_select_related = ["scale"]
    search_fields = ["label"]
    prepopulated_fields = {"slug": ["label"]}

    @admin.display(description="colour")
    def colour_swatch(self, rating: Rating) -> str:
        return format_html(
            '<span style="background:{};color:{};padding:0 .5em">{}</span>',
            rating.colour,
            rating.text_colour,
            rating.colour,
        )


@admin.register(Publisher)
class PublisherAdmin(BoundedIntegerLookups, admin.ModelAdmin):
    list_display = ["name", "site", "url"]
    search_fields = ["name", "site"]


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
    fields = readonly_fields = ("created_at", "actor", "action", "source", "target", "comment")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkflowEvent]:
        return super().get_queryset(request).select_related("actor")


def _can_cached(request: HttpRequest, action: Action, review: Review) -> bool:
    """`can()` asked once per request, review and action (the admin asks many times a page)."""
    answers = request.__dict__.setdefault("_review_permissions", {})
    key = (review.pk, review.status, action)
    if key not in answers:
        answers[key] = can(request.user, action, review)
    return bool(answers[key])


class ForMeFilter(admin.SimpleListFilter):
    """What is waiting for the signed-in user, and what they wrote."""

    title = "for me"
    parameter_name = "for_me"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        options = []
        if request.user.has_perm(REVIEW_REVIEW):
            options.append(("review", "Awaiting my review"))
        if request.user.has_perm(PUBLISH_REVIEW):
            options.append(("publish", "Approved, for me to publish"))
        options.append(("mine", "Mine"))
        return options

    def queryset(self, request: HttpRequest, queryset: QuerySet[Review]) -> QuerySet[Review]:
        pick = {
            "review": awaiting_review_by,
            "publish": awaiting_publication_by,
            "mine": written_by,
        }.get(self.value() or "")
        return pick(request.user, queryset) if pick else queryset


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
    list_filter = [
        ForMeFilter,
        "status",
        "rating",
        ("claim__claimant", admin.RelatedOnlyFieldListFilter),
        "language",
        "claim__topics",
        ("publisher", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["claim", "rating", "publisher"]
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
            review = services.review_update(
                review=form.instance,
                by=request.user,
                version=form.cleaned_data["based_on_version"],
                changes=changes,  # type: ignore[arg-type]
                evidence=evidence,
            )
        else:
            review = services.review_create(by=request.user, evidence=evidence or [], **content)
        form.instance.pk = review.pk
        form.instance.version = review.version
        for formset in formsets:  # read by the admin's change message
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request: HttpRequest, obj: Review) -> None:
        services.review_delete(review=obj, by=request.user)

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

    def _workflow_context(self, request: HttpRequest, review: Review) -> dict[str, Any]:
        actions = []
        for action in allowed_actions(request.user, review):
            url = reverse("admin:claims_review_workflow", args=[review.pk, action.value])
            # The correction form needs the whole text of the review and its claim: it has a
            # page of its own (and is not built here, where it would cost queries for nothing).
            form = (
                None
                if action is Action.CORRECT
                else WORKFLOW_FORMS[action](review=review, prefix=action.value)
            )
            actions.append(
                {"action": action.value, "label": ACTION_LABELS[action], "url": url, "form": form}
            )
        document, result = review_claimreview(Review.objects.for_claimreview().get(pk=review.pk))
        return {
            "workflow_actions": actions,
            "workflow_status": review.get_status_display(),
            "workflow_scheduled": review.status == ReviewStatus.PUBLISHED
            and not review.is_public(),
            "claimreview_json": json.dumps(document, indent=2, ensure_ascii=False),
            "claimreview_validation": result,
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
        if workflow_action not in WORKFLOW_FORMS:
            raise Http404
        change_url = reverse("admin:claims_review_change", args=[review.pk])
        label = ACTION_LABELS[workflow_action].rstrip("…")
        form_class = WORKFLOW_FORMS[workflow_action]
        try:
            ensure_can(request.user, workflow_action, review)
        except Conflict as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(change_url)

        if request.method == "POST":
            form = form_class(request.POST, review=review, prefix=workflow_action.value)
            if form.is_valid():
                try:
                    run_action(workflow_action, review, request.user, form.cleaned_data)
                except ValidationError as exc:
                    _add_errors(form, exc)
                except Conflict as exc:
                    messages.error(request, exc.message)
                    return HttpResponseRedirect(change_url)
                else:
                    messages.success(request, ACTION_DONE.format(action=label, review=review))
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


def _evidence_items(formset: Any) -> list[services.EvidenceItem] | None:
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
        item = services.EvidenceItem(
            id=form.instance.pk,
            source=data["source"],
            quote=data.get("quote", ""),
            stance=data.get("stance") or Stance.CONTEXT,
            note=data.get("note", ""),
        )
        rows.append((data.get("order") or 0, index, item))
    return [item for _, _, item in sorted(rows, key=lambda r: (r[0], r[1]))]


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _message(exc: Exception) -> str:
    if isinstance(exc, Conflict):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


@admin.register(Evidence)
class EvidenceAdmin(BoundedIntegerLookups, SimpleHistoryAdmin):
    """Evidence, read-only here: it is edited on its review's page, where edits follow the
    review's workflow (version, state)."""

    list_display = ["__str__", "review", "stance", "order"]
    list_filter = ["stance"]
    list_select_related = ["review", "source"]
    search_fields = ["quote", "note", "source__title", "review__headline"]
    autocomplete_fields = ["review", "source"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "POST":
            raise PermissionDenied(REVERT_REFUSED)
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Correction)
class CorrectionAdmin(BoundedIntegerLookups, admin.ModelAdmin):
    """Corrections are written by the correct/update workflow action; here they are read."""

    list_display = ["review", "kind", "created_at", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["review", "created_by"]
    search_fields = ["note", "review__headline"]
    readonly_fields = ["review", "kind", "note", "created_at", "created_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    # A published correction is part of the public record: never rewritten or removed.
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(BoundedIntegerLookups, admin.ModelAdmin):
    """The audit trail: read-only for everyone."""

    list_display = ["created_at", "review", "actor", "action", "source", "target"]
    list_filter = ["action", "target"]
    list_select_related = ["review", "actor"]
    search_fields = ["review__headline", "comment", "actor__username"]
    readonly_fields = ["review", "actor", "action", "source", "target", "comment", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
