from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

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
    Topic,
    WorkflowEvent,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Claimant)
class ClaimantAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "job_title"]
    list_filter = ["kind"]
    search_fields = ["name", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]


class AppearanceInline(admin.TabularInline):
    model = Appearance
    extra = 0
    fields = ["url", "archived_url", "title", "date", "first", "order"]


@admin.register(Appearance)
class AppearanceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "claim", "date", "first"]
    list_filter = ["first"]
    list_select_related = ["claim"]
    search_fields = ["url", "title", "claim__text"]
    autocomplete_fields = ["claim"]


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
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "claimant", "date_claimed", "language"]
    list_filter = [("claimant", admin.RelatedOnlyFieldListFilter), "language", "topics"]
    list_select_related = ["claimant"]
    search_fields = ["text", "short_text", "claimant__name", "venue"]
    autocomplete_fields = ["claimant", "topics"]
    prepopulated_fields = {"slug": ["short_text"]}
    date_hierarchy = "date_claimed"
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AppearanceInline, ClaimReviewInline]
    fieldsets = [
        (None, {"fields": ["text", "short_text", "slug", "claimant"]}),
        ("When and where", {"fields": ["date_claimed", "venue", "language", "topics"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0
    fields = ["label", "slug", "value", "colour", "order", "description", "image_url"]
    prepopulated_fields = {"slug": ["label"]}


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RatingInline]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
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
class PublisherAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "url"]
    search_fields = ["name", "site"]


class EvidenceInline(admin.StackedInline):
    model = Evidence
    extra = 0
    fields = [("source", "stance", "order"), "quote", "note"]
    autocomplete_fields = ["source"]


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    can_delete = False
    fields = readonly_fields = ("created_at", "kind", "note", "created_by")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class WorkflowEventInline(admin.TabularInline):
    model = WorkflowEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("created_at", "actor", "action", "source", "target", "comment")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkflowEvent]:
        return super().get_queryset(request).select_related("actor")


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["headline", "claim_link", "rating", "status", "publish_at", "publisher"]
    list_filter = [
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
    autocomplete_fields = ["claim", "authors"]
    readonly_fields = [
        "status",
        "version",
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
    fieldsets = [
        (
            None,
            {"fields": ["claim", "rating", "headline", "summary", "body", "language", "authors"]},
        ),
        (
            "Imported from another publisher",
            {"fields": ["publisher", "rating_label", "external_url"], "classes": ["collapse"]},
        ),
        (
            "Workflow",
            {
                "fields": [
                    "status",
                    "version",
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
            },
        ),
    ]
    inlines = [EvidenceInline, CorrectionInline, WorkflowEventInline]

    @admin.display(description="claim", ordering="claim__short_text")
    def claim_link(self, review: Review) -> str:
        url = reverse("admin:claims_claim_change", args=[review.claim_id])
        return format_html('<a href="{}">{}</a>', url, review.claim)


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "review", "stance", "order"]
    list_filter = ["stance"]
    list_select_related = ["review", "source"]
    search_fields = ["quote", "note", "source__title", "review__headline"]
    autocomplete_fields = ["review", "source"]


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Corrections are written by the correct/update workflow action; here they are read."""

    list_display = ["review", "kind", "created_at", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["review", "created_by"]
    search_fields = ["note", "review__headline"]
    readonly_fields = ["review", "kind", "note", "created_at", "created_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(admin.ModelAdmin):
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
