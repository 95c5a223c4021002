"""A person's "My data" download: asked for, built by a task, kept privately until it expires."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def export_file_name(instance, filename: str) -> str:
    """Random, under `private/`: the name says nothing about whose data it holds."""
    return f"private/privacy/exports/{secrets.token_hex(16)}.json"


class DataExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired (file deleted)")

    @classmethod
    def in_progress(cls) -> list[str]:
        return [cls.QUEUED, cls.RUNNING]


class DataExport(models.Model):
    """Changed only by `minegap.privacy.services`; the file is served only to its owner."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DataExportStatus.choices,
        default=DataExportStatus.QUEUED,
    )
    # Per cent of the sections written, so the page can show how far it is.
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(upload_to=export_file_name, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    # The language of the page it was asked on: the task writes the labels and the e-mail in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("download link expires at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        constraints = [
            # One export in progress per person: a second click or a second tab cannot start
            # another (the service refuses first; this is the second line of defence).
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["queued", "running"]),
                name="data_export_one_in_progress",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="data_export_progress_percent"
            ),
            models.CheckConstraint(
                condition=~Q(status="ready")
                | (Q(expires_at__isnull=False) & Q(finished_at__isnull=False) & ~Q(file="")),
                name="data_export_ready_has_file_and_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.get_status_display()} ({self.created_at:%Y-%m-%d})"

    @property
    def in_progress(self) -> bool:
        return self.status in DataExportStatus.in_progress()

    def is_expired_at(self, moment) -> bool:
        return self.expires_at is not None and moment >= self.expires_at
