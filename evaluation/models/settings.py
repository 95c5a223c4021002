"""Evaluation settings of a call that the calls app does not hold."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from calls.models import Call


class CallEvaluationSettings(models.Model):
    """Per call; a call without a row uses the defaults below (`for_call`)."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="evaluation_settings")
    exclude_same_country = models.BooleanField(
        _("never assign an evaluator to applicants from their own country"), default=True
    )
    share_scores_after_submission = models.BooleanField(
        _("evaluators see the others' submitted scores once they submitted their own"),
        default=True,
    )

    class Meta:
        verbose_name = _("evaluation settings")
        verbose_name_plural = _("evaluation settings")

    def __str__(self) -> str:
        return str(self.call)

    @classmethod
    def for_call(cls, call: Call) -> "CallEvaluationSettings":
        return cls.objects.filter(call=call).first() or cls(call=call)
