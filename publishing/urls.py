"""The public API's URLs under /api/ (DESIGN.md section 6; the paths are a contract)."""

from django.urls import path

from publishing import api, google

urlpatterns = [
    path("v1/claim-reviews/", api.ClaimReviewListView.as_view(), name="api-claimreview-list"),
    path(
        "v1/claim-reviews/<slug:slug>/",
        api.ClaimReviewDetailView.as_view(),
        name="api-claimreview-detail",
    ),
    path("v1/ratings/", api.RatingScaleView.as_view(), name="api-ratings"),
    path("v1/feed/", api.DataFeedView.as_view(), name="api-feed"),
    path(
        "google/v1alpha1/claims:search",
        google.ClaimSearchView.as_view(),
        name="api-google-claims-search",
    ),
]
