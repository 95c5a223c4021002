"""What applicants receive after the decision: the publication of the results (which opens the
redress window), an Evaluation Summary Report per application, and complaints."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from calls.models import Application, Call
from calls.storage import private_upload_to


class ResultsPublication(models.Model):
    """The results of a call were published to its applicants: the redress window runs from here."""

    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="results_publication")
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    redress_closes_at = models.DateTimeField(_("complaints accepted until"))

    class Meta:
        verbose_name = _("results publication")
        constraints = [
            models.CheckConstraint(
                condition=Q(redress_closes_at__gte=models.F("published_at")),
                name="results_redress_after_publication",
            )
        ]

    def __str__(self) -> str:
        return f"{self.call}: {self.published_at:%Y-%m-%d}"


class EvaluationSummaryReport(models.Model):
    """The ESR of one application: a PDF without evaluators' names, rendered by Celery."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="summary_report"
    )
    outcome = models.CharField(_("outcome"), max_length=20)
    pdf = models.FileField(
        upload_to=private_upload_to("evaluation/esr"), blank=True, editable=False
    )
    generated_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation summary report")

    def __str__(self) -> str:
        return f"ESR {self.application}"


class ComplaintState(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")

    @classmethod
    def closed(cls) -> frozenset[str]:
        return frozenset({cls.UPHELD, cls.DISMISSED})


class Complaint(models.Model):
    """A redress request on procedural grounds, tracked by staff to a decision by its due date."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="complaints"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    grounds = models.TextField(_("procedural grounds"))
    state = models.CharField(
        _("state"), max_length=12, choices=ComplaintState.choices, default=ComplaintState.RECEIVED
    )
    due_by = models.DateField(_("decision due by"))
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision = models.TextField(_("decision and its reasons"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["due_by", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state__in=["upheld", "dismissed"])
                | (Q(decided_at__isnull=False) & ~Q(decision="")),
                name="complaint_decided_has_reasons",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_state_display()}"
