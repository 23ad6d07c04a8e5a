"""Import runs and their per-record reports; prior checks as the admin lists them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from claims.models import Review, ReviewQuerySet


class ImportMode(models.TextChoices):
    PRIOR_CHECKS = "prior", "Prior checks (other publishers)"
    ARCHIVE = "archive", "Our archive (--as-ours)"


class ImportRunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportRecordStatus(models.TextChoices):
    IMPORTED = "imported", "Imported"
    UPDATED = "updated", "Updated"
    UNCHANGED = "unchanged", "Unchanged"
    REFUSED = "refused", "Refused"


class ImportRun(models.Model):
    """One import of one document (a file, a POST body, an upload), by whom, in which mode.

    Its records say what became of each ClaimReview found; the counts are theirs, kept on the
    run so a list of runs costs one query. `error` is set when the document as a whole could not
    be read (invalid JSON after byte N, no ClaimReview at all, our archive with labels we have
    no rating for): the records before a mid-document error were imported and stay.
    """

    source = models.CharField(max_length=500, help_text="File name, URL or 'api'.")
    format = models.CharField(max_length=20, blank=True)
    mode = models.CharField(
        max_length=20, choices=ImportMode.choices, default=ImportMode.PRIOR_CHECKS
    )
    status = models.CharField(
        max_length=20, choices=ImportRunStatus.choices, default=ImportRunStatus.RUNNING
    )
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_runs",
    )
    imported = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mode__in=ImportMode.values), name="importrun_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ImportRunStatus.values), name="importrun_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Import #{self.pk} of {self.source}"

    @property
    def counts(self) -> dict[str, int]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "refused": self.refused,
        }

    @property
    def total(self) -> int:
        return self.imported + self.updated + self.unchanged + self.refused


class ImportRecord(models.Model):
    """What became of one ClaimReview of a run: imported, updated, unchanged, or refused with
    the reason (the field and what was wrong). `index` numbers the records of the document from
    0, in reading order; `url` is the review URL as published (empty when there was none)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="records")
    index = models.PositiveIntegerField()
    url = models.CharField("URL", max_length=2000, blank=True)
    status = models.CharField(max_length=20, choices=ImportRecordStatus.choices)
    reason = models.TextField(blank=True)
    review = models.ForeignKey(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="import_records"
    )

    class Meta:
        ordering = ["run", "index"]
        constraints = [
            models.UniqueConstraint(fields=["run", "index"], name="importrecord_unique_index"),
            models.CheckConstraint(
                condition=Q(status__in=ImportRecordStatus.values), name="importrecord_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ImportRecordStatus.REFUSED) | ~Q(reason=""),
                name="importrecord_refused_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.index} {self.get_status_display()}"


class PriorCheckManager(models.Manager[Review]):
    def get_queryset(self) -> ReviewQuerySet:
        return ReviewQuerySet(self.model, using=self._db).imported()


class PriorCheck(Review):
    """Another publisher's fact check we imported, as the admin's "Prior checks" list shows it:
    the same rows as `Review.objects.imported()`, read-only reference data."""

    objects = PriorCheckManager()  # type: ignore[assignment,misc]

    class Meta:
        proxy = True
        verbose_name = "prior check"
        verbose_name_plural = "prior checks"
