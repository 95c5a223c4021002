"""Voucher agreements: the voucher, each beneficiary's share and signature, milestones and
deliverables (with their uploaded versions)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from calls.models import Application, Call, ConsortiumMember, FileKind
from calls.storage import private_upload_to

MONEY = {"max_digits": 12, "decimal_places": 2}


class VoucherState(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    SIGNED = "signed", _("Signed by the beneficiaries")
    ACTIVE = "active", _("Active (countersigned)")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")

    @classmethod
    def committed(cls) -> frozenset[str]:
        """States whose amount counts against the call's budget."""
        return frozenset({cls.DRAFTED, cls.SIGNED, cls.ACTIVE, cls.COMPLETED})


class Voucher(models.Model):
    """One voucher agreement per funded application. `state` changes only through services."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="vouchers")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="voucher"
    )
    agreement_number = models.CharField(_("agreement number"), max_length=60, unique=True)
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=VoucherState.choices,
        default=VoucherState.DRAFTED,
        db_index=True,
    )
    state_reason = models.TextField(_("reason of the last state change"), blank=True)
    drafted_at = models.DateTimeField(_("drafted at"), auto_now_add=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed by every beneficiary at"), null=True, blank=True)
    countersigned_at = models.DateTimeField(_("countersigned at"), null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("completed or terminated at"), null=True, blank=True)
    # Set by the funded projects' retention rule when its period ended and the people named in
    # the project's records were unlinked (the organisation-level public record stays).
    personal_data_removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    agreement_pdf = models.FileField(
        _("agreement (PDF)"), upload_to=private_upload_to("vouchers/agreements"), blank=True
    )

    kind = "pdf"  # gives stored PDFs their extension (see calls.storage)

    class Meta:
        ordering = ["call", "agreement_number"]
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="voucher_amount_positive"),
            models.CheckConstraint(
                condition=~Q(state__in=["active", "completed"])
                | (Q(countersigned_at__isnull=False) & Q(signed_at__isnull=False)),
                name="voucher_active_is_countersigned",
            ),
        ]

    def __str__(self) -> str:
        return self.agreement_number


class BeneficiaryShare(models.Model):
    """What one beneficiary SME receives under a voucher, and its signature (or refusal)."""

    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="voucher_shares"
    )
    member = models.ForeignKey(
        ConsortiumMember, on_delete=models.PROTECT, related_name="voucher_shares"
    )
    amount = models.DecimalField(_("share (EUR)"), **MONEY)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)
    statement_pdf = models.FileField(
        _("payment statement (PDF)"),
        upload_to=private_upload_to("vouchers/statements"),
        blank=True,
    )
    statement_payments = models.PositiveIntegerField(
        _("payments in the stored statement"), default=0, editable=False
    )

    kind = "pdf"  # gives stored statements their extension (see calls.storage)

    class Meta:
        ordering = ["voucher", "-member__is_lead", "id"]
        verbose_name = _("beneficiary share")
        verbose_name_plural = _("beneficiary shares")
        constraints = [
            models.UniqueConstraint(
                fields=["voucher", "organisation"], name="share_unique_organisation"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="share_amount_positive"),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | Q(refused_at__isnull=True),
                name="share_signed_or_refused",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} / {self.organisation}"


class Milestone(models.Model):
    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="milestones")
    sequence = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"))

    class Meta:
        ordering = ["voucher", "sequence"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["voucher", "sequence"], name="milestone_unique_seq")
        ]

    def __str__(self) -> str:
        return self.title


class DeliverableState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for changes")


class Deliverable(models.Model):
    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="deliverables")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="deliverables")
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"))
    is_final = models.BooleanField(_("final deliverable"), default=False)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=DeliverableState.choices,
        default=DeliverableState.PENDING,
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # Staff decide; the public site lists it (and serves its accepted file) once accepted.
    public = models.BooleanField(_("shown on the public site"), default=False)

    class Meta:
        ordering = ["voucher", "due_date", "id"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [
            models.UniqueConstraint(
                fields=["voucher"], condition=Q(is_final=True), name="deliverable_one_final"
            ),
            models.CheckConstraint(
                condition=~Q(state="accepted") | Q(accepted_at__isnull=False),
                name="deliverable_accepted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DeliverableVersion(models.Model):
    """An uploaded file for a deliverable. A resubmission is a new version, never a rewrite."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(upload_to=private_upload_to("vouchers/deliverables"))
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=FileKind.choices)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        blank=True,
        choices=[
            (DeliverableState.ACCEPTED, DeliverableState.ACCEPTED.label),
            (DeliverableState.RETURNED, DeliverableState.RETURNED.label),
        ],
    )
    comments = models.TextField(_("reviewer's comments"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["deliverable", "number"]
        verbose_name = _("deliverable version")
        verbose_name_plural = _("deliverable versions")
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "number"], name="deliverable_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | ~Q(uploaded_by=F("reviewed_by")),
                name="deliverable_reviewer_not_uploader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deliverable} v{self.number}"
