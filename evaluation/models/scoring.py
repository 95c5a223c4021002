"""Scores: one row per (assignment, criterion), never JSON."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from calls.models import Criterion
from evaluation.models.assignment import Assignment


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=3, decimal_places=1)
    justification = models.TextField(_("justification"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
