"""Organisation, membership, invitation and SME declaration services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import roles, services
from accounts.models import Invitation, Membership, Organisation, SMEDeclaration
from accounts.selectors import current_sme_category
from accounts.sme import SMECategory
from minegap.ledger.models import AuditEntry
from tests.accounts.factories import InvitationFactory
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SMEDeclarationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ORG_DATA = {
    "legal_name": "Kiruna Sensors AB",
    "short_name": "KSA",
    "country": "SE",
    "nuts_region": "se332",
    "vat_number": "5566 7788 9901",
    "pic": "",
    "website": "",
    "type": "sme",
    "founding_year": 2015,
    "description": "",
}


def actions():
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))


def test_role_groups_exist_from_migration():
    names = set(Group.objects.values_list("name", flat=True))
    assert names >= {roles.STAFF, roles.EVALUATOR, roles.COMMITTEE}
    assert Group.objects.filter(name__in=roles.PRIVILEGED_ROLES).count() == 3


def test_create_normalises_and_makes_creator_admin():
    user = UserFactory()
    organisation = services.organisation_create(user=user, data=ORG_DATA)
    assert (organisation.vat_number, organisation.nuts_region) == ("SE556677889901", "SE332")
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (user, Membership.Role.ADMIN)
    assert actions() == ["accounts.organisation.created", "accounts.membership.added"]


def test_create_duplicate_vat_is_a_field_error_and_saves_nothing():
    OrganisationFactory(country="SE", vat_number="SE556677889901")
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(user=UserFactory(), data=ORG_DATA)
    assert list(exc.value.message_dict) == ["vat_number"]
    assert Organisation.objects.count() == 1
    assert Membership.objects.count() == 0
    assert actions() == []


def test_create_reports_every_bad_field_at_once():
    data = {
        **ORG_DATA,
        "vat_number": "12",
        "nuts_region": "FI1D7",
        "pic": "12",
        "founding_year": 1500,
    }
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(user=UserFactory(), data=data)
    assert sorted(exc.value.message_dict) == ["founding_year", "nuts_region", "pic", "vat_number"]


def test_update_by_member_is_denied_and_by_admin_logged():
    admin = MembershipFactory().user
    organisation = admin.memberships.get().organisation
    member = MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER).user
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            organisation=organisation, user=member, data={"legal_name": "X"}
        )
    services.organisation_update(
        organisation=organisation, user=admin, data={"legal_name": "Renamed Oy"}
    )
    organisation.refresh_from_db()
    assert organisation.legal_name == "Renamed Oy"
    entry = AuditEntry.objects.get()
    assert entry.action == "accounts.organisation.updated"
    assert entry.data["changes"]["legal_name"][1] == "Renamed Oy"


def test_last_admin_cannot_leave_be_removed_or_demoted():
    membership = MembershipFactory()
    with pytest.raises(ValidationError) as exc:
        services.membership_remove(membership=membership, actor=membership.user)
    assert "last administrator" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.membership_change_role(
            membership=membership, role=Membership.Role.MEMBER, actor=membership.user
        )
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN
    assert actions() == []


def test_second_admin_allows_demotion_and_removal():
    first = MembershipFactory()
    second = MembershipFactory(organisation=first.organisation, role=Membership.Role.ADMIN)
    services.membership_change_role(
        membership=first, role=Membership.Role.MEMBER, actor=second.user
    )
    first.refresh_from_db()
    assert first.role == Membership.Role.MEMBER
    with pytest.raises(ValidationError):
        services.membership_remove(membership=second, actor=second.user)
    services.membership_remove(membership=first, actor=second.user)
    assert list(Membership.objects.values_list("pk", flat=True)) == [second.pk]
    assert actions() == ["accounts.membership.role_changed", "accounts.membership.removed"]


def test_member_cannot_remove_others_but_can_leave():
    admin = MembershipFactory()
    member = MembershipFactory(organisation=admin.organisation, role=Membership.Role.MEMBER)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=admin, actor=member.user)
    services.membership_remove(membership=member, actor=member.user)
    assert Membership.objects.count() == 1


def test_invitation_sent_by_email_and_accepted(django_capture_on_commit_callbacks):
    admin = MembershipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(
            organisation=admin.organisation, inviter=admin.user, email=" Colleague@Example.EU "
        )
    assert invitation.email == "colleague@example.eu"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["colleague@example.eu"]
    assert f"/invitations/{invitation.token}/" in mail.outbox[0].body

    stranger = UserFactory(email="someone@example.eu")
    with pytest.raises(PermissionDenied):
        services.invitation_accept(token=invitation.token, user=stranger)

    colleague = UserFactory(email="colleague@example.eu")
    membership = services.invitation_accept(token=invitation.token, user=colleague)
    assert (membership.organisation, membership.role) == (admin.organisation, "member")
    with pytest.raises(ValidationError) as exc:
        services.invitation_accept(token=invitation.token, user=colleague)
    assert exc.value.messages == ["This invitation is accepted."]
    assert actions() == [
        "accounts.invitation.sent",
        "accounts.invitation.accepted",
        "accounts.membership.added",
    ]


def test_expired_or_revoked_invitation_cannot_be_accepted():
    user = UserFactory(email="late@example.eu")
    expired = InvitationFactory(
        email="late@example.eu", expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ValidationError) as exc:
        services.invitation_accept(token=expired.token, user=user)
    assert exc.value.messages == ["This invitation is expired."]
    revoked = InvitationFactory(email="late@example.eu", revoked_at=timezone.now())
    with pytest.raises(ValidationError):
        services.invitation_accept(token=revoked.token, user=user)
    assert Membership.objects.filter(user=user).count() == 0


def test_new_invitation_replaces_pending_one_and_members_are_refused():
    admin = MembershipFactory()
    first = services.invitation_send(
        organisation=admin.organisation, inviter=admin.user, email="x@example.eu"
    )
    second = services.invitation_send(
        organisation=admin.organisation, inviter=admin.user, email="x@example.eu", role="admin"
    )
    first.refresh_from_db()
    assert (first.status, second.status) == (Invitation.Status.REVOKED, Invitation.Status.PENDING)
    with pytest.raises(ValidationError) as exc:
        services.invitation_send(
            organisation=admin.organisation, inviter=admin.user, email=admin.user.email
        )
    assert list(exc.value.message_dict) == ["email"]


def test_only_admins_invite():
    member = MembershipFactory(role=Membership.Role.MEMBER)
    with pytest.raises(PermissionDenied):
        services.invitation_send(
            organisation=member.organisation, inviter=member.user, email="y@example.eu"
        )


DECLARATION = {
    "reference_year": timezone.now().year - 1,
    "staff_headcount": "12.5",
    "annual_turnover": "3000000",
    "balance_sheet_total": "2500000",
    "enterprise_category": "autonomous",
    "public_body_holding": "0",
}


def test_declaration_versions_supersede_and_classify():
    admin = MembershipFactory(organisation__sme_declaration=False)
    first = services.sme_declaration_sign(
        organisation=admin.organisation, user=admin.user, data=DECLARATION
    )
    assert (first.version, first.category) == (1, SMECategory.SMALL)
    second = services.sme_declaration_sign(
        organisation=admin.organisation,
        user=admin.user,
        data={**DECLARATION, "enterprise_category": "partner"},
        enterprises=[
            {
                "relation": "partner",
                "name": "Big Partner SA",
                "holding_percent": "50",
                "staff_headcount": "80",
                "annual_turnover": "1000000",
                "balance_sheet_total": "1000000",
            }
        ],
    )
    first.refresh_from_db()
    assert (second.version, second.category) == (2, SMECategory.MEDIUM)
    assert first.superseded_at == second.signed_at
    assert second.is_current is True
    assert second.classification().figures.staff == Decimal("52.5")
    assert list(SMEDeclaration.objects.values_list("version", flat=True)) == [2, 1]
    entry = AuditEntry.objects.filter(action="accounts.sme_declaration.signed").last()
    assert entry.data["category"] == "medium"


def test_declaration_rejects_inconsistent_rows_and_saves_nothing():
    admin = MembershipFactory(organisation__sme_declaration=False)
    bad_partner = {
        "relation": "partner",
        "name": "Too Big",
        "holding_percent": "60",
        "staff_headcount": "1",
        "annual_turnover": "1",
        "balance_sheet_total": "1",
    }
    with pytest.raises(ValidationError) as exc:
        services.sme_declaration_sign(
            organisation=admin.organisation,
            user=admin.user,
            data={**DECLARATION, "enterprise_category": "autonomous", "staff_headcount": "-1"},
            enterprises=[bad_partner],
        )
    assert sorted(exc.value.message_dict) == ["enterprise_category", "staff_headcount"]
    assert exc.value.row_errors == [
        {
            "holding_percent": [
                "A partner enterprise is held between 25 % and 50 %; above 50 % it is linked."
            ]
        }
    ]
    assert SMEDeclaration.objects.count() == 0


def test_declaration_only_by_admin():
    member = MembershipFactory(role=Membership.Role.MEMBER)
    with pytest.raises(PermissionDenied):
        services.sme_declaration_sign(
            organisation=member.organisation, user=member.user, data=DECLARATION
        )


def test_current_sme_category_selector():
    admin = MembershipFactory(organisation__sme_declaration=False)
    assert current_sme_category(admin.organisation) is None
    services.sme_declaration_sign(
        organisation=admin.organisation, user=admin.user, data=DECLARATION
    )
    assert current_sme_category(admin.organisation) == "small"


def test_only_micro_small_and_medium_declarations_are_smes():
    """Read from the stored class; a value it does not know (blank) is not an SME."""
    categories = ("micro", "small", "medium", "not_sme", "")
    assert [SMEDeclarationFactory.build(category=c).is_sme for c in categories] == [
        True,
        True,
        True,
        False,
        False,
    ]
