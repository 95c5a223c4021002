"""The eligibility (admissibility) check of one submitted application."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from calls.models import Application


class EligibilityDecision(models.TextChoices):
    PENDING = "pending", _("To be decided")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")


class EligibilityCheck(models.Model):
    """Per application: the automatic checks (rows in `items`) and staff's decision.

    The decision confirms the automatic result or overrides it; an override and every
    ineligibility carry a written reason. Changed only by `evaluation.services.eligibility`.
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="eligibility_check"
    )
    computed_at = models.DateTimeField(_("checks computed at"))
    automatic_passed = models.BooleanField(_("all automatic checks passed"))
    decision = models.CharField(
        _("decision"),
        max_length=10,
        choices=EligibilityDecision.choices,
        default=EligibilityDecision.PENDING,
    )
    overridden = models.BooleanField(_("overrides the automatic result"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("eligibility check")
        verbose_name_plural = _("eligibility checks")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="pending")
                | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="eligibility_decided_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=(~Q(decision="ineligible") & Q(overridden=False)) | ~Q(reason=""),
                name="eligibility_override_or_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_decision_display()}"


class EligibilityCheckItem(models.Model):
    """One automatic check with its evidence (what was looked at, what was found)."""

    check_run = models.ForeignKey(EligibilityCheck, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("check"), max_length=40)
    passed = models.BooleanField(_("passed"))
    evidence = models.TextField(_("evidence"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("automatic check")
        verbose_name_plural = _("automatic checks")
        constraints = [
            models.UniqueConstraint(fields=["check_run", "code"], name="eligibility_item_unique")
        ]

    def __str__(self) -> str:
        return self.code
