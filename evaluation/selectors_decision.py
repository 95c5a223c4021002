"""Reads of the Transparency Committee's decisions: sessions, their proposal, the budget line,
the frozen document and its verification, and what the public site may show.

The canonical form of a decision document is defined here (sorted keys, no spaces, UTF-8,
every Decimal already a string), so the service that hashes it, the public download and the
verification all serialise the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from accounts.selectors import people_with_role
from calls.models import Application, ApplicationState, Call, CallState
from calls.records import RecordMember
from calls.selectors import members_gone_since_submission, with_submitted_texts
from evaluation.models import (
    DecisionAttendance,
    DecisionEntry,
    DecisionOutcome,
    DecisionSession,
    DecisionState,
    DecisionVote,
    ReserveMove,
    VoteChoice,
)
from minegap.core.compiled_queries import CompiledQuery
from minegap.core.formatting import format_money
from minegap.ledger.models import AuditEntry

#: Call states in which an adopted decision's document may be downloaded by anyone.
PUBLIC_DOCUMENT_STATES = (CallState.RESULTS_PUBLISHED, CallState.ARCHIVED)


def canonical_bytes(document: dict) -> bytes:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def document_hash(document: dict) -> str:
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


def committee_members() -> QuerySet[User]:
    return people_with_role(roles.COMMITTEE).order_by("full_name", "pk")


def default_quorum() -> int:
    """A majority of the committee's members (at least one)."""
    return committee_members().count() // 2 + 1


def adopted_decision(call: Call) -> DecisionSession | None:
    return DecisionSession.objects.filter(call=call, state=DecisionState.ADOPTED).first()


#: The states of a call's decision sessions, compiled once per process (a ranking page asks on
#: every request).
_SESSION_STATES = CompiledQuery(
    lambda call_id: (
        DecisionSession.objects.filter(call_id=call_id).order_by().values_list("state").distinct()
    ),
    "call_id",
)


def session_states(call_id: int) -> frozenset[str]:
    """The states the call's decision sessions are in (adopted, open...), in one query."""
    return frozenset(state for (state,) in _SESSION_STATES.rows(call_id=call_id))


def sessions_list() -> QuerySet[DecisionSession]:
    """Every session, newest first, with its call (the committee's list page)."""
    return (
        DecisionSession.objects.select_related("call")
        .annotate(present=Count("attendance", distinct=True))
        .order_by("-opened_at", "-pk")
    )


def session_for_page(pk: int) -> DecisionSession | None:
    return (
        DecisionSession.objects.select_related("call", "opened_by", "closed_by")
        .filter(pk=pk)
        .first()
    )


def session_entries(session: DecisionSession) -> list[DecisionEntry]:
    """The entries, each application with its submitted `texts` (acronym, title)."""
    entries = list(session.entries.select_related("application").order_by("rank", "pk"))
    with_submitted_texts(e.application for e in entries)
    return entries


@dataclass(frozen=True)
class GoneMember:
    """A member of a proposed-for-funding application's submitted consortium that left it
    since: adopting awards it its submitted share all the same."""

    application: Application
    member: RecordMember


def funded_members_gone(entries: list[DecisionEntry]) -> list[GoneMember]:
    """For the entries proposed for funding, the members of each submitted consortium that are
    no longer confirmed members (one query more than the submitted records)."""
    funded = [e.application for e in entries if e.outcome == DecisionOutcome.FUND]
    gone = members_gone_since_submission(funded)
    return [GoneMember(a, m) for a in funded for m in gone.get(a.pk, [])]


def session_attendance(session: DecisionSession) -> list[DecisionAttendance]:
    return list(session.attendance.select_related("member"))


def session_votes(session: DecisionSession) -> list[DecisionVote]:
    return list(session.votes.select_related("member").order_by("member__full_name", "pk"))


@dataclass(frozen=True)
class Tally:
    present: int
    votes_for: int
    votes_against: int
    abstentions: int
    quorum: int

    @property
    def voters(self) -> int:
        return self.votes_for + self.votes_against + self.abstentions

    @property
    def quorum_met(self) -> bool:
        """Quorum counts the present members who took part in the vote (abstaining counts)."""
        return self.voters >= self.quorum

    @property
    def majority_for(self) -> bool:
        return self.votes_for > self.votes_against


def tally(session: DecisionSession) -> Tally:
    counts = session.votes.aggregate(
        f=Count("pk", filter=Q(choice=VoteChoice.FOR)),
        a=Count("pk", filter=Q(choice=VoteChoice.AGAINST)),
        n=Count("pk", filter=Q(choice=VoteChoice.ABSTAIN)),
    )
    return Tally(
        present=session.attendance.count(),
        votes_for=counts["f"],
        votes_against=counts["a"],
        abstentions=counts["n"],
        quorum=session.quorum,
    )


@dataclass(frozen=True)
class BudgetLine:
    budget: Decimal
    funded: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.funded

    @property
    def fits(self) -> bool:
        return self.funded <= self.budget


