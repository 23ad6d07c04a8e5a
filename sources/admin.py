from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import BoundedIntegerLookups
from sources.models import Source


@admin.register(Source)
class SourceAdmin(BoundedIntegerLookups, SimpleHistoryAdmin):
    list_display = ["title", "publisher", "kind", "date_published", "url"]
    list_filter = ["kind"]
    search_fields = ["title", "publisher", "author", "url"]
    date_hierarchy = "date_published"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["url", "title", "publisher", "author", "kind"]}),
        ("Dates and archive", {"fields": ["date_published", "accessed_at", "archived_url"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
