from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """What machines read (no models): the public ClaimReview API, the DataFeed and the
    Google-compatible claims:search, over `Review.objects.published()` and imported reviews."""

    name = "publishing"
    verbose_name = "Publishing"