def budget_line(entries: list[DecisionEntry], budget: Decimal) -> tuple[list[tuple], BudgetLine]:
    """Each entry with the cumulative amount of the committee's funded list up to it (None
    for the others) and whether that still fits the budget."""
    rows, funded = [], Decimal("0.00")
    for entry in entries:
        cumulative = None
        if entry.outcome == DecisionOutcome.FUND:
            funded += entry.amount
            cumulative = funded
        rows.append((entry, cumulative, cumulative is None or cumulative <= budget))
    return rows, BudgetLine(budget=budget, funded=funded)


def reserve_inversions(entries: list[DecisionEntry]) -> list[tuple[DecisionEntry, DecisionEntry]]:
    """Pairs (better ranked, worse ranked) of reserves whose positions put the worse one first."""
    reserves = [e for e in entries if e.outcome == DecisionOutcome.RESERVE]
    return [
        (better, worse)
        for better in reserves
        for worse in reserves
        if better.rank < worse.rank and better.reserve_position > worse.reserve_position
    ]


def needs_reason(entry: DecisionEntry, entries: list[DecisionEntry]) -> bool:
    """Another outcome than the ranking's, or a reserve order against the ranking involving it
    for which the other entry of the pair gives no reason."""
    if entry.deviates:
        return True
    for better, worse in reserve_inversions(entries):
        other = worse if better.pk == entry.pk else better if worse.pk == entry.pk else None
        if other is not None and not other.deviation_reason.strip():
            return True
    return False


def deviating_ids(entries: list[DecisionEntry]) -> set[int]:
    """Entries that differ from the ranking (outcome or reserve order), for the pages."""
    ids = {e.pk for e in entries if e.deviates}
    for better, worse in reserve_inversions(entries):
        ids |= {better.pk, worse.pk}
    return ids


def proposal_problems(entries: list[DecisionEntry], budget: Decimal) -> list[str]:
    """What stops this proposal from being put to the vote or adopted (empty when nothing)."""
    problems = []
    funded = sum((e.amount for e in entries if e.outcome == DecisionOutcome.FUND), Decimal("0"))
    if funded > budget:
        problems.append(
            _("The funded list asks for %(funded)s, over the call's budget of %(budget)s.")
            % {"funded": format_money(funded), "budget": format_money(budget)}
        )
    positions = sorted(e.reserve_position for e in entries if e.outcome == DecisionOutcome.RESERVE)
    if positions != list(range(1, len(positions) + 1)):
        problems.append(_("The reserve positions must run 1, 2, 3… without gaps."))
    for entry in entries:
        if entry.outcome != DecisionOutcome.REJECT and not entry.passed:
            problems.append(
                _("%(ref)s is below the thresholds: it cannot be funded nor put on the reserve.")
                % {"ref": entry.application.reference}
            )
        if entry.deviates and not entry.deviation_reason.strip():
            problems.append(
                _("%(ref)s deviates from the ranking without a written reason.")
                % {"ref": entry.application.reference}
            )
    for better, worse in reserve_inversions(entries):
        if not (better.deviation_reason.strip() or worse.deviation_reason.strip()):
            problems.append(
                _("%(worse)s is above %(better)s on the reserve list without a written reason.")
                % {"worse": worse.application.reference, "better": better.application.reference}
            )
    return problems


def verify_decision(session: DecisionSession) -> bool:
    """The stored document still hashes to the stored hash, and the ledger entry written at
    adoption names the same hash."""
    if not session.is_adopted or session.content is None or not session.content_hash:
        return False
    if document_hash(session.content) != session.content_hash:
        return False
    entry = AuditEntry.objects.filter(seq=session.ledger_seq).first()
    return (
        entry is not None
        and entry.action == "evaluation.decision.adopted"
        and entry.data.get("content_hash") == session.content_hash
    )


def reserve_moves(session: DecisionSession) -> list[ReserveMove]:
    return list(session.reserve_moves.select_related("vacated", "promoted", "actor"))


def vacatable_applications(call: Call) -> QuerySet[Application]:
    """The applications of a decided call that can still leave the funded list."""
    return Application.objects.filter(call=call, state=ApplicationState.SELECTED).order_by(
        "reference", "pk"
    )


@dataclass(frozen=True)
class PublicDecision:
    call_title: str
    call_slug: str
    meeting_date: object
    adopted_at: object
    content_hash: str
    ledger_seq: int | None
    downloadable: bool
    session_id: int


def public_decisions() -> list[PublicDecision]:
    """Every adopted decision as the public site shows it: no names, no e-mails."""
    sessions = (
        DecisionSession.objects.filter(state=DecisionState.ADOPTED)
        .select_related("call")
        .order_by("-closed_at", "-pk")
    )
    return [
        PublicDecision(
            call_title=s.call.title,
            call_slug=s.call.slug,
            meeting_date=s.meeting_date,
            adopted_at=s.closed_at,
            content_hash=s.content_hash,
            ledger_seq=s.ledger_seq,
            downloadable=s.call.state in PUBLIC_DOCUMENT_STATES,
            session_id=s.pk,
        )
        for s in sessions
    ]


def public_decision_document(call_slug: str) -> bytes | None:
    """The canonical bytes of a call's adopted decision, once its results are public."""
    session = (
        DecisionSession.objects.filter(
            state=DecisionState.ADOPTED,
            call__slug=call_slug,
            call__state__in=PUBLIC_DOCUMENT_STATES,
        )
        .only("content")
        .first()
    )
    return None if session is None else canonical_bytes(session.content)
