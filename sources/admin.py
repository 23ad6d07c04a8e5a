from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from core.admin import BasedOnVersionForm, BoundedIntegerLookups, ServiceRefusalAsMessage
from sources import services
from sources.models import Source


@admin.register(Source)
class SourceAdmin(ServiceRefusalAsMessage, BoundedIntegerLookups, SimpleHistoryAdmin):
    """Sources, saved through sources.services with the `version` the page was rendered from
    (a stale save is a form error and writes nothing)."""

    form = BasedOnVersionForm
    list_display = ["title", "publisher", "kind", "date_published", "url"]
    list_filter = ["kind"]
    search_fields = ["title", "publisher", "author", "url"]
    date_hierarchy = "date_published"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["url", "title", "publisher", "author", "kind", "based_on_version"]}),
        ("Dates and archive", {"fields": ["date_published", "accessed_at", "archived_url"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def save_model(self, request: HttpRequest, obj: Source, form: Any, change: bool) -> None:
        data = form.cleaned_data
        fields = {name: data[name] for name in services.SOURCE_FIELDS if name in data}
        if change:
            changes = {k: v for k, v in fields.items() if k in form.changed_data}
            saved = services.source_update(
                source=obj, by=request.user, changes=changes, version=data["based_on_version"]
            )
        else:
            saved = services.source_create(by=request.user, **fields)
        obj.pk, obj.version = saved.pk, saved.version

    def delete_model(self, request: HttpRequest, obj: Source) -> None:
        services.source_delete(source=obj, by=request.user)
