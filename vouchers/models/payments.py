"""Instalments of a voucher, their split per beneficiary, payment requests (four-eyes) and
payments. Withholding and recovery are states with reasons: nothing is ever deleted."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from minegap.core.formatting import format_money
from vouchers.models.agreement import MONEY, BeneficiaryShare, Deliverable, Milestone, Voucher


class InstalmentTrigger(models.TextChoices):
    SIGNATURE = "signature", _("Signature of the agreement")
    FINAL_DELIVERABLE = "final_deliverable", _("Final deliverable accepted")
    DELIVERABLE = "deliverable", _("Deliverable accepted")
    # The mentor's milestone report (the mentoring app) approves the milestone's progress.
    MENTOR_REPORT = "mentor_report", _("Mentor's milestone report approved")


class InstalmentState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DUE = "due", _("Due")
    APPROVED = "approved", _("Approved for payment")
    PAID = "paid", _("Paid")
    WITHHELD = "withheld", _("Withheld")
    RECOVERED = "recovered", _("Recovered")


class Instalment(models.Model):
    """One step of the payment plan. `approved_amount` and `paid_amount` are kept by the
    payment services under a row lock; the database refuses paid > approved > amount."""

    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="instalments")
    sequence = models.PositiveSmallIntegerField(_("number"))
    label = models.CharField(_("label"), max_length=200)
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)
    trigger = models.CharField(_("trigger"), max_length=20, choices=InstalmentTrigger.choices)
    deliverable = models.ForeignKey(
        Deliverable,
        verbose_name=_("deliverable that triggers it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instalments",
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone whose mentor's report triggers it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instalments",
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=InstalmentState.choices,
        default=InstalmentState.SCHEDULED,
        db_index=True,
    )
    due_at = models.DateTimeField(_("due since"), null=True, blank=True)
    approved_amount = models.DecimalField(_("approved (EUR)"), default=0, **MONEY)
    paid_amount = models.DecimalField(_("paid (EUR)"), default=0, **MONEY)
    recovered_amount = models.DecimalField(_("recovered (EUR)"), default=0, **MONEY)
    withheld_reason = models.TextField(_("reason for withholding"), blank=True)
    recovery_reason = models.TextField(_("reason for recovery"), blank=True)

    class Meta:
        ordering = ["voucher", "sequence"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        constraints = [
            models.UniqueConstraint(fields=["voucher", "sequence"], name="instalment_unique_seq"),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(percent__gt=0) & Q(percent__lte=100),
                name="instalment_amount_percent_valid",
            ),
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0)
                & Q(paid_amount__lte=F("approved_amount"))
                & Q(approved_amount__lte=F("amount")),
                name="instalment_paid_lte_approved_lte_amount",
            ),
            models.CheckConstraint(
                condition=Q(recovered_amount__gte=0) & Q(recovered_amount__lte=F("paid_amount")),
                name="instalment_recovered_lte_paid",
            ),
            models.CheckConstraint(
                condition=~Q(state="withheld") | ~Q(withheld_reason=""),
                name="instalment_withheld_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state="recovered") | ~Q(recovery_reason=""),
                name="instalment_recovered_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(trigger="deliverable") | Q(deliverable__isnull=False),
                name="instalment_deliverable_trigger_names_it",
            ),
            models.CheckConstraint(
                condition=~Q(trigger="mentor_report") | Q(milestone__isnull=False),
                name="instalment_mentor_trigger_names_milestone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} #{self.sequence}"

    @property
    def outstanding(self):
        return self.approved_amount - self.paid_amount


class InstalmentShare(models.Model):
    """What one beneficiary receives from one instalment. Rows of an instalment add up to it;
    rows of a beneficiary add up to its share (the last instalment takes the cents)."""

    instalment = models.ForeignKey(Instalment, on_delete=models.CASCADE, related_name="splits")
    share = models.ForeignKey(
        BeneficiaryShare, on_delete=models.CASCADE, related_name="instalment_splits"
    )
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)
    paid_amount = models.DecimalField(_("paid (EUR)"), default=0, **MONEY)

    class Meta:
        ordering = ["instalment", "share"]
        verbose_name = _("instalment split")
        verbose_name_plural = _("instalment splits")
        constraints = [
            models.UniqueConstraint(fields=["instalment", "share"], name="split_unique"),
            models.CheckConstraint(
                condition=Q(amount__gte=0)
                & Q(paid_amount__gte=0)
                & Q(paid_amount__lte=F("amount")),
                name="split_paid_lte_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instalment} / {self.share.organisation}"

    @property
    def outstanding(self):
        return self.amount - self.paid_amount


class PaymentRequestState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class PaymentRequest(models.Model):
    """Staff ask for an instalment's payment; a different staff member approves it."""

    instalment = models.ForeignKey(
        Instalment, on_delete=models.PROTECT, related_name="payment_requests"
    )
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=PaymentRequestState.choices,
        default=PaymentRequestState.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)
    pay_by = models.DateField(_("transfer due by"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="request_amount_positive"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="request_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(state="requested") | Q(decided_by__isnull=False),
                name="request_decision_has_decider",
            ),
            models.UniqueConstraint(
                fields=["instalment"],
                condition=Q(state__in=["requested", "approved"]),
                name="request_one_open_per_instalment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instalment} ({self.get_state_display()})"


class Payment(models.Model):
    """A bank transfer to one beneficiary for one instalment. Recorded once per idempotency key;
    the person recording it is never the one who approved the request."""

    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, related_name="payments")
    split = models.ForeignKey(InstalmentShare, on_delete=models.PROTECT, related_name="payments")
    beneficiary = models.ForeignKey(
        BeneficiaryShare, on_delete=models.PROTECT, related_name="payments"
    )
    payment_request = models.ForeignKey(
        PaymentRequest, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)
    value_date = models.DateField(_("value date"))
    bank_reference = models.CharField(_("bank reference"), max_length=100)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-value_date", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(recorded_by=F("approved_by")), name="payment_four_eyes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank_reference} ({format_money(self.amount)})"
