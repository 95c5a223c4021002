"""An evaluator assigned to an application, and their conflict-of-interest declaration."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from calls.models import Application


class AssignmentState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed (declaration pending)")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    SCORED = "scored", _("Scored")

    @classmethod
    def active(cls) -> frozenset[str]:
        """States that count toward the evaluators an application needs and the load."""
        return frozenset({cls.PROPOSED, cls.ACCEPTED, cls.SCORED})


class ConflictDeclaration(models.TextChoices):
    PENDING = "", _("Not declared")
    NO_CONFLICT = "no_conflict", _("No conflict of interest")
    CONFLICT = "conflict", _("Conflict of interest")


class Assignment(models.Model):
    """Changed only by `evaluation.services`. `submitted_at` locks the scores."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="assignments"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=AssignmentState.choices,
        default=AssignmentState.PROPOSED,
        db_index=True,
    )
    match_score = models.PositiveSmallIntegerField(_("expertise match (0-100)"), default=0)
    matched_expertise = models.JSONField(_("matched expertise"), default=list, blank=True)
    manual = models.BooleanField(_("assigned by hand"), default=False)
    declaration = models.CharField(
        _("conflict of interest"),
        max_length=12,
        choices=ConflictDeclaration.choices,
        default=ConflictDeclaration.PENDING,
        blank=True,
    )
    declaration_note = models.TextField(_("note on the declaration"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("scores submitted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "evaluator"], name="assignment_unique_pair"
            ),
            models.CheckConstraint(
                condition=Q(match_score__gte=0) & Q(match_score__lte=100),
                name="assignment_match_range",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["accepted", "scored"])
                | (Q(declaration="no_conflict") & Q(declared_at__isnull=False)),
                name="assignment_accepted_declared_no_conflict",
            ),
            models.CheckConstraint(
                condition=~Q(declaration="conflict") | Q(state="declined"),
                name="assignment_conflict_is_declined",
            ),
            models.CheckConstraint(
                condition=(Q(state="scored") & Q(submitted_at__isnull=False))
                | (~Q(state="scored") & Q(submitted_at__isnull=True)),
                name="assignment_scored_iff_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.evaluator_id}"

    @property
    def is_locked(self) -> bool:
        return self.submitted_at is not None
