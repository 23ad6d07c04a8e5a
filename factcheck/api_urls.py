"""The API's URLs: /api/v1/ (public and editorial), the Google-compatible search, the schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from claims import api as editorial_api
from claims import google, public_api
from sources import api as sources_api

router = SimpleRouter()
# Editorial (signed in; claims.api, sources.api).
router.register("claimants", editorial_api.ClaimantViewSet, basename="editorial-claimant")
router.register("claims", editorial_api.ClaimViewSet, basename="editorial-claim")
router.register("sources", sources_api.SourceViewSet, basename="editorial-source")
router.register("reviews", editorial_api.ReviewViewSet, basename="editorial-review")

urlpatterns = [
    # Public, anonymous, read-only (claims.public_api, claims.google).
    path(
        "v1/claim-reviews/",
        public_api.ClaimReviewListView.as_view(),
        name="api-claimreview-list",
    ),
    path(
        "v1/claim-reviews/<slug:slug>/",
        public_api.ClaimReviewDetailView.as_view(),
        name="api-claimreview-detail",
    ),
    path("v1/ratings/", public_api.RatingScaleView.as_view(), name="api-ratings"),
    path("v1/feed/", public_api.DataFeedView.as_view(), name="api-feed"),
    path(
        "google/v1alpha1/claims:search",
        google.ClaimSearchView.as_view(),
        name="api-google-claims-search",
    ),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI under the site's Content-Security-Policy: the "split" view serves its init
    # script from its own URL, so no inline script is needed (its inline <style> is allowed on
    # all staff screens by core.middleware).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
