"""The Transparency Committee's decision on a call: a session, the members present, the proposed
funded and reserve lists (with reasons for any deviation from the ranking), the votes, and, once
adopted, the frozen document whose hash goes into the audit ledger and onto the public site."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import Application, Call
from calls.models.call import MONEY
from calls.storage import private_upload_to


class DecisionState(models.TextChoices):
    OPEN = "open", _("Open: lists being prepared")
    VOTING = "voting", _("Voting")
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")

    @classmethod
    def active(cls) -> list[str]:
        return [cls.OPEN, cls.VOTING]


class DecisionOutcome(models.TextChoices):
    FUND = "fund", _("Fund")
    RESERVE = "reserve", _("Reserve list")
    REJECT = "reject", _("Do not fund")


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class DecisionSession(models.Model):
    """One sitting of the committee on one call. At most one is open per call, and at most one
    is ever adopted; the adopted one's `content` is the frozen decision and never changes."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="decision_sessions")
    state = models.CharField(
        _("state"), max_length=12, choices=DecisionState.choices, default=DecisionState.OPEN
    )
    meeting_date = models.DateField(_("meeting date"), default=timezone.localdate)
    quorum = models.PositiveSmallIntegerField(
        _("quorum"), help_text=_("Members who must be present for the decision to be valid.")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    voting_opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The frozen decision: canonical JSON, its SHA-256, and the ledger entry that recorded it.
    content = models.JSONField(null=True, blank=True, editable=False)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True, editable=False)
    ledger_seq = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    minutes_pdf = models.FileField(
        upload_to=private_upload_to("evaluation/minutes"), blank=True, editable=False
    )

    class Meta:
        verbose_name = _("committee decision session")
        verbose_name_plural = _("committee decision sessions")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call"],
                condition=Q(state__in=["open", "voting"]),
                name="decision_one_active_session_per_call",
            ),
            models.UniqueConstraint(
                fields=["call"],
                condition=Q(state="adopted"),
                name="decision_one_adopted_per_call",
            ),
            models.CheckConstraint(
                condition=~Q(state="adopted") | (~Q(content_hash="") & Q(content__isnull=False)),
                name="decision_adopted_is_frozen",
            ),
            models.CheckConstraint(condition=Q(quorum__gte=1), name="decision_quorum_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.call}: {self.get_state_display()} ({self.meeting_date})"

    @property
    def is_adopted(self) -> bool:
        return self.state == DecisionState.ADOPTED


class DecisionAttendance(models.Model):
    """A committee member present at the session (only those present may vote)."""

    session = models.ForeignKey(
        DecisionSession, on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member__full_name", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="decision_attendance_unique")
        ]

    def __str__(self) -> str:
        return str(self.member)


class DecisionEntry(models.Model):
    """One ranked application in the session's proposal: what the ranking proposed, what the
    committee proposes, and the written reason whenever the two differ."""

    session = models.ForeignKey(DecisionSession, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField(_("rank"))
    total = models.DecimalField(_("total score"), max_digits=6, decimal_places=2)
    weighted_total = models.DecimalField(_("weighted total"), max_digits=8, decimal_places=3)
    passed = models.BooleanField(_("passed the thresholds"))
    amount = models.DecimalField(_("amount requested"), **MONEY)
    ranking_outcome = models.CharField(
        _("outcome proposed by the ranking"), max_length=8, choices=DecisionOutcome.choices
    )
    outcome = models.CharField(
        _("outcome proposed by the committee"), max_length=8, choices=DecisionOutcome.choices
    )
    reserve_position = models.PositiveSmallIntegerField(
        _("reserve position"), null=True, blank=True
    )
    deviation_reason = models.TextField(_("reason for deviating from the ranking"), blank=True)

    class Meta:
        ordering = ["rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "application"], name="decision_entry_unique"
            ),
            models.CheckConstraint(
                condition=Q(outcome="reserve", reserve_position__isnull=False)
                | (~Q(outcome="reserve") & Q(reserve_position__isnull=True)),
                name="decision_entry_reserve_has_position",
            ),
            models.CheckConstraint(
                condition=Q(outcome=models.F("ranking_outcome")) | ~Q(deviation_reason=""),
                name="decision_entry_deviation_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="decision_entry_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.application}: {self.get_outcome_display()}"

    @property
    def deviates(self) -> bool:
        return self.outcome != self.ranking_outcome


class DecisionVote(models.Model):
    session = models.ForeignKey(DecisionSession, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=8, choices=VoteChoice.choices)
    cast_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="decision_vote_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_choice_display()}"


class ReserveMove(models.Model):
    """After adoption: a selected application left (declined, found ineligible) and the first
    reserve that fits moved up. The frozen decision is not edited; this row and the ledger say
    what happened since."""

    decision = models.ForeignKey(
        DecisionSession, on_delete=models.PROTECT, related_name="reserve_moves"
    )
    vacated = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    promoted = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vacated"], name="reserve_move_once_per_vacancy")
        ]

    def __str__(self) -> str:
        return f"{self.vacated} -> {self.promoted or '-'}"
