"""The consortium as submitted is what is funded: a partner that is no longer a confirmed member
(it left after the last submission) is shown to staff before the vote closes, and adopting the
decision awards it its submitted share instead of failing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from calls.models import ConsortiumMember, MemberStatus
from calls.services import set_awarded_amount
from evaluation.models import DecisionState
from evaluation.services import decision as services
from tests.auth import sign_in
from tests.evaluation.decision_factories import ready_call
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_partner_gone_since_the_submission_is_shown_then_awarded_its_submitted_share(
    client, staff
):
    ready = ready_call()
    first, second = ready.apps[0], ready.apps[1]
    leaver = first.members.get(is_lead=False)
    ConsortiumMember.objects.filter(pk=leaver.pk).update(status=MemberStatus.WITHDRAWN)
    session = services.open_decision_session(call=ready.call, actor=staff)
    sign_in(client, staff)

    before = client.get(reverse("evaluation:committee-session", args=[session.pk]))

    assert (
        f"{first.reference}: {leaver.organisation.legal_name} (€20,000.00 as submitted) is no "
        "longer a confirmed member."
    ) in before.content.decode()
    assert second.reference + ":" not in before.content.decode()
    services.record_attendance(session=session, actor=staff, present=ready.committee)
    services.open_voting(session=session, actor=staff)
    for member in ready.committee:
        services.cast_vote(session=session, member=member, choice="for")
    adopted = services.close_session(session=session, actor=staff)

    assert adopted.state == DecisionState.ADOPTED
    assert sorted(first.members.values_list("is_lead", "status", "awarded_amount")) == [
        (False, MemberStatus.WITHDRAWN, Decimal("20000.00")),
        (True, MemberStatus.CONFIRMED, Decimal("20000.00")),
    ]
    # The voucher drafted on adoption asks the partner to sign its share as submitted.
    assert sorted(first.voucher.shares.values_list("organisation__legal_name", "amount")) == sorted(
        [
            (first.lead_organisation.legal_name, Decimal("20000.00")),
            (leaver.organisation.legal_name, Decimal("20000.00")),
        ]
    )
    after = client.get(reverse("evaluation:committee-session", args=[session.pk]))
    assert "no longer a confirmed member" not in after.content.decode()


def test_a_member_outside_the_submitted_consortium_is_still_refused_an_award(staff):
    ready = ready_call()
    application = ready.apps[0]
    outsider = ConsortiumMember.objects.create(
        application=application,
        organisation=OrganisationFactory(),
        status=MemberStatus.WITHDRAWN,
        requested_amount=Decimal("10000.00"),
    )

    with pytest.raises(ValidationError) as refusal:
        set_awarded_amount(member=outsider, amount=Decimal("10000.00"), actor=staff)

    assert refusal.value.messages == ["Only a confirmed consortium member can be awarded money."]
