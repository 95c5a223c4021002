"""Business-support services and awards given to funded SMEs, with their value."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from calls.models import Call
from vouchers.models.agreement import MONEY, Voucher


class SupportType(models.TextChoices):
    MENTORING = "mentoring", _("Mentoring")
    TRAINING = "training", _("Training")
    INTERNATIONALISATION = "internationalisation", _("Internationalisation")
    TECHNOLOGY_WATCH = "technology_watch", _("Technology watch")
    TECHNOLOGY_TRANSFER = "technology_transfer", _("Technology transfer")
    INVESTOR_READINESS = "investor_readiness", _("Investor readiness")
    AWARD = "award", _("Award")


class SupportService(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="support_services"
    )
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="support_services")
    voucher = models.ForeignKey(
        Voucher,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_services",
    )
    type = models.CharField(_("type"), max_length=24, choices=SupportType.choices)
    provider = models.CharField(_("provider"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=1, default=0)
    value = models.DecimalField(_("value (EUR)"), **MONEY)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("business-support service")
        verbose_name_plural = _("business-support services")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(value__gte=0), name="support_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} – {self.organisation}"
