"""The consensus step of a divergent application: a rapporteur proposes, the others agree."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from calls.models import Application, Criterion


class ConsensusState(models.TextChoices):
    OPEN = "open", _("Waiting for the rapporteur")
    PROPOSED = "proposed", _("Proposed, waiting for the evaluators")
    CONCLUDED = "concluded", _("Concluded")


class Consensus(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="consensus"
    )
    rapporteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ConsensusState.choices, default=ConsensusState.OPEN
    )
    comment = models.TextField(_("rapporteur's comment"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consensus")
        verbose_name_plural = _("consensus steps")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="concluded") | Q(concluded_at__isnull=False),
                name="consensus_concluded_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_state_display()}"


class ConsensusScore(models.Model):
    consensus = models.ForeignKey(Consensus, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("consensus score"), max_digits=3, decimal_places=1)
    comment = models.TextField(_("comment"))

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consensus", "criterion"], name="consensus_score_unique"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="consensus_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class ConsensusAgreement(models.Model):
    """An evaluator's answer to the rapporteur's proposal."""

    consensus = models.ForeignKey(Consensus, on_delete=models.CASCADE, related_name="agreements")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agreed = models.BooleanField(_("agrees"))
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consensus", "evaluator"], name="consensus_agreement_unique"
            ),
            models.CheckConstraint(
                condition=Q(agreed=True) | ~Q(comment=""),
                name="consensus_disagreement_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consensus_id} / {self.evaluator_id}: {self.agreed}"
