from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "factcheck"
admin.site.site_title = "factcheck"
admin.site.index_title = "Newsroom"

handler400 = "core.api.bad_request"
handler404 = "core.api.not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("factcheck.api_urls")),
    # The reader site: /, /claims/<slug>/, /search/, /feeds/latest/, /sitemap.xml, ...
    path("", include("reader.urls")),
]
