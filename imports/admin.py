"""The admin of imports: import runs with their records, an upload form calling the one import
service, and the "Prior checks" list (other publishers' reviews we imported), read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from core.admin import BoundedIntegerLookups
from imports.models import ImportRecord, ImportRun, PriorCheck
from imports.services import can_import, import_document

FILE_TOO_LARGE = "The file is larger than {limit} bytes: use manage.py import_claimreviews."


class ImportForm(forms.Form):
    document = forms.FileField(
        help_text="JSON-LD, a DataFeed, a Fact Check Tools response, JSON Lines or an HTML page."
    )
    url = forms.URLField(
        required=False, assume_scheme="https", help_text="For an HTML page: its address."
    )
    as_ours = forms.BooleanField(
        required=False, label="Our own archive (publishers: our past fact checks, as ours)"
    )
    dry_run = forms.BooleanField(required=False, help_text="Report only; write nothing.")

    def clean_document(self) -> Any:
        document = self.cleaned_data["document"]
        limit = settings.FACTCHECK_IMPORT_MAX_BYTES
        if document.size > limit:
            raise forms.ValidationError(FILE_TOO_LARGE.format(limit=limit))
        return document


class ImportRecordInline(admin.TabularInline):
    model = ImportRecord
    fields = ["index", "status", "link", "reason", "review"]
    readonly_fields = ["index", "status", "link", "reason", "review"]
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    @admin.display(description="URL")
    def link(self, record: ImportRecord) -> str:
        if not record.url.startswith(("https://", "http://")):
            return record.url
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', record.url, record.url)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("review")


@admin.register(ImportRun)
class ImportRunAdmin(BoundedIntegerLookups, admin.ModelAdmin):
    """Every import, its counts and records; "Add" is the upload form (imports.services)."""

    # The upload form takes documents up to FACTCHECK_IMPORT_MAX_BYTES (its form checks the
    # file's size), more than other admin bodies (core.middleware.RequestLimitsMiddleware).
    max_body_bytes = staticmethod(lambda: settings.FACTCHECK_IMPORT_MAX_BYTES)

    list_display = [
        "__str__",
        "mode",
        "status",
        "imported",
        "updated",
        "unchanged",
        "refused",
        "created_by",
        "started_at",
    ]
    list_filter = ["status", "mode", "format"]
    list_select_related = ["created_by"]
    search_fields = ["source", "error"]
    readonly_fields = [
        "source",
        "format",
        "mode",
        "status",
        "error",
        "created_by",
        "imported",
        "updated",
        "unchanged",
        "refused",
        "started_at",
        "finished_at",
    ]
    inlines = [ImportRecordInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if not self.has_add_permission(request) or not can_import(request.user):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
        if request.method == "POST" and form.is_valid():
            as_ours = form.cleaned_data["as_ours"]
            if as_ours and not can_import(request.user, as_ours=True):
                form.add_error("as_ours", "Importing our archive is for publishers only.")
            else:
                upload = form.cleaned_data["document"]
                run = import_document(
                    stream=upload,
                    source=upload.name,
                    by=request.user,  # type: ignore[arg-type]
                    base_url=form.cleaned_data["url"] or "",
                    as_ours=as_ours,
                    dry_run=form.cleaned_data["dry_run"],
                )
                counts = ", ".join(f"{n} {what}" for what, n in run.counts.items())
                if run.error:
                    messages.error(request, f"{upload.name}: {run.error}")
                else:
                    messages.success(request, f"{upload.name}: {counts}.")
                if run.pk:
                    return HttpResponseRedirect(
                        reverse("admin:imports_importrun_change", args=[run.pk])
                    )
                return HttpResponseRedirect(reverse("admin:imports_importrun_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Import ClaimReviews",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/imports/upload.html", context)


@admin.register(PriorCheck)
class PriorCheckAdmin(BoundedIntegerLookups, admin.ModelAdmin):
    """Other publishers' fact checks: "this was already checked". Read-only reference data."""

    list_display = [
        "headline",
        "publisher",
        "rating_label",
        "verdict",
        "language",
        "date_published",
        "link",
    ]
    list_filter = ["verdict", "publisher", "language", "date_published"]
    list_select_related = ["publisher", "claim"]
    search_fields = [
        "headline",
        "claim__text",
        "rating_label",
        "publisher__name",
        "publisher__site",
        "external_url",
    ]
    date_hierarchy = "date_published"
    ordering = ["-date_published", "-id"]
    fields = [
        "headline",
        "publisher",
        "link",
        "claim",
        "rating_label",
        "rating_value",
        "rating_best",
        "rating_worst",
        "verdict",
        "language",
        "date_published",
        "date_modified",
        "summary",
    ]
    readonly_fields = [
        "headline",
        "publisher",
        "link",
        "claim",
        "rating_label",
        "rating_value",
        "rating_best",
        "rating_worst",
        "verdict",
        "language",
        "date_published",
        "date_modified",
        "summary",
    ]

    @admin.display(description="Their page")
    def link(self, review: PriorCheck) -> str:
        return format_html(
            '<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>',
            review.external_url,
            review.publisher.site if review.publisher else review.external_url,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
