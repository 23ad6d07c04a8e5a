from django.contrib import admin
from django.urls import include, path

from core import health

admin.site.site_header = "factcheck"
admin.site.site_title = "factcheck"
admin.site.index_title = "Newsroom"

handler400 = "core.api.bad_request"
handler404 = "core.api.not_found"
handler500 = "core.health.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/", include("factcheck.api_urls")),
    # The reader site: /, /claims/<slug>/, /search/, /feeds/latest/, /sitemap.xml, ...
    path("", include("reader.urls")),
]
