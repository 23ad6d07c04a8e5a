"""The API's URLs: /api/v1/ (public and editorial), the Google-compatible search, the schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from claims.api import views as editorial_api
from matching import api as matching_api
from sources import api as sources_api

router = SimpleRouter()
# Editorial (signed in; claims.api.views, sources.api).
router.register("claimants", editorial_api.ClaimantViewSet, basename="editorial-claimant")
router.register("claims", editorial_api.ClaimViewSet, basename="editorial-claim")
router.register("sources", sources_api.SourceViewSet, basename="editorial-source")
router.register("reviews", editorial_api.ReviewViewSet, basename="editorial-review")
router.register("revisions", editorial_api.RevisionViewSet, basename="editorial-revision")

urlpatterns = [
    # Public, anonymous, read-only (publishing).
    path("", include("publishing.urls")),
    # Matching (matching.api), before the router: "similar" is no claim id.
    path("v1/claims/similar/", matching_api.SimilarClaimsView.as_view(), name="claims-similar"),
    path(
        "v1/claims/<int:pk>/relations/",
        matching_api.ClaimRelationsView.as_view(),
        name="claim-relations",
    ),
    path("v1/", include(router.urls)),
    # Editorial: importing ClaimReviews (imports.api).
    path("v1/", include("imports.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI under the site's Content-Security-Policy: the "split" view serves its init
    # script from its own URL, so no inline script is needed (its inline <style> is allowed on
    # all staff screens by core.middleware).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
