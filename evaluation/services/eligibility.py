"""Eligibility: store the automatic checks, record staff's confirmation or override."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from calls.models import Application, ApplicationState, Call
from calls.services import application_transition
from evaluation.eligibility_checks import run_checks
from evaluation.models import EligibilityCheck, EligibilityCheckItem, EligibilityDecision
from evaluation.preconditions import eligibility_checks_refusal
from evaluation.services.common import require_staff
from minegap.ledger.services import record

MIN_REASON_LENGTH = 10


def _checkable(call: Call):
    return (
        Application.objects.filter(call=call, state=ApplicationState.SUBMITTED)
        .select_related("call", "lead_organisation")
        .order_by("reference")
    )


def run_eligibility_checks(*, call: Call, actor: User, now: datetime | None = None) -> int:
    """Compute the automatic checks of every submitted application still to be decided.

    Runs after the deadline only. Decided applications keep their checks as decided. Returns
    the number of applications checked.
    """
    require_staff(actor)
    now = now or timezone.now()
    refusal = eligibility_checks_refusal(call, now)
    if refusal:
        raise ValidationError(refusal)
    count = 0
    with transaction.atomic():
        decided = set(
            EligibilityCheck.objects.filter(application__call=call)
            .exclude(decision=EligibilityDecision.PENDING)
            .values_list("application_id", flat=True)
        )
        for application in _checkable(call):
            if application.pk in decided:
                continue
            results = run_checks(application)
            check, _created = EligibilityCheck.objects.update_or_create(
                application=application,
                defaults={
                    "computed_at": now,
                    "automatic_passed": all(r.passed for r in results),
                },
            )
            check.items.all().delete()
            EligibilityCheckItem.objects.bulk_create(
                EligibilityCheckItem(
                    check_run=check, code=r.code, passed=r.passed, evidence=r.evidence, order=i
                )
                for i, r in enumerate(results)
            )
            count += 1
        record(
            action="evaluation.eligibility.checked",
            target=call,
            actor=actor,
            data={"applications": count},
        )
    return count


def decide_eligibility(
    *, application: Application, actor: User, decision: str, reason: str = ""
) -> EligibilityCheck:
    """Staff confirm the automatic result or override it (with a written reason).

    An ineligible application records the reason and leaves the evaluation (its state goes to
    ineligible through the calls service).
    """
    require_staff(actor)
    if decision not in (EligibilityDecision.ELIGIBLE, EligibilityDecision.INELIGIBLE):
        raise ValidationError(_("Choose eligible or ineligible."))
    reason = (reason or "").strip()
    with transaction.atomic():
        try:
            check = EligibilityCheck.objects.select_for_update().get(application=application)
        except EligibilityCheck.DoesNotExist:
            raise ValidationError(_("Run the automatic checks first.")) from None
        if check.decision != EligibilityDecision.PENDING:
            raise ValidationError(_("This application's eligibility is already decided."))
        overridden = (decision == EligibilityDecision.ELIGIBLE) != check.automatic_passed
        if (overridden or decision == EligibilityDecision.INELIGIBLE) and len(
            reason
        ) < MIN_REASON_LENGTH:
            raise ValidationError(
                _("Write the reason (at least %(n)d characters): it is recorded and shown.")
                % {"n": MIN_REASON_LENGTH},
                code="reason",
            )
        application_transition(
            application=application, to_state=str(decision), actor=actor, reason=reason
        )
        check.decision = decision
        check.overridden = overridden
        check.reason = reason
        check.decided_by = actor
        check.decided_at = timezone.now()
        check.save()
        record(
            action="evaluation.eligibility.decided",
            target=application,
            actor=actor,
            data={
                "decision": decision,
                "overridden": overridden,
                "failed_checks": list(
                    check.items.filter(passed=False).values_list("code", flat=True)
                ),
            },
            notes={"reason": reason},
        )
    return check
