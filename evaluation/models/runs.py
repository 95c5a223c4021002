"""A run of the automatic assignment, asked on the staff page and done by a Celery task: what the
page polls to show how far it is and what came of it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import Call


class AssignmentRunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")

    @classmethod
    def in_progress(cls) -> list[str]:
        return [cls.QUEUED, cls.RUNNING]


class AssignmentRunStage(models.TextChoices):
    """What a running run is doing. Kept in the cache, not in the row: the run is one
    transaction, whose writes nobody sees before it ends (`evaluation.selectors_assignment.run_stage`)."""

    WAITING = "", _("Waiting for a worker")
    READING = "reading", _("Reading the applications, evaluators and conflicts")
    SOLVING = "solving", _("Finding the best assignment")
    WRITING = "writing", _("Saving the assignments")


# How long a stage is remembered: longer than any run takes.
RUN_STAGE_SECONDS = 60 * 60


def run_stage_key(run_id: int) -> str:
    """The cache key of a running run's stage."""
    return f"evaluation:assignment-run:{run_id}:stage"


class AssignmentRun(models.Model):
    """Changed only by `evaluation.services.assignment`."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="assignment_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssignmentRunStatus.choices,
        default=AssignmentRunStatus.QUEUED,
    )
    created = models.PositiveIntegerField(_("assignments made"), null=True, blank=True)
    total_match = models.IntegerField(_("total match"), null=True, blank=True)
    # Why nothing was saved: the missing evaluators of an infeasible problem, or a refusal.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("automatic assignment run")
        verbose_name_plural = _("automatic assignment runs")
        constraints = [
            # One run in progress per call: a second click or tab cannot start another (the
            # service refuses first; this is the second line of defence).
            models.UniqueConstraint(
                fields=["call"],
                condition=Q(status__in=["queued", "running"]),
                name="assignment_run_one_in_progress",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call_id}: {self.get_status_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def in_progress(self) -> bool:
        return self.status in AssignmentRunStatus.in_progress()
