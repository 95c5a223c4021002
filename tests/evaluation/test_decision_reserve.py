"""After adoption: a selected application leaves, the first reserve that fits moves up."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from calls.models import ApplicationState
from evaluation.models import ReserveMove
from evaluation.services import reserve as services
from evaluation.signals import reserve_promoted
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.evaluation.decision_factories import adopt, ready_call
from tests.evaluation.factories import freeze
from tests.factories import MembershipFactory, UserFactory
from tests.vouchers.factories import selected_application

pytestmark = pytest.mark.django_db

REASON = "Found ineligible: the lead is not an SME."


@pytest.fixture
def decided(staff):
    """Funded: apps 0 and 1; reserve: 2 (asks EUR 60,000: too much) then 3; rejected: 4."""
    ready = ready_call()
    member = ready.apps[2].members.order_by("pk").first()
    member.requested_amount = Decimal("40000.00")
    member.save()
    freeze(ready.apps[2])
    for application in ready.apps:
        for org_member in application.members.all():
            MembershipFactory(organisation=org_member.organisation)
    session = adopt(ready, staff)
    return ready, session


def _state(application):
    application.refresh_from_db()
    return application.state


def test_vacate_promotes_the_first_reserve_that_fits(decided, staff):
    ready, session = decided
    assert session.entries.get(application=ready.apps[2]).amount == Decimal("60000.00")
    seen = []
    reserve_promoted.connect(handler := lambda sender, move, actor, **kw: seen.append(move))
    try:
        move = services.vacate_selection(application=ready.apps[0], actor=staff, reason=REASON)
    finally:
        reserve_promoted.disconnect(handler)
    assert (move.vacated, move.promoted, move.reason, move.actor) == (
        ready.apps[0],
        ready.apps[3],
        REASON,
        staff,
    )
    assert seen == [move]
    assert _state(ready.apps[0]) == ApplicationState.REJECTED
    assert [m.awarded_amount for m in ready.apps[0].members.all()] == [None, None]
    assert _state(ready.apps[3]) == ApplicationState.SELECTED
    assert [m.awarded_amount for m in ready.apps[3].members.order_by("pk")] == [
        Decimal("20000.00"),
        Decimal("20000.00"),
    ]
    assert _state(ready.apps[2]) == ApplicationState.RESERVE  # did not fit, keeps its place
    entry = AuditEntry.objects.get(action="evaluation.decision.reserve_promoted")
    assert entry.data["promoted"] == ready.apps[3].reference
    assert entry.data["free_budget"] == "40000.00"
    admins = {m.user.email for m in ready.apps[3].lead_organisation.memberships.all()}
    sent = set(
        Notification.objects.filter(template="evaluation/reserve_promoted").values_list(
            "email", flat=True
        )
    )
    assert admins <= sent and len(sent) == 2
    # The frozen decision is not edited.
    session.refresh_from_db()
    assert session.content["entries"][0]["outcome"] == "fund"


def test_none_fits_records_the_move_and_tells_staff(decided, staff):
    ready, _session = decided
    services.vacate_selection(application=ready.apps[0], actor=staff, reason=REASON)
    move = services.vacate_selection(application=ready.apps[1], actor=staff, reason=REASON)
    assert move.promoted is None
    assert _state(ready.apps[2]) == ApplicationState.RESERVE
    assert AuditEntry.objects.filter(action="evaluation.decision.reserve_exhausted").count() == 1
    assert list(
        Notification.objects.filter(template="evaluation/reserve_none").values_list(
            "email", flat=True
        )
    ) == [staff.email]
    assert ReserveMove.objects.count() == 2


def test_vacate_refusals(decided, staff):
    ready, _session = decided
    with pytest.raises(ValidationError, match="Say why"):
        services.vacate_selection(application=ready.apps[0], actor=staff, reason="no")
    with pytest.raises(PermissionDenied):
        services.vacate_selection(application=ready.apps[0], actor=UserFactory(), reason=REASON)
    with pytest.raises(ValidationError, match="Only a selected application"):
        services.vacate_selection(application=ready.apps[2], actor=staff, reason=REASON)
    assert _state(ready.apps[0]) == ApplicationState.SELECTED
    assert not ReserveMove.objects.exists()


def test_system_vacate_without_a_decision_only_rejects(staff):
    consortium = selected_application(awarded=True)
    move = services.vacate_selection(
        application=consortium.application, actor=None, reason=REASON, requested_by=None
    )
    assert move is None
    assert _state(consortium.application) == ApplicationState.REJECTED
    assert not consortium.application.members.filter(awarded_amount__isnull=False).exists()
