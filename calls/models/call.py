"""An open call and its configuration: caps, consortium rules, evaluation settings, form."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.storage import private_upload_to

DEFAULT_THIRD_PARTY_CAP = Decimal("60000.00")
DEFAULT_TIME_ZONE = "Europe/Brussels"
MONEY = {"max_digits": 12, "decimal_places": 2}


def default_instalment_plan() -> list[dict]:
    return [
        {"label": "Pre-financing at signature", "percent": 50, "trigger": "signature"},
        {"label": "After the final deliverable", "percent": 50, "trigger": "final_deliverable"},
    ]


def default_unsuccessful_retention_months() -> int:
    """The programme's default, from settings (the privacy notice reads the same setting)."""
    return settings.RETENTION_UNSUCCESSFUL_APPLICATION_MONTHS


def default_tie_break_chain() -> list[str]:
    return ["criterion:Impact", "criterion:Excellence", "geographic_diversity", "submitted_at"]


class CallState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published (not yet open)")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    EVALUATING = "evaluating", _("Evaluating")
    DECIDED = "decided", _("Decided")
    RESULTS_PUBLISHED = "results_published", _("Results published")
    ARCHIVED = "archived", _("Archived")

    @classmethod
    def clock_driven(cls) -> frozenset[str]:
        """Stored states whose effective value follows the clock (opens_at / closes_at)."""
        return frozenset({cls.PUBLISHED, cls.OPEN, cls.CLOSED})

    @classmethod
    def visible(cls) -> frozenset[str]:
        """States in which the call is shown to the public."""
        return frozenset(set(cls.values) - {cls.DRAFT})


class DivergenceSettlement(models.TextChoices):
    """How a call settles evaluators who diverge (DOMAIN.md "Evaluation" 4)."""

    CONSENSUS = "consensus", _("a consensus meeting of the evaluators")
    EXTRA_EVALUATOR = "extra_evaluator", _("an additional evaluator")
    EITHER = "either", _("a consensus meeting or an additional evaluator")


class ExtraEvaluatorRule(models.TextChoices):
    """The final score of each criterion once an additional evaluator settled a divergence."""

    TWO_CLOSEST = "two_closest", _("the mean of the two closest scores")
    MEDIAN = "median", _("the median of the scores")


