"""Read-only records in the admin: evidence (edited on its review's page), corrections (part of
the public record) and the audit trail."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from claims.admin.claims import REVERT_REFUSED
from claims.models import Correction, Evidence, WorkflowEvent
from core.admin import BoundedIntegerLookups


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
