"""The imports API's URLs under /api/v1/ (DESIGN.md section 6)."""

from django.urls import path

from imports import api

urlpatterns = [
    path("imports/", api.ImportView.as_view(), name="api-imports"),
    path("imports/<int:run>/", api.ImportRunView.as_view(), name="api-import-run"),
]
