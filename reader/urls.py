"""The reader site's URLs (DESIGN.md section 6; the paths are a contract)."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from reader import views
from reader.feeds import LatestFactChecksFeed
from reader.sitemaps import SITEMAPS, sitemap_index

app_name = "reader"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim"),
    path("claims/<slug:slug>/embed/", views.claim_embed, name="embed"),
    path("claimants/<slug:slug>/", views.claimant_detail, name="claimant"),
    path("search/", views.search, name="search"),
    path("ratings/", views.ratings, name="ratings"),
    path("corrections/", views.corrections, name="corrections"),
    path("ratings.css", views.rating_styles, name="rating-styles"),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin, the API).
    path("favicon.ico", views.favicon),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "feeds/latest/",
        views.public_page()(LatestFactChecksFeed()),
        name="feed",
    ),
    path("sitemap.xml", views.public_page()(sitemap_index), name="sitemap"),
    path(
        "sitemap-<section>.xml",
        views.public_page("p")(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
