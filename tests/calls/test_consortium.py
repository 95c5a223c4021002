from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from calls import services
from calls.models import MemberRole, MemberStatus
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.calls.factories import CallFactory, complete_application
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    call = CallFactory()
    membership = MembershipFactory()
    application = services.create_application(
        call=call, organisation=membership.organisation, actor=membership.user
    )
    return application, membership.user


@pytest.fixture
def partner():
    membership = MembershipFactory(organisation=OrganisationFactory(country="SE"))
    return membership.organisation, membership.user


def test_invite_notifies_partner_admins_and_logs(draft, partner):
    application, lead_admin = draft
    organisation, partner_admin = partner
    member = services.invite_partner(
        application=application, organisation=organisation, invited_by=lead_admin
    )
    assert (member.status, member.organisation, member.invited_by) == (
        MemberStatus.INVITED,
        organisation,
        lead_admin,
    )
    assert list(
        Notification.objects.filter(template="calls/invitation").values_list("email", flat=True)
    ) == [partner_admin.email]
    assert AuditEntry.objects.filter(action="calls.member.invited").count() == 1


def test_only_lead_admins_invite(draft, partner):
    application, _lead_admin = draft
    organisation, partner_admin = partner
    plain_member = UserFactory()
    MembershipFactory(user=plain_member, organisation=application.lead_organisation, role="member")
    for outsider in (plain_member, partner_admin, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.invite_partner(
                application=application, organisation=organisation, invited_by=outsider
            )


def test_cannot_invite_twice(draft, partner):
    application, lead_admin = draft
    organisation, _ = partner
    services.invite_partner(
        application=application, organisation=organisation, invited_by=lead_admin
    )
    with pytest.raises(ValidationError):
        services.invite_partner(
            application=application, organisation=organisation, invited_by=lead_admin
        )


def test_partner_confirms_role_budget_and_signs(draft, partner):
    application, lead_admin = draft
    organisation, partner_admin = partner
    member = services.invite_partner(
        application=application, organisation=organisation, invited_by=lead_admin
    )
    with pytest.raises(PermissionDenied):
        services.confirm_participation(
            member=member,
            actor=lead_admin,
            role=MemberRole.PROVIDER,
            requested_amount=Decimal("10000.00"),
        )
    services.confirm_participation(
        member=member,
        actor=partner_admin,
        role=MemberRole.PROVIDER,
        requested_amount=Decimal("10000.00"),
    )
    services.sign_declaration(member=member, actor=partner_admin)
    member.refresh_from_db()
    assert (member.status, member.role, member.requested_amount, member.declaration_signed_by) == (
        MemberStatus.CONFIRMED,
        MemberRole.PROVIDER,
        Decimal("10000.00"),
        partner_admin,
    )
    assert list(
        AuditEntry.objects.filter(target_type="calls.consortiummember").values_list(
            "action", flat=True
        )
    ) == ["calls.member.invited", "calls.member.confirmed", "calls.member.declaration_signed"]


def test_confirm_refuses_float_negative_and_sub_cent(draft, partner):
    application, lead_admin = draft
    organisation, partner_admin = partner
    member = services.invite_partner(
        application=application, organisation=organisation, invited_by=lead_admin
    )
    for amount in (100.0, Decimal("-1.00"), Decimal("1.001")):
        with pytest.raises(ValidationError):
            services.confirm_participation(
                member=member,
                actor=partner_admin,
                role=MemberRole.PROVIDER,
                requested_amount=amount,
            )


def test_decline_then_reinvite(draft, partner):
    application, lead_admin = draft
    organisation, partner_admin = partner
    member = services.invite_partner(
        application=application, organisation=organisation, invited_by=lead_admin
    )
    services.decline_invitation(member=member, actor=partner_admin)
    again = services.invite_partner(
        application=application, organisation=organisation, invited_by=lead_admin
    )
    assert (again.pk, again.status) == (member.pk, MemberStatus.INVITED)


def test_partner_withdraws_before_submission_only():
    application, lead_admin = complete_application()
    partner = application.members.get(is_lead=False)
    partner_admin = partner.organisation.memberships.get().user
    services.submit_application(application=application, actor=lead_admin)
    with pytest.raises(ValidationError):
        services.withdraw_partner(member=partner, actor=partner_admin)
    draft, _ = complete_application()
    other = draft.members.get(is_lead=False)
    services.withdraw_partner(member=other, actor=other.organisation.memberships.get().user)
    other.refresh_from_db()
    assert (other.status, other.declaration_signed_at) == (MemberStatus.WITHDRAWN, None)


def test_lead_cannot_withdraw_itself(draft):
    application, lead_admin = draft
    with pytest.raises(ValidationError):
        services.withdraw_partner(member=application.members.get(), actor=lead_admin)


def test_invite_by_email_then_claim(draft):
    application, lead_admin = draft
    member = services.invite_by_email(
        application=application, email="New.Partner@Example.eu", invited_by=lead_admin
    )
    assert (member.organisation, member.invited_email) == (None, "new.partner@example.eu")
    assert list(
        Notification.objects.filter(template="calls/invitation_register").values_list(
            "email", flat=True
        )
    ) == ["new.partner@example.eu"]
    newcomer = UserFactory(email="new.partner@example.eu")
    organisation = OrganisationFactory(country="ES")
    MembershipFactory(user=newcomer, organisation=organisation)
    with pytest.raises(PermissionDenied):
        services.claim_invitation(member=member, organisation=organisation, actor=UserFactory())
    services.claim_invitation(member=member, organisation=organisation, actor=newcomer)
    member.refresh_from_db()
    assert (member.organisation, member.status) == (organisation, MemberStatus.INVITED)


def test_budget_edits_by_lead_or_own_admin_only():
    application, lead_admin = complete_application()
    partner = application.members.get(is_lead=False)
    partner_admin = partner.organisation.memberships.get().user
    lead_member = application.members.get(is_lead=True)
    with pytest.raises(PermissionDenied):
        services.update_member_budget(
            member=lead_member,
            actor=partner_admin,
            role=MemberRole.ADOPTER,
            requested_amount=Decimal("1.00"),
        )
    services.update_member_budget(
        member=partner,
        actor=lead_admin,
        role=MemberRole.PROVIDER,
        requested_amount=Decimal("15000.00"),
    )
    partner.refresh_from_db()
    assert partner.requested_amount == Decimal("15000.00")
