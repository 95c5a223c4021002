"""Public facts that calls records do not hold: counts and dates of results imported from calls
run elsewhere. Everything else the public site shows is read from the calls records."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from calls.models import Application, Call


class CallFigures(models.Model):
    """Proposal counts of a call whose applications are not (all) in MineGap (an imported call).

    When set, they replace the counts derived from the call's applications.
    """

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="public_figures")
    proposals_received = models.PositiveIntegerField(_("proposals received"), null=True, blank=True)
    proposals_eligible = models.PositiveIntegerField(_("proposals eligible"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("call figures")
        verbose_name_plural = _("call figures")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposals_received__isnull=True)
                | Q(proposals_eligible__isnull=True)
                | Q(proposals_eligible__lte=F("proposals_received")),
                name="callfigures_eligible_lte_received",
            )
        ]

    def __str__(self) -> str:
        return str(self.call)


class ProjectAward(models.Model):
    """The award date of a funded project imported from a call run elsewhere."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="public_award"
    )
    award_date = models.DateField(_("award date"))

    class Meta:
        verbose_name = _("project award")
        verbose_name_plural = _("project awards")

    def __str__(self) -> str:
        return f"{self.application} {self.award_date}"
