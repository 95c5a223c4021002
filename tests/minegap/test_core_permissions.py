"""minegap.core.permissions.NamedPermission: the API asks the pages' named permissions."""

import pytest
from django.test import RequestFactory

from minegap.core.permissions import NamedPermission
from tests.auth import in_verified_session
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


class ChangesOrganisation(NamedPermission):
    permission = "accounts.change_organisation"


class ManagesCalls(NamedPermission):
    permission = "calls.manage_calls"


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_view_and_the_object_ask_the_named_permission():
    admin = MembershipFactory()
    staff = in_verified_session(UserFactory(roles=["consortium-staff"]))
    other = MembershipFactory().organisation
    asks = ChangesOrganisation()
    assert [
        asks.has_object_permission(_request(admin.user), None, admin.organisation),
        asks.has_object_permission(_request(admin.user), None, other),
    ] == [True, False]
    assert [
        ManagesCalls().has_permission(_request(staff), None),
        ManagesCalls().has_permission(_request(admin.user), None),
    ] == [True, False]


def test_without_a_name_nobody_passes():
    superuser = UserFactory(is_superuser=True)
    assert NamedPermission().has_permission(_request(superuser), None) is False
