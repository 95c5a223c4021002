"""Mentoring of funded projects: a mentor per voucher (assigned by staff, declared free of
conflicts before seeing anything), the meetings the mentor records, and the mentor's report at
each milestone, whose approval can make an instalment due (vouchers' `mentor_report` trigger)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vouchers.models import Milestone, Voucher


class AssignmentState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for the mentor's declaration")
    ACCEPTED = "accepted", _("Mentoring")
    DECLINED = "declined", _("Declined: conflict of interest")
    ENDED = "ended", _("Ended")

    @classmethod
    def open(cls) -> frozenset[str]:
        """States that hold the voucher's one mentor seat."""
        return frozenset({cls.PROPOSED, cls.ACCEPTED})


class MentorAssignment(models.Model):
    """A mentor for one funded project. `state` changes only through mentoring.services:
    proposed → accepted (no conflict declared) | declined (conflict); proposed or accepted →
    ended (staff change the mentor or close the mentoring)."""

    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, related_name="mentor_assignments"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentor_assignments"
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=AssignmentState.choices,
        default=AssignmentState.PROPOSED,
        db_index=True,
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    declared_at = models.DateTimeField(_("declaration at"), null=True, blank=True)
    # The conflict the mentor declared, in their words: staff only, never the consortium.
    conflict_note = models.TextField(_("conflict of interest (confidential)"), blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)

    class Meta:
        ordering = ["voucher", "-assigned_at", "-id"]
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["voucher"],
                condition=Q(state__in=["proposed", "accepted"]),
                name="mentoring_one_open_mentor_per_voucher",
            ),
            models.CheckConstraint(
                condition=Q(state="proposed") | Q(state="ended") | Q(declared_at__isnull=False),
                name="mentoring_declared_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(conflict_note=""),
                name="mentoring_conflict_says_what",
            ),
            models.CheckConstraint(
                condition=~Q(state="ended") | Q(ended_at__isnull=False),
                name="mentoring_ended_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} / {self.mentor}"


class Meeting(models.Model):
    """One mentoring meeting as the mentor recorded it. Never rewritten: a correction is a new
    meeting record."""

    assignment = models.ForeignKey(
        MentorAssignment, on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField(_("date of the meeting"))
    topics = models.TextField(_("topics"))
    advice = models.TextField(_("advice given"))
    next_steps = models.TextField(_("next steps"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("mentoring meeting")
        verbose_name_plural = _("mentoring meetings")

    def __str__(self) -> str:
        return f"{self.assignment.voucher} {self.held_on}"


class ProgressRating(models.IntegerChoices):
    OFF_TRACK = 1, _("Off track")
    AT_RISK = 2, _("At risk")
    ON_TRACK = 3, _("On track")
    AHEAD = 4, _("Ahead of plan")


class MilestoneReport(models.Model):
    """The mentor's report on one milestone: progress rated on the scale, the report, and
    whether the mentor approves the milestone. An approved report is final for its milestone
    (one per milestone) and makes the instalments that wait for it due."""

    assignment = models.ForeignKey(
        MentorAssignment, on_delete=models.PROTECT, related_name="reports"
    )
    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, related_name="mentor_reports"
    )
    rating = models.PositiveSmallIntegerField(_("progress"), choices=ProgressRating.choices)
    report = models.TextField(_("report"))
    approved = models.BooleanField(_("milestone approved"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["milestone__sequence", "-submitted_at", "-id"]
        verbose_name = _("milestone report")
        verbose_name_plural = _("milestone reports")
        constraints = [
            models.UniqueConstraint(
                fields=["milestone"],
                condition=Q(approved=True),
                name="mentoring_one_approved_report_per_milestone",
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=4), name="mentoring_rating_on_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} ({self.get_rating_display()})"
