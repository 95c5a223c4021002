"""Applications, their consortium, answers, attachments and submitted versions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from calls.models.call import (
    MONEY,
    AttachmentRequirement,
    Call,
    FileKind,
    Question,
    VoucherType,
)
from calls.storage import private_upload_to


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    UNDER_EVALUATION = "under_evaluation", _("Under evaluation")
    EVALUATED = "evaluated", _("Evaluated")
    SELECTED = "selected", _("Selected for funding")
    RESERVE = "reserve", _("Reserve list")
    REJECTED = "rejected", _("Not selected")
    FUNDED = "funded", _("Funded (voucher signed)")

    @classmethod
    def editable(cls) -> frozenset[str]:
        return frozenset({cls.DRAFT, cls.SUBMITTED})

    @classmethod
    def submitted_states(cls) -> frozenset[str]:
        """States of an application that was submitted and not withdrawn."""
        return frozenset(set(cls.values) - {cls.DRAFT, cls.WITHDRAWN})


# Allowed transitions. draft/submitted/withdrawn are driven by the applicant services; the rest
# by `application_transition`, called by the evaluation and vouchers apps.
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationState.DRAFT: frozenset({ApplicationState.SUBMITTED}),
    ApplicationState.SUBMITTED: frozenset(
        {
            ApplicationState.SUBMITTED,  # a new version
            ApplicationState.WITHDRAWN,
            ApplicationState.ELIGIBLE,
            ApplicationState.INELIGIBLE,
        }
    ),
    ApplicationState.WITHDRAWN: frozenset(),
    ApplicationState.ELIGIBLE: frozenset(
        {ApplicationState.UNDER_EVALUATION, ApplicationState.INELIGIBLE}
    ),
    ApplicationState.INELIGIBLE: frozenset({ApplicationState.ELIGIBLE}),  # after redress
    ApplicationState.UNDER_EVALUATION: frozenset({ApplicationState.EVALUATED}),
    ApplicationState.EVALUATED: frozenset(
        {ApplicationState.SELECTED, ApplicationState.RESERVE, ApplicationState.REJECTED}
    ),
    ApplicationState.SELECTED: frozenset({ApplicationState.FUNDED, ApplicationState.REJECTED}),
    ApplicationState.RESERVE: frozenset({ApplicationState.SELECTED, ApplicationState.REJECTED}),
    ApplicationState.REJECTED: frozenset(),
    ApplicationState.FUNDED: frozenset(),
}


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ApplicationState.choices,
        default=ApplicationState.DRAFT,
        db_index=True,
    )
    # Overview.
    title = models.CharField(_("project title"), max_length=200, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    voucher_type = models.ForeignKey(
        VoucherType,
        verbose_name=_("voucher type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # Submission.
    reference = models.CharField(_("reference"), max_length=40, unique=True, null=True, blank=True)
    submitted_at = models.DateTimeField(_("last submitted at"), null=True, blank=True)
    has_unsubmitted_changes = models.BooleanField(
        _("edited since the last submission"), default=False
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    state_reason = models.TextField(_("reason of the last state change"), blank=True)
    # Set by a retention rule when the application's personal data (answers, files, submitted
    # copies, the people who worked on it) was removed at the end of its retention period.
    personal_data_removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The public lists' sort key, kept by calls.services.awards: the award date recorded with an
    # import, else the day the call's results were published (the site's time zone). Indexed
    # newest first, undated last (migration 0006: NULLS LAST, which SQLite's indexes refuse).
    awarded_on = models.DateField(_("award date"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(reference__isnull=False),
                name="application_submitted_has_reference",
            )
        ]

    def __str__(self) -> str:
        return self.reference or self.acronym or self.title or f"#{self.pk}"

    @property
    def display_name(self) -> str:
        return self.acronym or self.title or str(_("Untitled application"))


class MemberRole(models.TextChoices):
    ADOPTER = "adopter", _("Technology adopter")
    PROVIDER = "provider", _("Technology provider")


class MemberStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsortiumMember(models.Model):
    """An organisation in an application's consortium (the lead included).

    `organisation` is empty while an invitation sent by e-mail waits for the partner to register.
    `awarded_amount` stays empty until the evaluation decides (`services.set_awarded_amount`).
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consortium_memberships",
    )
    invited_email = models.EmailField(_("invited e-mail address"), blank=True)
    is_lead = models.BooleanField(_("lead"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.INVITED
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, blank=True)
    requested_amount = models.DecimalField(_("requested amount (EUR)"), default=0, **MONEY)
    budget_description = models.TextField(_("what the budget pays for"), blank=True)
    declaration_signed_at = models.DateTimeField(
        _("declaration of honour signed at"), null=True, blank=True
    )
    declaration_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    awarded_amount = models.DecimalField(_("awarded amount (EUR)"), null=True, blank=True, **MONEY)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_lead", "created_at", "id"]
        verbose_name = _("consortium member")
        verbose_name_plural = _("consortium members")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organisation"],
                condition=Q(organisation__isnull=False),
                name="member_unique_organisation",
            ),
            models.UniqueConstraint(
                fields=["application"], condition=Q(is_lead=True), name="member_one_lead"
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(invited_email=""),
                name="member_has_organisation_or_email",
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0), name="member_requested_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(awarded_amount__isnull=True) | Q(awarded_amount__gte=0),
                name="member_awarded_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation) if self.organisation_id else self.invited_email

    @property
    def is_active(self) -> bool:
        return self.status in (MemberStatus.INVITED, MemberStatus.CONFIRMED)


class Answer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(_("answer"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.question}"


class Attachment(models.Model):
    """An uploaded file. Never rewritten: replacing one marks the old row removed, so every
    submitted version keeps the exact files it was submitted with."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    requirement = models.ForeignKey(
        AttachmentRequirement, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to=private_upload_to("calls/attachments"))
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=FileKind.choices)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requirement__order", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ApplicationVersion(models.Model):
    """A frozen copy of an application as submitted. The last one is what gets evaluated."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField(_("content"))
    # The snapshot's requested sum, stored so that lists sort by what was submitted (a sum
    # inside JSON is not portable between PostgreSQL and SQLite). NULL: written before it was.
    requested_total = models.DecimalField(
        _("requested total"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    receipt = models.FileField(
        _("receipt (PDF)"), upload_to=private_upload_to("calls/receipts"), blank=True
    )

    kind = "pdf"  # receipts are PDFs: gives the stored name its extension.

    class Meta:
        ordering = ["application", "number"]
        get_latest_by = "number"
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"
