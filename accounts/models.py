"""People and the organisations they register."""

from datetime import date

import rules
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRY_CHOICES
from accounts.sme import Figures, RelatedEnterprise, SMECategory, SMEResult, classify_sme
from minegap.core.mfa import user_passed_second_factor


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. E-mail is the login; `is_staff` only opens the Django admin (superusers)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("admin site access"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def has_perm(self, perm: str, obj=None) -> bool:
        """A superuser's blanket powers, like every role's, need this session's second factor;
        until then a superuser holds only what the rules give anyone (e.g. their memberships)."""
        if self.is_superuser and not user_passed_second_factor(self):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class Organisation(models.Model):
    class Type(models.TextChoices):
        SME = "sme", _("SME")
        LARGE_COMPANY = "large", _("Large company")
        RESEARCH = "research", _("Research organisation")
        CLUSTER = "cluster", _("Cluster")
        PUBLIC_BODY = "public", _("Public body")
        OTHER = "other", _("Other")

    legal_name = models.CharField(_("legal name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    nuts_region = models.CharField(
        _("NUTS region code"), max_length=5, blank=True, help_text=_("For example FI1D7 (Lapland).")
    )
    vat_number = models.CharField(
        _("VAT number"), max_length=20, help_text=_("With its country prefix, e.g. FI12345678.")
    )
    pic = models.CharField(
        _("PIC"), max_length=9, blank=True, help_text=_("EU Participant Identification Code.")
    )
    website = models.URLField(_("website"), blank=True)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.SME)
    founding_year = models.PositiveSmallIntegerField(_("founding year"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "vat_number"], name="org_vat_unique_per_country"
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.legal_name


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class Invitation(models.Model):
    """An organisation admin invites a colleague by e-mail; accepting creates the membership."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)


MONEY = {"max_digits": 12, "decimal_places": 2}


class SMEDeclaration(models.Model):
    """A signed, dated SME self-declaration. A new one supersedes the previous; all are kept."""

    class EnterpriseCategory(models.TextChoices):
        AUTONOMOUS = "autonomous", _("Autonomous enterprise")
        PARTNER = "partner", _("Partner enterprise")
        LINKED = "linked", _("Linked enterprise")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sme_declarations"
    )
    version = models.PositiveIntegerField(_("version"))
    reference_year = models.PositiveSmallIntegerField(
        _("reference year"), help_text=_("The last approved accounting period.")
    )
    staff_headcount = models.DecimalField(
        _("staff headcount (AWU)"),
        max_digits=9,
        decimal_places=2,
        help_text=_("Annual work units: full-time staff over the year; part-time as fractions."),
    )
    annual_turnover = models.DecimalField(_("annual turnover (EUR)"), **MONEY)
    balance_sheet_total = models.DecimalField(_("balance-sheet total (EUR)"), **MONEY)
    enterprise_category = models.CharField(
        _("enterprise category"), max_length=12, choices=EnterpriseCategory.choices
    )
    public_body_holding = models.DecimalField(
        _("held by public bodies (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        help_text=_("Share of capital or voting rights held by public bodies, jointly or alone."),
    )
    category = models.CharField(_("SME class"), max_length=10, choices=SMECategory.choices)
    signed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed by")
    )
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "-version"]
        verbose_name = _("SME declaration")
        verbose_name_plural = _("SME declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="sme_declaration_version_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(superseded_at__isnull=True),
                name="sme_declaration_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(staff_headcount__gte=0)
                & models.Q(annual_turnover__gte=0)
                & models.Q(balance_sheet_total__gte=0),
                name="sme_declaration_figures_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(public_body_holding__gte=0, public_body_holding__lte=100),
                name="sme_declaration_public_holding_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} SME declaration v{self.version}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def is_sme(self) -> bool:
        """Micro, small or medium by the stored class; any other value is not an SME."""
        return self.category in SMECategory.sme_values()

    def classification(self) -> SMEResult:
        """Recompute the class and its reasons (in the reader's language) from the stored figures."""
        return classify_sme(
            staff=self.staff_headcount,
            turnover=self.annual_turnover,
            balance_sheet=self.balance_sheet_total,
            related=[row.as_related() for row in self.enterprises.all()],
            public_body_holding=self.public_body_holding,
        )


class RelatedEnterpriseRow(models.Model):
    """A partner or linked enterprise of a declaring organisation, with its own figures."""

    class Relation(models.TextChoices):
        PARTNER = "partner", _("Partner (25–50 %)")
        LINKED = "linked", _("Linked (majority control)")

    declaration = models.ForeignKey(
        SMEDeclaration, on_delete=models.CASCADE, related_name="enterprises"
    )
    relation = models.CharField(_("relation"), max_length=8, choices=Relation.choices)
    name = models.CharField(_("enterprise name"), max_length=200)
    holding_percent = models.DecimalField(_("holding (%)"), max_digits=5, decimal_places=2)
    staff_headcount = models.DecimalField(
        _("staff headcount (AWU)"), max_digits=9, decimal_places=2
    )
    annual_turnover = models.DecimalField(_("annual turnover (EUR)"), **MONEY)
    balance_sheet_total = models.DecimalField(_("balance-sheet total (EUR)"), **MONEY)

    class Meta:
        ordering = ["declaration", "id"]
        verbose_name = _("partner or linked enterprise")
        verbose_name_plural = _("partner and linked enterprises")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(holding_percent__gt=0, holding_percent__lte=100),
                name="related_enterprise_holding_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(staff_headcount__gte=0)
                & models.Q(annual_turnover__gte=0)
                & models.Q(balance_sheet_total__gte=0),
                name="related_enterprise_figures_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"

    def as_related(self) -> RelatedEnterprise:
        return RelatedEnterprise(
            name=self.name,
            holding_percent=self.holding_percent,
            figures=Figures(self.staff_headcount, self.annual_turnover, self.balance_sheet_total),
            linked=self.relation == self.Relation.LINKED,
        )


class ApiToken(models.Model):
    """A bearer token for scripts calling the API as its owner.

    Only a SHA-256 digest of the secret is stored: the secret is 256 random bits, so a leaked
    table reveals nothing usable, and a fast hash is enough (a slow one only guards guessable
    passwords). The secret is shown once, when the token is created. Every token expires.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(_("SHA-256 of the secret"), max_length=64, unique=True)
    # Whether the session that created it had passed the second factor: only such a token may
    # call privileged endpoints (minegap.core.api.HasMFA reads it as `request.auth.mfa_verified`).
    mfa_verified = models.BooleanField(_("created after two-factor authentication"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    def is_active_at(self, moment) -> bool:
        return self.revoked_at is None and moment < self.expires_at


class ApiTokenUse(models.Model):
    """One authenticated API request made with a token: who used it, when, for what, from where."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(_("at"), default=timezone.now)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=255)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("API token use")
        verbose_name_plural = _("API token uses")
        indexes = [
            models.Index(fields=["token", "-at"], name="api_token_use_token_at"),
            # Pruning deletes by age across every token.
            models.Index(fields=["at"], name="api_token_use_at"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} at {self.at:%Y-%m-%d %H:%M:%S}"


class ErasureRequest(models.Model):
    """A person's request to be erased (GDPR art. 17), processed at once by
    `accounts.services.erasure_request_process`. The row points at the pseudonymised user: the
    account itself is kept (the ledger and the records of decisions refer to it) but holds no name,
    no address and no way to sign in any more.

    `outcome` lists what was erased or pseudonymised and what a retention rule keeps, and until
    when: ``{"erased": [str], "kept": [{"what", "until", "rule"}]}`` (dates ISO, or null while
    the period has not started, e.g. a project not yet paid in full).
    """

    class Status(models.TextChoices):
        ERASED = "erased", _("Erased")
        PARTLY_KEPT = "partly_kept", _("Erased; some records kept for their retention period")

    user = models.OneToOneField(
        User, on_delete=models.PROTECT, related_name="erasure_request", verbose_name=_("account")
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=12, unique=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed at"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    outcome = models.JSONField(_("outcome"), default=dict)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")

    def __str__(self) -> str:
        return f"{self.pseudonym} ({self.get_status_display()})"

    @property
    def erased_items(self) -> list[str]:
        return list(self.outcome["erased"])

    @property
    def kept_items(self) -> list[dict]:
        """The kept items, each ``until`` a date (or None while its period has not started)."""
        return [
            {**item, "until": date.fromisoformat(item["until"]) if item["until"] else None}
            for item in self.outcome["kept"]
        ]
