"""Impact indicators of a call, and what each beneficiary organisation reported for them.

Data only: every change goes through `impact.services`. A submitted report is frozen: a
correction is a new version after staff reopened the last one (the reopened one is kept).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from calls.models import Call
from vouchers.models import BeneficiaryShare

VALUE = {"max_digits": 16, "decimal_places": 2}


class IndicatorKind(models.TextChoices):
    NUMBER = "number", _("Number")
    MONEY = "money", _("Amount in euros")
    YES_NO = "yes_no", _("Yes or no")
    TEXT = "text", _("Text")

    @classmethod
    def numeric(cls) -> tuple[str, ...]:
        return (cls.NUMBER, cls.MONEY)

    @classmethod
    def published(cls) -> tuple[str, ...]:
        """Kinds whose figures the public site shows; free text never leaves the staff pages."""
        return (cls.NUMBER, cls.MONEY, cls.YES_NO)


class ReportingStage(models.TextChoices):
    """When an indicator is asked (impact.schedule says from and until when)."""

    BASELINE = "baseline", _("Baseline (the year before applying)")
    FINAL = "final", _("Final report")
    FOLLOW_UP = "follow_up", _("12 months after the end")


STAGE_FIELDS = {
    ReportingStage.BASELINE: "at_baseline",
    ReportingStage.FINAL: "at_final",
    ReportingStage.FOLLOW_UP: "at_follow_up",
}


class Indicator(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    at_baseline = models.BooleanField(_("asked as baseline"), default=True)
    at_final = models.BooleanField(_("asked at the final report"), default=True)
    at_follow_up = models.BooleanField(_("asked 12 months after the end"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    required = models.BooleanField(_("required"), default=True)
    # The preset it was added from ("" for the call's own): the programme's figures add up the
    # same preset across calls.
    preset = models.CharField(_("preset"), max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "order", "pk"]
        verbose_name = _("impact indicator")
        verbose_name_plural = _("impact indicators")
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="indicator_unique_name"),
            models.UniqueConstraint(
                fields=["call", "preset"], condition=~Q(preset=""), name="indicator_unique_preset"
            ),
            models.CheckConstraint(
                condition=Q(at_baseline=True) | Q(at_final=True) | Q(at_follow_up=True),
                name="indicator_asked_at_least_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def stages(self) -> list[str]:
        return [stage for stage, field in STAGE_FIELDS.items() if getattr(self, field)]

    def asked_at(self, stage: str) -> bool:
        return bool(getattr(self, STAGE_FIELDS[ReportingStage(stage)]))


class ImpactReport(models.Model):
    """One beneficiary's answers for one stage, as submitted. The current report of a stage is
    the one not reopened; reopened versions stay as they were."""

    share = models.ForeignKey(BeneficiaryShare, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("stage"), max_length=10, choices=ReportingStage.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["share", "stage", "version"]
        verbose_name = _("impact report")
        verbose_name_plural = _("impact reports")
        constraints = [
            models.UniqueConstraint(
                fields=["share", "stage", "version"], name="impact_report_unique_version"
            ),
            models.UniqueConstraint(
                fields=["share", "stage"],
                condition=Q(reopened_at__isnull=True),
                name="impact_report_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.share_id}/{self.stage} v{self.version}"

    @property
    def is_current(self) -> bool:
        return self.reopened_at is None


class ReportedValue(models.Model):
    report = models.ForeignKey(ImpactReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    number = models.DecimalField(_("number"), null=True, blank=True, **VALUE)
    flag = models.BooleanField(_("yes or no"), null=True, blank=True)
    text = models.TextField(_("text"), max_length=2000, blank=True)

    class Meta:
        ordering = ["report", "indicator__order", "indicator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="reported_value_once_per_report"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.indicator_id}"


class StageReminder(models.Model):
    """A late stage's reminder, sent once per beneficiary and stage."""

    share = models.ForeignKey(BeneficiaryShare, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=10, choices=ReportingStage.choices)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["share", "stage"], name="impact_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.share_id}/{self.stage}"
