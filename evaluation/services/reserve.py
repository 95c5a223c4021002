"""After the committee's decision: a selected application leaves the funded list (found
ineligible, or its consortium declines the agreement) and the first reserve that fits the
budget now free moves up. The frozen decision is never edited: a ReserveMove row and the ledger
record what happened since."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import is_consortium_staff
from calls.models import Application, ApplicationState, Call, ConsortiumMember
from calls.receipts import consortium_admins
from calls.services import application_transition, set_awarded_amount
from evaluation.models import DecisionOutcome, DecisionSession, DecisionState, ReserveMove
from evaluation.services.common import clean_text, require_staff
from evaluation.services.decision import award_requested_amounts, staff_users
from evaluation.signals import reserve_promoted, selection_vacated
from minegap.ledger.services import record
from minegap.notifications.services import enqueue

MIN_VACATE_REASON = 10


def _awarded_total(call: Call) -> Decimal:
    total = ConsortiumMember.objects.filter(
        application__call=call,
        application__state__in=[ApplicationState.SELECTED, ApplicationState.FUNDED],
    ).aggregate(t=Sum("awarded_amount"))["t"]
    return total or Decimal("0.00")


def vacate_selection(
    *,
    application: Application,
    actor: User | None,
    reason: str,
    requested_by: User | None = None,
) -> ReserveMove | None:
    """A selected application leaves the funded list (found ineligible, or declined): it is
    rejected, its awarded amounts cleared, and the first reserve that fits moves up.

    ``actor=None`` is the system (another app's service that checked its own permission, such
    as a beneficiary refusing the agreement); ``requested_by`` is then who caused it. Returns
    the ReserveMove, or None when the call has no adopted decision (no reserve list)."""
    if actor is not None:
        require_staff(actor)
    reason = clean_text(reason)
    if len(reason) < MIN_VACATE_REASON:
        raise ValidationError(
            _("Say why the application leaves the funded list (at least %(n)d characters).")
            % {"n": MIN_VACATE_REASON}
        )
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=application.call_id)
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != ApplicationState.SELECTED:
            raise ValidationError(
                _("Only a selected application can leave the funded list; %(ref)s is “%(state)s”.")
                % {"ref": application.reference, "state": application.get_state_display()}
            )
        for member in application.members.filter(awarded_amount__isnull=False).order_by("pk"):
            set_awarded_amount(member=member, amount=None, actor=actor)
        application_transition(
            application=application,
            to_state=ApplicationState.REJECTED,
            actor=actor,
            reason=reason,
        )
        # Receivers (vouchers) end what the application held before a reserve takes its place.
        selection_vacated.send(
            sender=Application, application=application, reason=reason, actor=actor
        )
        decision = DecisionSession.objects.filter(call=call, state=DecisionState.ADOPTED).first()
        if decision is None:
            return None
        return promote_reserve(
            decision=decision, vacated=application, reason=reason, actor=actor or requested_by
        )


def promote_reserve(
    *, decision: DecisionSession, vacated: Application, reason: str, actor: User | None
) -> ReserveMove:
    """Move up the first reserve (by position) whose amount fits what the call's budget has
    free now; record the move (promoted=None when none fits) and tell who needs to know."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=decision.call_id)
        free = call.total_budget - _awarded_total(call)
        reserves = (
            decision.entries.filter(
                outcome=DecisionOutcome.RESERVE, application__state=ApplicationState.RESERVE
            )
            .select_related("application")
            .order_by("reserve_position")
        )
        chosen = next((e for e in reserves if e.amount <= free), None)
        promoted = chosen.application if chosen else None
        system = None if actor is None or not is_consortium_staff(actor) else actor
        if promoted is not None:
            application_transition(
                application=promoted,
                to_state=ApplicationState.SELECTED,
                actor=system,
                reason=_("Moved up from the reserve list after %(ref)s left.")
                % {"ref": vacated.reference},
            )
            award_requested_amounts(promoted, system)
        move = ReserveMove.objects.create(
            decision=decision, vacated=vacated, promoted=promoted, reason=reason, actor=actor
        )
        record(
            action="evaluation.decision.reserve_promoted"
            if promoted
            else "evaluation.decision.reserve_exhausted",
            target=decision,
            actor=actor,
            data={
                "vacated": vacated.reference,
                "promoted": promoted.reference if promoted else None,
                "reserve_position": chosen.reserve_position if chosen else None,
                "free_budget": free,
            },
            notes={"reason": reason},
        )
        if promoted is not None:
            enqueue(
                template="evaluation/reserve_promoted",
                subject=_("Your proposal %(ref)s moved up to the funded list")
                % {"ref": promoted.reference},
                recipients=consortium_admins(promoted),
                context={"reference": promoted.reference, "call": call.title},
            )
            reserve_promoted.send(sender=ReserveMove, move=move, actor=system)
        else:
            enqueue(
                template="evaluation/reserve_none",
                subject=_("No reserve could move up on %(call)s") % {"call": call.title},
                recipients=staff_users(),
                context={"vacated": vacated.reference, "call": call.title, "free": free},
            )
    return move