class Call(models.Model):
    """An open call. Its stored `state` changes only through `calls.services`.

    Between publication and the evaluation, the *effective* state is derived from the clock
    (`state_at(now)`): a call is open exactly while ``opens_at <= now < closes_at``. The stored
    value is moved along by a periodic task for the ledger's sake, but no decision reads it.
    """

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    code = models.CharField(
        _("reference code"),
        max_length=20,
        unique=True,
        help_text=_("Prefix of submission references, e.g. MTG-OC1 gives MTG-OC1-0001."),
    )
    summary = models.TextField(_("summary"), max_length=1000)
    body = models.TextField(_("full text"), blank=True)
    thematic_areas = models.JSONField(_("thematic areas"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=CallState.choices, default=CallState.DRAFT
    )
    # Money and caps.
    total_budget = models.DecimalField(_("total budget (EUR)"), **MONEY)
    cap_per_project = models.DecimalField(_("cap per project (EUR)"), **MONEY)
    cap_per_third_party = models.DecimalField(
        _("cap per third party (EUR)"), default=DEFAULT_THIRD_PARTY_CAP, **MONEY
    )
    lifetime_cap_per_sme = models.DecimalField(
        _("lifetime cap per SME across calls (EUR)"), null=True, blank=True, **MONEY
    )
    # Consortium rules.
    min_members = models.PositiveSmallIntegerField(_("minimum members"), default=2)
    max_members = models.PositiveSmallIntegerField(_("maximum members"), default=3)
    min_countries = models.PositiveSmallIntegerField(_("minimum distinct countries"), default=2)
    require_adopter_and_provider = models.BooleanField(
        _("at least one adopter and one provider"), default=True
    )
    eligible_countries = models.JSONField(
        _("eligible countries"), default=list, help_text=_("ISO codes, e.g. FI, SE, ES.")
    )
    # Dates.
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at (deadline)"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default=DEFAULT_TIME_ZONE)
    short_window_acknowledged = models.BooleanField(
        _("short opening window acknowledged"), default=False
    )
    # Evaluation settings, used by the evaluation app.
    total_threshold = models.DecimalField(
        _("total threshold"), max_digits=5, decimal_places=2, default=Decimal("10.00")
    )
    evaluators_per_proposal = models.PositiveSmallIntegerField(
        _("evaluators per proposal"), default=3, validators=[MinValueValidator(2)]
    )
    blind_evaluation = models.BooleanField(_("blind evaluation"), default=False)
    divergence_percent = models.PositiveSmallIntegerField(
        _("divergence: gap in % of the higher total"),
        default=30,
        validators=[MaxValueValidator(100)],
    )
    divergence_points = models.DecimalField(
        _("divergence: gap in points on one criterion"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("2.00"),
    )
    divergence_settlement = models.CharField(
        _("divergence settled by"),
        max_length=20,
        choices=DivergenceSettlement.choices,
        default=DivergenceSettlement.CONSENSUS,
    )
    extra_evaluator_rule = models.CharField(
        _("final score after an additional evaluator"),
        max_length=20,
        choices=ExtraEvaluatorRule.choices,
        blank=True,
        help_text=_(
            "Only when an additional evaluator may settle a divergence: how the final score of "
            "each criterion is set from every evaluator's score."
        ),
    )
    tie_break_chain = models.JSONField(_("tie-break chain"), default=default_tie_break_chain)
    redress_window_days = models.PositiveSmallIntegerField(_("redress window (days)"), default=30)
    unsuccessful_retention_months = models.PositiveSmallIntegerField(
        _("unsuccessful applications kept for (months after the deadline)"),
        default=default_unsuccessful_retention_months,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Then their answers, files and submitted copies are deleted and the people named in "
            "them unlinked; references, states and amounts stay for the call's figures."
        ),
    )
    instalment_plan = models.JSONField(_("instalment plan"), default=default_instalment_plan)
    # Bookkeeping.
    submission_counter = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Set on calls created by importing the results of a call run outside MineGap: no
    # deadline, no submission here, nothing to edit; their projects are shown read-only.
    imported_at = models.DateTimeField(_("results imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-opens_at", "title"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_budget__gte=0)
                & Q(cap_per_project__gte=0)
                & Q(cap_per_third_party__gte=0),
                name="call_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(min_members__lte=models.F("max_members")),
                name="call_min_members_lte_max",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(opens_at__lt=models.F("closes_at")),
                name="call_opens_before_closes",
            ),
            models.CheckConstraint(
                condition=Q(
                    divergence_settlement=DivergenceSettlement.CONSENSUS, extra_evaluator_rule=""
                )
                | (
                    ~Q(divergence_settlement=DivergenceSettlement.CONSENSUS)
                    & Q(extra_evaluator_rule__in=ExtraEvaluatorRule.values)
                ),
                name="call_extra_evaluator_rule_iff_extra_evaluator",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.divergence_by_extra_evaluator and not self.extra_evaluator_rule:
            raise ValidationError(
                {
                    "extra_evaluator_rule": _(
                        "Choose how the final score is set when an additional evaluator "
                        "settles a divergence."
                    )
                }
            )
        if not self.divergence_by_extra_evaluator and self.extra_evaluator_rule:
            raise ValidationError(
                {
                    "extra_evaluator_rule": _(
                        "Only a call whose divergences an additional evaluator may settle has "
                        "a rule for it."
                    )
                }
            )

    @property
    def divergence_by_consensus(self) -> bool:
        return self.divergence_settlement in (
            DivergenceSettlement.CONSENSUS,
            DivergenceSettlement.EITHER,
        )

    @property
    def divergence_by_extra_evaluator(self) -> bool:
        return self.divergence_settlement in (
            DivergenceSettlement.EXTRA_EVALUATOR,
            DivergenceSettlement.EITHER,
        )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def state_at(self, now: datetime | None = None) -> str:
        """The effective state at `now`: the clock decides between published, open and closed."""
        if self.state not in CallState.clock_driven():
            return self.state
        now = now or timezone.now()
        if self.closes_at is not None and now >= self.closes_at:
            return CallState.CLOSED
        if self.opens_at is not None and now >= self.opens_at:
            return CallState.OPEN
        return CallState.PUBLISHED

    @property
    def effective_state(self) -> str:
        return self.state_at()

    def get_effective_state_display(self) -> str:
        return str(CallState(self.effective_state).label)

    def is_open_at(self, now: datetime) -> bool:
        return self.state_at(now) == CallState.OPEN

    @staticmethod
    def open_at_filter(now: datetime, *, through: str = "") -> Q:
        """`is_open_at(now)` as a filter, for a statement that checks it in the database (the
        autosave's); `through` is the path to the call (`"call__"` from an application)."""
        return Q(
            **{f"{through}state__in": CallState.clock_driven(), f"{through}opens_at__lte": now}
        ) & (Q(**{f"{through}closes_at__isnull": True}) | Q(**{f"{through}closes_at__gt": now}))

    @property
    def is_open(self) -> bool:
        return self.is_open_at(timezone.now())


class VoucherType(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="voucher_types")
    name = models.CharField(_("name"), max_length=100)
    cap_per_sme = models.DecimalField(_("cap per SME (EUR)"), **MONEY)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("voucher type")
        verbose_name_plural = _("voucher types")
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="voucher_type_unique_name"),
            models.CheckConstraint(condition=Q(cap_per_sme__gt=0), name="voucher_cap_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2, default=1)
    max_score = models.DecimalField(_("maximum score"), max_digits=4, decimal_places=1, default=5)
    threshold = models.DecimalField(_("threshold"), max_digits=4, decimal_places=1, default=3)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="criterion_unique_name"),
            models.CheckConstraint(
                condition=Q(weight__gt=0)
                & Q(max_score__gt=0)
                & Q(threshold__gte=0)
                & Q(threshold__lte=models.F("max_score")),
                name="criterion_scores_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("label"), max_length=300)
    help_text = models.TextField(_("help text"), blank=True)
    char_limit = models.PositiveIntegerField(_("character limit"), default=3000)
    required = models.BooleanField(_("required"), default=True)
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("linked criterion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(condition=Q(char_limit__gt=0), name="question_limit_positive")
        ]

    def __str__(self) -> str:
        return self.label


class FileKind(models.TextChoices):
    """File types recognised by content (see `calls.files`)."""

    PDF = "pdf", "PDF"
    DOCX = "docx", _("Word document (DOCX)")
    XLSX = "xlsx", _("Spreadsheet (XLSX)")
    PNG = "png", "PNG"
    JPEG = "jpeg", "JPEG"


class AttachmentRequirement(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="attachment_requirements")
    label = models.CharField(_("label"), max_length=200)
    allowed_types = models.JSONField(
        _("allowed types"), default=list, help_text=_("Any of pdf, docx, xlsx, png, jpeg.")
    )
    max_size_mb = models.PositiveSmallIntegerField(_("size limit (MB)"), default=10)
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("requested attachment")
        verbose_name_plural = _("requested attachments")
        constraints = [
            models.CheckConstraint(condition=Q(max_size_mb__gt=0), name="attachment_limit_positive")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def max_size_bytes(self) -> int:
        return self.max_size_mb * 1024 * 1024


class CallDocument(models.Model):
    """A public document of the call (guide for applicants, templates)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=private_upload_to("calls/documents"))
    kind = models.CharField(_("type"), max_length=10, choices=FileKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("call document")
        verbose_name_plural = _("call documents")

    def __str__(self) -> str:
        return self.title
