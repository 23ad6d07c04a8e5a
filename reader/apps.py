from django.apps import AppConfig


class ReaderConfig(AppConfig):
    """What readers see (no models): pages, the Atom feed, sitemaps, the page cache and the
    template tags; templates under templates/reader/."""

    name = "reader"
    verbose_name = "Reader site"
