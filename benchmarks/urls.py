"""The site's URLs plus the throughput benchmark's reference view (benchmarks.limit)."""

from django.urls import path

from benchmarks.limit import limit
from factcheck.urls import handler404
from factcheck.urls import urlpatterns as site_urlpatterns

__all__ = ["handler404", "urlpatterns"]

urlpatterns = [path("bench/limit/", limit, name="bench-limit"), *site_urlpatterns]
