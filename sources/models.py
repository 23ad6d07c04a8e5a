from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.validators import validate_visible_host
from sources.normalize import normalize_url


class SourceKind(models.TextChoices):
    OFFICIAL_RECORD = "official_record", "Official record"
    TRANSCRIPT = "transcript", "Transcript"
    NEWS_REPORT = "news_report", "News report"
    DATASET = "dataset", "Dataset"
    STATEMENT = "statement", "Statement"
    SOCIAL_POST = "social_post", "Social media post"
    OTHER = "other", "Other"


class Source(models.Model):
    """A document a review relies on: a transcript, an official record, a news report.

    One row per document: `url` is stored normalised (see sources.normalize) and is unique, so two
    fact-checkers citing the same report with different tracking parameters share one Source.
    `save()` normalises; the `source_url_normalised` constraint refuses a row written around it.
    """

    url = models.URLField("URL", max_length=2000, unique=True, validators=[validate_visible_host])
    title = models.CharField(max_length=500)
    publisher = models.CharField(
        max_length=200, blank=True, help_text="The outlet or body that published it."
    )
    author = models.CharField(max_length=200, blank=True)
    date_published = models.DateField(null=True, blank=True)
    archived_url = models.URLField(
        "archived URL", max_length=2000, blank=True, validators=[validate_visible_host]
    )
    accessed_at = models.DateField("accessed", null=True, blank=True)
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.OTHER)
    # Optimistic locking, as on reviews: bumped by every edit (sources.services).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="source_version_positive"),
            # The database's half of sources.normalize.normalize_url: http(s) scheme and host in
            # lower case, a path, no fragment, no default port, no trailing slash after a
            # non-root path, no tracking parameters.
            models.CheckConstraint(
                condition=Q(url__regex=r"^https?://[^/?#A-Z@]+/[^#]*$")
                & ~Q(url__regex=r"^(http://[^/]*:80|https://[^/]*:443)/")
                & ~Q(url__regex=r"^https?://[^/]+/[^?]*/(\?|$)")
                & ~Q(
                    url__regex=(
                        r"[?&](utm_[^=&]*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid"
                        r"|twclid|igshid|mc_cid|mc_eid|_ga|_gl)(=|&|$)"
                    )
                ),
                name="source_url_normalised",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.url = normalize_url(self.url)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.url:
            self.url = normalize_url(self.url)
