"""The admin of claims, their claimants, topics and appearances, saved through
claims.services.claims so the admin cannot bypass the rules of the API."""

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from simple_history.admin import SimpleHistoryAdmin

from claims.admin.forms import (
    APPEARANCE_FIELDS,
    APPEARANCE_WIDGETS,
    AppearanceAdminForm,
    ClaimAdminForm,
)
from claims.models import Appearance, Claim, Claimant, Review, Topic
from claims.permissions import (
    CLAIM_PUBLIC_FIELDS,
    CLAIM_PUBLISHED_IS_LOCKED,
    can,
    claim_slug_is_permanent,
    locking_review_id,
)
from claims.services.claimants import (
    CLAIMANT_FIELDS,
    claimant_create,
    claimant_delete,
    claimant_update,
)
from claims.services.claims import (
    CLAIM_FIELDS,
    TWO_FIRST_APPEARANCES,
    AppearanceItem,
    claim_create,
    claim_delete,
    claim_update,
)
from claims.workflow import Action
from core.admin import (
    BasedOnVersionForm,
    BoundedIntegerLookups,
    CappedCountPaginator,
    ServiceRefusalAsMessage,
)

REVERT_REFUSED = "Old versions are shown, never restored: edit the review (or correct it) instead."


@admin.register(Topic)
class TopicAdmin(BoundedIntegerLookups, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class URLListWidget(forms.Widget):
    """A list of URLs as one URL input per line (and one empty input to add another)."""

    def urls(self, value: Any) -> list[str]:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = [value]
        return [str(v) for v in (value or []) if v]

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        element_id = (attrs or {}).get("id", "")
        inputs = format_html_join(
            "\n",
            '<input type="url" name="{}" value="{}" aria-label="URL {}" placeholder="https://" '
            'class="vURLField url-list__item"{}>',
            (
                (name, url, n, format_html(' id="{}"', element_id) if n == 1 else "")
                for n, url in enumerate([*self.urls(value), ""], start=1)
            ),
        )
        return format_html('<div class="url-list" role="group">{}</div>', inputs)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [url.strip() for url in data.getlist(name) if url.strip()]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


class URLListField(forms.Field):
    widget = URLListWidget

    def to_python(self, value: Any) -> list[str]:
        return list(value or [])

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        check = forms.URLField(assume_scheme="https")
        for url in value:
            try:
                check.clean(url)
            except ValidationError:
                raise ValidationError(
                    f"\u201c{url}\u201d is not a web address: enter one URL per box, such as "
                    "https://en.wikipedia.org/wiki/Jeff_Sessions."
                ) from None


class ClaimantAdminForm(BasedOnVersionForm):
    same_as = URLListField(
        label="Same as",
        required=False,
        help_text="Pages that identify this person or organisation: Wikipedia, Wikidata, an "
        "official site. One per box; an empty box adds one.",
    )

    class Meta:
        model = Claimant
        fields = ["name", "slug", "kind", "job_title", "description", "same_as", "image_url"]


@admin.register(Claimant)
class ClaimantAdmin(ServiceRefusalAsMessage, BoundedIntegerLookups, admin.ModelAdmin):
    """Claimants, saved through claims.services.claimants with the `version` the page was
    rendered from (a stale save is a form error and writes nothing)."""

    form = ClaimantAdminForm
    list_display = ["name", "kind", "job_title"]
    list_filter = ["kind"]
    search_fields = ["name", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Claimant, form: Any, change: bool) -> None:
        data = form.cleaned_data
        fields = {name: data[name] for name in CLAIMANT_FIELDS if name in data}
        if change:
            changes = {k: v for k, v in fields.items() if k in form.changed_data}
            saved = claimant_update(
                claimant=obj, by=request.user, changes=changes, version=data["based_on_version"]
            )
        else:
            saved = claimant_create(by=request.user, **fields)
        obj.pk, obj.version = saved.pk, saved.version

    def delete_model(self, request: HttpRequest, obj: Claimant) -> None:
        claimant_delete(claimant=obj, by=request.user)


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
            raise ValidationError(TWO_FIRST_APPEARANCES, code="two_first_appearances")


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
    fields = APPEARANCE_FIELDS
    formfield_overrides = APPEARANCE_WIDGETS

    class Media:
        css = {"all": ["claims/admin/workflow.css"]}

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
        claim_update(
            claim=obj.claim,
            by=request.user,
            changes={},
            appearances=[item for _, _, item in sorted(items, key=lambda r: (r[0], r[1]))],
        )
        obj.pk = obj.claim.appearances.get(url=obj.url).pk

    def delete_model(self, request: HttpRequest, obj: Appearance) -> None:
        claim_update(
            claim=obj.claim,
            by=request.user,
            changes={},
            appearances=[_item(a) for a in obj.claim.appearances.all() if a.pk != obj.pk],
        )


def _item(appearance: Appearance) -> AppearanceItem:
    return AppearanceItem(
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
    # Fast with a million claims, as the reviews' changelist (claims.admin.reviews): small
    # tables in the filters, a capped count, an index for the default order (claim_newest).
    list_filter = ["claimant", "topics"]
    list_select_related = ["claimant"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    search_fields = ["text", "short_text", "claimant__name", "venue"]
    autocomplete_fields = ["claimant", "topics"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AppearanceInline, ClaimReviewInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "text",
                    "short_text",
                    "slug",
                    "claimant",
                    "rendered_locked",
                    "based_on_version",
                ]
            },
        ),
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
        hidden = {"rendered_locked", "based_on_version"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
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
        if obj is not None and obj.pk is not None:
            # One fact check per claim: open it, or add it.
            ours = Review.objects.ours().filter(claim_id=obj.pk).values_list("pk", flat=True)
            existing = ours.first()
            if existing is not None:
                context["fact_check_url"] = reverse("admin:claims_review_change", args=[existing])
            elif can(request.user, Action.CREATE):
                add_url = reverse("admin:claims_review_add")
                context["add_review_url"] = f"{add_url}?claim={obj.pk}"
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
            claim = claim_update(
                claim=form.instance,
                by=request.user,
                changes={k: v for k, v in fields.items() if k in form.changed_data},
                topics=topics if "topics" in form.changed_data else None,
                appearances=appearances,
                version=data.get("based_on_version"),
            )
        else:
            claim = claim_create(
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
        claim_delete(claim=obj, by=request.user)

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # Restoring an old version would bypass the services (and a published fact check).
        if request.method == "POST":
            raise PermissionDenied(REVERT_REFUSED)
        return super().history_form_view(request, object_id, version_id, extra_context)


def _appearance_items(formset: Any) -> list[AppearanceItem] | None:
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
        item = AppearanceItem(
            url=data["url"],
            archived_url=data.get("archived_url") or "",
            title=data.get("title") or "",
            date=data.get("date"),
            first=bool(data.get("first")),
        )
        rows.append((data.get("order") or 0, index, item))
    return [item for _, _, item in sorted(rows, key=lambda r: (r[0], r[1]))]
