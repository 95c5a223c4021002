import pytest

from accounts.models import Membership
from accounts.selectors import organisation_admins
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_organisation_admins_lists_each_admin_once_by_email_and_skips_members():
    first, second, other = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    shared = UserFactory(email="b.shared@example.eu")
    MembershipFactory(user=shared, organisation=first)
    MembershipFactory(user=shared, organisation=second)
    MembershipFactory(user=UserFactory(email="a.admin@example.eu"), organisation=second)
    MembershipFactory(
        user=UserFactory(email="c.member@example.eu"),
        organisation=first,
        role=Membership.Role.MEMBER,
    )
    MembershipFactory(user=UserFactory(email="d.elsewhere@example.eu"), organisation=other)

    admins = organisation_admins([first, second])

    assert [user.email for user in admins] == ["a.admin@example.eu", "b.shared@example.eu"]
