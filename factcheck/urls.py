from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "factcheck"
admin.site.site_title = "factcheck"
admin.site.index_title = "Newsroom"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("factcheck.api_urls")),
    # Until the reader site exists, the front door leads to the newsroom.
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
