"""The Transparency Committee's decision: open a session from the call's ranking, record who is
present, propose the funded and reserve lists (deviations need a written reason), vote, close
(adopt or not). What happens after adoption when a selected application leaves (the reserve
moving up) is in `evaluation.services.reserve`.

Choices made here (and tested):
- Attendance is recorded while the session is open; voting opens with it fixed.
- The proposal cannot change once voting is open. Staff may return the session to the proposal
  stage (`return_to_proposal`): every vote cast is then deleted, so no vote ever counts for a
  proposal other than the one it was cast on.
- The quorum counts the present members who took part in the vote (for, against or abstain).
- Adoption freezes a canonical document (no personal data) whose SHA-256 goes into the ledger;
  later score changes are refused for the call (scoring and consensus services check it), and
  nothing reads scores back into the stored document.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from accounts.rules import is_committee_member, is_consortium_staff
from accounts.selectors import people_with_role
from calls.models import (
    Application,
    ApplicationState,
    Call,
    CallState,
)
from calls.selectors import submitted_records
from calls.services import application_transition, call_transition, set_awarded_amount
from evaluation import tasks
from evaluation.models import (
    DecisionAttendance,
    DecisionEntry,
    DecisionOutcome,
    DecisionSession,
    DecisionState,
    DecisionVote,
    VoteChoice,
)
from evaluation.preconditions import (
    close_vote_refusal,
    decision_session_refusal,
    open_voting_refusal,
    ranking_refusal,
    vote_refusal,
)
from evaluation.ranking_pages import ranking_error_text
from evaluation.results import call_ranking
from evaluation.selectors_decision import (
    committee_members,
    default_quorum,
    document_hash,
    needs_reason,
    proposal_problems,
    tally,
)
from evaluation.services.common import clean_text, require_staff
from evaluation.signals import decision_adopted
from minegap.core.formatting import format_money
from minegap.ledger.services import record
from minegap.notifications.services import enqueue

MIN_REASON = 20
MIN_RETURN_REASON = 10
DOCUMENT_VERSION = 1


# Locks and permission checks -----------------------------------------------------------------


def _lock_session(session: DecisionSession) -> DecisionSession:
    return (
        DecisionSession.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=session.pk)
    )


def _require_state(session: DecisionSession, state: str, message: str) -> None:
    if session.state != state:
        raise ValidationError(message)


def _require_committee_or_staff(actor: User) -> None:
    if not (is_committee_member(actor) or is_consortium_staff(actor)):
        raise PermissionDenied(_("Only committee members and consortium staff can do this."))


def staff_users() -> list[User]:
    return list(people_with_role(roles.STAFF))


def _committee_and_staff_users() -> list[User]:
    return list(committee_members()) + staff_users()


# Opening a session ----------------------------------------------------------------------------


def _ranking_rows(call: Call):
    try:
        rows, pending = call_ranking(call)
    except ValueError as error:
        raise ValidationError(ranking_error_text(str(error))) from error
    refusal = ranking_refusal(rows, pending)
    if refusal:
        raise ValidationError(refusal)
    return rows


def open_decision_session(
    *,
    call: Call,
    actor: User,
    quorum: int | None = None,
    meeting_date: datetime.date | None = None,
) -> DecisionSession:
    """Staff open a session on a call whose ranking is complete. The proposal starts as the
    ranking's (fund while the budget lasts, then the reserve in rank order, below the
    thresholds rejected). A call still `closed` moves to `evaluating` first."""
    require_staff(actor)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        refusal = decision_session_refusal(call, timezone.now())
        if refusal:
            raise ValidationError(refusal)
        rows = _ranking_rows(call)
        if call.state_at(timezone.now()) == CallState.CLOSED:
            call = call_transition(call=call, to_state=CallState.EVALUATING, actor=actor)
        members = committee_members().count()
        if members == 0:
            raise ValidationError(_("The Transparency Committee has no member yet."))
        quorum = default_quorum() if quorum in (None, "") else int(quorum)
        if not 1 <= quorum <= members:
            raise ValidationError(
                _("The quorum must be between 1 and %(n)d (the committee's members).")
                % {"n": members}
            )
        session = DecisionSession.objects.create(
            call=call,
            quorum=quorum,
            meeting_date=meeting_date or timezone.localdate(),
            opened_by=actor,
        )
        entries, reserve = [], 0
        for row in rows:
            outcome = row.proposed_outcome
            position = None
            if outcome == DecisionOutcome.RESERVE:
                reserve += 1
                position = reserve
            entries.append(
                DecisionEntry(
                    session=session,
                    application=row.result.application,
                    rank=row.ranked.position,
                    total=row.ranked.total,
                    weighted_total=row.ranked.weighted_total.quantize(
                        Decimal("0.001"), rounding=ROUND_HALF_UP
                    ),
                    passed=row.ranked.passed,
                    amount=row.result.requested,
                    ranking_outcome=outcome,
                    outcome=outcome,
                    reserve_position=position,
                )
            )
        DecisionEntry.objects.bulk_create(entries)
        enqueue(
            template="evaluation/decision_opened",
            subject=_("A committee decision session is open on MineGap"),
            recipients=committee_members(),
            context={
                "call": call.title,
                "meeting_date": date_format(session.meeting_date, "DATE_FORMAT"),
            },
        )
        record(
            action="evaluation.decision.opened",
            target=session,
            actor=actor,
            data={"call": call.pk, "quorum": quorum, "entries": len(entries)},
        )
    return session


# Attendance and the proposal ------------------------------------------------------------------


def record_attendance(
    *, session: DecisionSession, actor: User, present: list[User]
) -> DecisionSession:
    """Staff record who is present (the whole list: the others are absent)."""
    require_staff(actor)
    with transaction.atomic():
        session = _lock_session(session)
        _require_state(
            session, DecisionState.OPEN, _("Attendance is recorded before voting opens.")
        )
        members = {m.pk: m for m in committee_members()}
        outsiders = [str(p) for p in present if p.pk not in members]
        if outsiders:
            raise ValidationError(
                _("Not committee members: %(names)s.") % {"names": ", ".join(outsiders)}
            )
        wanted = {p.pk for p in present}
        session.attendance.exclude(member_id__in=wanted).delete()
        already = set(session.attendance.values_list("member_id", flat=True))
        DecisionAttendance.objects.bulk_create(
            DecisionAttendance(session=session, member_id=pk) for pk in sorted(wanted - already)
        )
        record(
            action="evaluation.decision.attendance",
            target=session,
            actor=actor,
            data={"present": sorted(wanted)},
        )
    return session


def _renumber_reserve(entries: list[DecisionEntry], moved: DecisionEntry, position) -> None:
    """Put `moved` at `position` of the reserve list (None: at the end) and close the gaps."""
    queue = sorted(
        (e for e in entries if e.outcome == DecisionOutcome.RESERVE and e.pk != moved.pk),
        key=lambda e: (e.reserve_position, e.rank),
    )
    if moved.outcome == DecisionOutcome.RESERVE:
        if position is None:
            position = len(queue) + 1
        if not 1 <= position <= len(queue) + 1:
            raise ValidationError(
                _("The reserve position must be between 1 and %(n)d.") % {"n": len(queue) + 1}
            )
        queue.insert(position - 1, moved)
    for index, entry in enumerate(queue, start=1):
        entry.reserve_position = index
    if moved.outcome != DecisionOutcome.RESERVE:
        moved.reserve_position = None


def propose_outcome(
    *,
    entry: DecisionEntry,
    outcome: str,
    reserve_position: int | None,
    reason: str,
    actor: User,
) -> DecisionEntry:
    """A committee member (or staff) changes one application's place in the proposal.

    Any deviation from the ranking (another outcome, or a reserve placed above a better-ranked
    reserve) needs a written reason; the funded list must fit the budget; reserve positions
    stay 1..n (the others move to make room)."""
    _require_committee_or_staff(actor)
    if outcome not in DecisionOutcome.values:
        raise ValidationError(_("Choose fund, reserve or do not fund."))
    reason = clean_text(reason)
    with transaction.atomic():
        session = _lock_session(entry.session)
        _require_state(
            session,
            DecisionState.OPEN,
            _("The proposal cannot change once voting is open."),
        )
        entries = list(session.entries.select_related("application").order_by("rank", "pk"))
        target = next((e for e in entries if e.pk == entry.pk), None)
        if target is None:
            raise ValidationError(_("This application is not in the session."))
        before = (target.outcome, target.reserve_position)
        target.outcome = outcome
        _renumber_reserve(entries, target, reserve_position)
        if needs_reason(target, entries) and len(reason) < MIN_REASON:
            raise ValidationError(
                _(
                    "%(ref)s deviates from the ranking: write the reason "
                    "(at least %(n)d characters)."
                )
                % {"ref": target.application.reference, "n": MIN_REASON}
            )
        target.deviation_reason = reason
        if outcome != DecisionOutcome.REJECT and not target.passed:
            # The reserve moves up to the funded list: it is held to the same thresholds.
            raise ValidationError(
                _("%(ref)s is below the thresholds: it cannot be funded nor put on the reserve.")
                % {"ref": target.application.reference}
            )
        funded = sum((e.amount for e in entries if e.outcome == DecisionOutcome.FUND), Decimal("0"))
        if funded > session.call.total_budget:
            raise ValidationError(
                _(
                    "The funded list would ask for %(funded)s, %(over)s over the call's "
                    "budget of %(budget)s."
                )
                % {
                    "funded": format_money(funded),
                    "over": format_money(funded - session.call.total_budget),
                    "budget": format_money(session.call.total_budget),
                }
            )
        for e in entries:
            e.save(update_fields=["outcome", "reserve_position", "deviation_reason"])
        record(
            action="evaluation.decision.proposed",
            target=session,
            actor=actor,
            data={
                "application": target.application_id,
                "from": {"outcome": before[0], "reserve_position": before[1]},
                "to": {"outcome": target.outcome, "reserve_position": target.reserve_position},
            },
            notes={"reason": target.deviation_reason},
        )
    return target


# Voting ---------------------------------------------------------------------------------------


def open_voting(*, session: DecisionSession, actor: User) -> DecisionSession:
    require_staff(actor)
    with transaction.atomic():
        session = _lock_session(session)
        present = session.attendance.count()
        entries = list(session.entries.select_related("application").order_by("rank", "pk"))
        refusal = open_voting_refusal(session, present, entries)
        if refusal:
            raise ValidationError(refusal)
        session.state = DecisionState.VOTING
        session.voting_opened_at = timezone.now()
        session.save(update_fields=["state", "voting_opened_at"])
        record(
            action="evaluation.decision.voting_opened",
            target=session,
            actor=actor,
            data={"present": present, "quorum": session.quorum},
        )
    return session


def return_to_proposal(*, session: DecisionSession, actor: User, reason: str) -> DecisionSession:
    """Staff take the session back to the proposal stage; every vote cast so far is deleted."""
    require_staff(actor)
    reason = clean_text(reason)
    if len(reason) < MIN_RETURN_REASON:
        raise ValidationError(
            _("Say why the proposal is reopened (at least %(n)d characters).")
            % {"n": MIN_RETURN_REASON}
        )
    with transaction.atomic():
        session = _lock_session(session)
        _require_state(session, DecisionState.VOTING, _("The session is not voting."))
        cleared = session.votes.count()
        session.votes.all().delete()
        session.state = DecisionState.OPEN
        session.voting_opened_at = None
        session.save(update_fields=["state", "voting_opened_at"])
        record(
            action="evaluation.decision.returned_to_proposal",
            target=session,
            actor=actor,
            data={"votes_cleared": cleared},
            notes={"reason": reason},
        )
    return session


def cast_vote(*, session: DecisionSession, member: User, choice: str) -> DecisionVote:
    """A present committee member votes for, against, or abstains (may change it until close)."""
    if not is_committee_member(member):
        raise PermissionDenied(_("Only committee members vote."))
    if choice not in VoteChoice.values:
        raise ValidationError(_("Vote for, against, or abstain."))
    with transaction.atomic():
        session = _lock_session(session)
        present_ids = set(session.attendance.values_list("member_id", flat=True))
        refusal = vote_refusal(session, member, present_ids)
        if refusal:
            # Not present is a matter of permission; the rest of the session's state.
            voting = session.state == DecisionState.VOTING
            raise (PermissionDenied if voting else ValidationError)(refusal)
        vote, _created = DecisionVote.objects.update_or_create(
            session=session, member=member, defaults={"choice": choice}
        )
        record(
            action="evaluation.decision.vote",
            target=session,
            actor=member,
            data={"choice": choice},
        )
    return vote


# Closing: adopted or not -----------------------------------------------------------------------


def decision_document(
    session: DecisionSession, entries: list[DecisionEntry], counts, adopted_at
) -> dict:
    """The frozen decision: no person's name or e-mail; Decimals as strings. Acronyms are the
    submitted ones (`submitted_records`), not a later unsubmitted edit."""
    call = session.call
    records = submitted_records([e.application for e in entries])
    return {
        "version": DOCUMENT_VERSION,
        "session": session.pk,
        "call": {"slug": call.slug, "title": call.title, "code": call.code},
        "budget": str(call.total_budget),
        "meeting_date": session.meeting_date.isoformat(),
        "adopted_at": adopted_at.astimezone(datetime.UTC).isoformat(),
        "quorum": session.quorum,
        "present": counts.present,
        "votes": {
            "for": counts.votes_for,
            "against": counts.votes_against,
            "abstain": counts.abstentions,
        },
        "entries": [
            {
                "reference": e.application.reference,
                "acronym": records[e.application_id].acronym,
                "rank": e.rank,
                "total": str(e.total),
                "weighted_total": str(e.weighted_total),
                "passed": e.passed,
                "amount": str(e.amount),
                "ranking_outcome": e.ranking_outcome,
                "outcome": e.outcome,
                "reserve_position": e.reserve_position,
                "deviation_reason": e.deviation_reason,
            }
            for e in entries
        ],
    }


def award_requested_amounts(application: Application, actor: User | None) -> None:
    """Each member of a selected application's submitted consortium is awarded what it asked
    for in the submitted version (not an amount edited after it without submitting again).
    A member that left the consortium since is not confirmed: `set_awarded_amount` refuses."""
    record = submitted_records([application])[application.pk]
    members = {m.organisation_id: m for m in application.members.filter(organisation__isnull=False)}
    for submitted in record.members:
        set_awarded_amount(
            member=members[submitted.organisation_id],
            amount=submitted.requested_amount,
            actor=actor,
        )


_OUTCOME_STATE = {
    DecisionOutcome.FUND: ApplicationState.SELECTED,
    DecisionOutcome.RESERVE: ApplicationState.RESERVE,
    DecisionOutcome.REJECT: ApplicationState.REJECTED,
}


def close_session(
    *, session: DecisionSession, actor: User, confirmed_missing: Collection[int] = ()
) -> DecisionSession:
    """Staff close the vote: quorum met and more for than against -> adopted (frozen, applied);
    otherwise not adopted, with the reason kept in `content`. Closing cannot be undone: when
    present members have not voted, `confirmed_missing` must name each of them (their ids)."""
    require_staff(actor)
    with transaction.atomic():
        session = _lock_session(session)
        refusal = close_vote_refusal(session, confirmed_missing)
        if refusal:
            raise ValidationError(refusal)
        counts = tally(session)
        now = timezone.now()
        session.closed_at = now
        session.closed_by = actor
        if not counts.quorum_met or not counts.majority_for:
            reason = (
                _("Quorum not met: %(voters)d members voted, the quorum is %(quorum)d.")
                % {"voters": counts.voters, "quorum": counts.quorum}
                if not counts.quorum_met
                else _("No majority: %(f)d for, %(a)d against.")
                % {"f": counts.votes_for, "a": counts.votes_against}
            )
            session.state = DecisionState.NOT_ADOPTED
            session.content = {
                "outcome": "not_adopted",
                "reason": reason,
                "votes": {
                    "for": counts.votes_for,
                    "against": counts.votes_against,
                    "abstain": counts.abstentions,
                },
            }
            session.save(update_fields=["state", "closed_at", "closed_by", "content"])
            enqueue(
                template="evaluation/decision_not_adopted",
                subject=_("The committee's decision was not adopted"),
                recipients=_committee_and_staff_users(),
                context={"call": session.call.title, "reason": reason},
            )
            record(
                action="evaluation.decision.not_adopted",
                target=session,
                actor=actor,
                data=dict(session.content["votes"]),
                notes={"reason": reason},
            )
            return session
        _adopt(session, counts, actor, now)
    return session


def _adopt(session: DecisionSession, counts, actor: User, now) -> None:
    entries = list(session.entries.select_related("application").order_by("rank", "pk"))
    problems = proposal_problems(entries, session.call.total_budget)
    if problems:  # held by propose/open_voting; checked again on what is frozen
        raise ValidationError(problems)
    document = decision_document(session, entries, counts, now)
    session.content = document
    session.content_hash = document_hash(document)
    session.state = DecisionState.ADOPTED
    try:
        with transaction.atomic():
            session.save(
                update_fields=["state", "closed_at", "closed_by", "content", "content_hash"]
            )
    except IntegrityError as error:
        raise ValidationError(_("This call already has an adopted decision.")) from error
    for entry in entries:
        application_transition(
            application=entry.application,
            to_state=_OUTCOME_STATE[entry.outcome],
            actor=actor,
            reason=_("Committee decision of %(date)s") % {"date": session.meeting_date},
        )
        if entry.outcome == DecisionOutcome.FUND:
            award_requested_amounts(entry.application, actor)
    call_transition(call=session.call, to_state=CallState.DECIDED, actor=actor)
    entry = record(
        action="evaluation.decision.adopted",
        target=session,
        actor=actor,
        data={
            "call": session.call.slug,
            "content_hash": session.content_hash,
            "funded": [e.application.reference for e in entries if e.outcome == "fund"],
            "votes": document["votes"],
        },
    )
    session.ledger_seq = entry.seq
    session.save(update_fields=["ledger_seq"])
    # Receivers (vouchers) write in this transaction: if they fail, nothing is adopted.
    decision_adopted.send(sender=DecisionSession, session=session, actor=actor)
    enqueue(
        template="evaluation/decision_adopted",
        subject=_("The committee adopted its decision on %(call)s") % {"call": session.call.title},
        recipients=_committee_and_staff_users(),
        context={
            "call": session.call.title,
            "content_hash": session.content_hash,
            "ledger_seq": session.ledger_seq,
            "funded": sum(1 for e in entries if e.outcome == DecisionOutcome.FUND),
            "reserve": sum(1 for e in entries if e.outcome == DecisionOutcome.RESERVE),
        },
    )
    session_id = session.pk
    transaction.on_commit(lambda: tasks.render_minutes.delay(session_id))


# After adoption: a selected application leaves, the first reserve that fits moves up ----------
