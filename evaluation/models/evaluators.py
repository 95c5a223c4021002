"""The evaluator pool: invitations, profiles and declared expertise."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRY_CHOICES
from accounts.models import Organisation


class ValueChainStage(models.TextChoices):
    """Stages of the raw-materials value chain an evaluator can claim as expertise."""

    EXPLORATION = "exploration", _("Exploration")
    EXTRACTION = "extraction", _("Extraction")
    PROCESSING = "processing", _("Processing")
    REFINING = "refining", _("Refining")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    RECYCLING = "recycling", _("Recycling")
    REMEDIATION = "remediation", _("Remediation / closure")


class EvaluatorInvitation(models.Model):
    """Staff invite a person by e-mail; accepting gives them the evaluators group."""

    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("evaluator invitation")
        verbose_name_plural = _("evaluator invitations")

    def __str__(self) -> str:
        return self.email


class EvaluatorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluator_profile"
    )
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES, blank=True)
    employer = models.ForeignKey(
        Organisation,
        verbose_name=_("current employer (if registered here)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    employer_name = models.CharField(_("current employer"), max_length=200, blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Separated by commas.")
    )
    max_proposals = models.PositiveSmallIntegerField(_("maximum number of proposals"), default=10)
    declaration_accepted_at = models.DateTimeField(
        _("confidentiality and no-conflict declaration accepted at"), null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluator profile")
        verbose_name_plural = _("evaluator profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_proposals__gte=1) & Q(max_proposals__lte=200),
                name="evaluator_max_proposals_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class ExpertiseKind(models.TextChoices):
    AREA = "area", _("Thematic area")
    STAGE = "stage", _("Value-chain stage")


class EvaluatorExpertise(models.Model):
    """One declared area of expertise, weighted 0.5 (secondary) or 1 (main)."""

    profile = models.ForeignKey(
        EvaluatorProfile, on_delete=models.CASCADE, related_name="expertise"
    )
    kind = models.CharField(_("kind"), max_length=5, choices=ExpertiseKind.choices)
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=3, decimal_places=2, default=1)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise")
        constraints = [
            models.UniqueConstraint(fields=["profile", "kind", "name"], name="expertise_unique"),
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(weight__lte=1), name="expertise_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tag(self) -> str:
        return f"{self.kind}:{self.name.strip().lower()}"
