"""Two administrators demoting each other at the same moment never leave the organisation
without one (row locks on the admin memberships; meaningful on PostgreSQL, serial on SQLite)."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts import services
from accounts.models import Membership
from tests.factories import MembershipFactory


@pytest.mark.django_db(transaction=True)
def test_simultaneous_mutual_demotion_keeps_one_admin():
    first = MembershipFactory()
    second = MembershipFactory(organisation=first.organisation, role=Membership.Role.ADMIN)
    # SQLite's shared in-memory test database refuses concurrent writers ("table is locked"):
    # there the two calls run one after the other, which checks the same rule without the race.
    concurrent = connection.vendor == "postgresql"
    barrier = threading.Barrier(2 if concurrent else 1)
    outcomes: list[str] = []

    def demote(target: Membership, actor) -> None:
        barrier.wait()
        try:
            services.membership_change_role(
                membership=target, role=Membership.Role.MEMBER, actor=actor
            )
            outcomes.append("demoted")
        except (ValidationError, PermissionDenied) as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=demote, args=(second, first.user)),
        threading.Thread(target=demote, args=(first, second.user)),
    ]
    for thread in threads:
        thread.start()
        if not concurrent:
            thread.join(timeout=30)
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["PermissionDenied", "demoted"]
    admins = Membership.objects.filter(organisation=first.organisation, role="admin")
    assert admins.count() == 1
