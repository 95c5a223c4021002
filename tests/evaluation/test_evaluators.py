"""The evaluator pool: invitations, profile, the declaration gate."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.rules import is_evaluator
from evaluation.models import EvaluatorInvitation, EvaluatorProfile
from evaluation.services.evaluators import (
    accept_declaration,
    accept_evaluator_invitation,
    invite_evaluator,
    update_evaluator_profile,
)
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.auth import sign_in
from tests.evaluation.conftest import with_mfa
from tests.evaluation.factories import evaluator
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_staff_invite_by_e_mail_through_the_outbox(staff):
    invitation = invite_evaluator(email="Expert@Example.EU", actor=staff)
    notification = Notification.objects.get()
    assert (invitation.email, notification.email, notification.template) == (
        "expert@example.eu",
        "expert@example.eu",
        "evaluation/evaluator_invitation",
    )
    assert notification.context["accept_url"].endswith(f"/evaluate/join/{invitation.token}/")
    assert AuditEntry.objects.filter(action="evaluation.evaluator.invited").count() == 1
    with pytest.raises(PermissionDenied):
        invite_evaluator(email="x@example.eu", actor=UserFactory())


def test_accepting_gives_the_role_only_to_the_invited_address(staff):
    invitation = invite_evaluator(email="expert@example.eu", actor=staff)
    with pytest.raises(PermissionDenied):
        accept_evaluator_invitation(token=invitation.token, user=UserFactory())
    user = UserFactory(email="expert@example.eu")
    profile = accept_evaluator_invitation(token=invitation.token, user=user)
    user = type(user).objects.get(pk=user.pk)
    assert (profile.user, is_evaluator(user), profile.declaration_accepted_at) == (user, True, None)
    with pytest.raises(ValidationError):
        accept_evaluator_invitation(token=invitation.token, user=user)


def test_an_expired_invitation_is_refused(staff):
    invitation = invite_evaluator(email="late@example.eu", actor=staff)
    EvaluatorInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ValidationError):
        accept_evaluator_invitation(
            token=invitation.token, user=UserFactory(email="late@example.eu")
        )


def test_join_page_then_mfa_then_declaration_gate(client, staff):
    invitation = invite_evaluator(email="gate@example.eu", actor=staff)
    user = UserFactory(email="gate@example.eu")
    sign_in(client, user, mfa=False)
    response = client.post(reverse("evaluation:join", args=[invitation.token]))
    assert (response.status_code, response.url) == (302, reverse("evaluation:profile"))
    # A privileged role: the middleware asks for two-factor authentication first.
    response = client.get(reverse("evaluation:evaluator-home"))
    assert response.url == reverse("mfa_activate_totp")
    with_mfa(user)
    sign_in(client, user)  # signed in again, now with the second factor
    response = client.get(reverse("evaluation:evaluator-home"))
    assert (response.status_code, response.url) == (302, reverse("evaluation:declaration"))
    response = client.post(reverse("evaluation:declaration"), {"accept": ""})
    assert response.status_code == 200
    response = client.post(reverse("evaluation:declaration"), {"accept": "on"})
    assert response.url == reverse("evaluation:evaluator-home")
    page = client.get(reverse("evaluation:evaluator-home")).content.decode()
    assert "No proposal is assigned to you yet." in page
    entry = AuditEntry.objects.get(action="evaluation.evaluator.declaration_accepted")
    assert entry.actor_id == user.pk


def test_profile_page_saves_expertise_and_matches_the_employer(client):
    employer = OrganisationFactory(legal_name="Kaivos Consulting Oy")
    user = evaluator(declared=False)
    sign_in(client, user)
    response = client.post(
        reverse("evaluation:profile"),
        {
            "country": "SE",
            "employer_name": "kaivos consulting oy",
            "keywords": "sorting,  sensors ,",
            "max_proposals": "6",
            "main": ["stage:processing"],
            "secondary": ["stage:recycling"],
        },
    )
    assert response.status_code == 302
    profile = EvaluatorProfile.objects.get(user=user)
    assert (profile.employer, profile.keywords, profile.max_proposals) == (
        employer,
        "sorting, sensors",
        6,
    )
    assert [(e.tag, e.weight) for e in profile.expertise.all()] == [
        ("stage:processing", Decimal("1.00")),
        ("stage:recycling", Decimal("0.50")),
    ]


def test_profile_refuses_an_area_both_main_and_secondary():
    user = evaluator()
    with pytest.raises(ValidationError):
        update_evaluator_profile(
            user=user,
            country="SE",
            employer=None,
            employer_name="",
            keywords="",
            max_proposals=5,
            expertise=[("area", "Ore", Decimal("1")), ("area", "ore", Decimal("0.5"))],
        )


def test_only_evaluators_accept_the_declaration():
    with pytest.raises(PermissionDenied):
        accept_declaration(user=UserFactory())


def test_evaluator_pages_refuse_others(client, staff):
    client.force_login(UserFactory())
    assert client.get(reverse("evaluation:evaluator-home")).status_code == 403
    sign_in(client, evaluator())
    assert client.get(reverse("evaluation:evaluator-pool")).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_pool_page_query_count(staff_client, django_assert_num_queries, count):
    for _ in range(count):
        evaluator()
    url = reverse("evaluation:evaluator-pool")
    staff_client.get(url)
    # 7 until issue #15: the session read from the cache and the person with roles and memberships in one query, three fewer.
    with django_assert_num_queries(4):
        response = staff_client.get(url)
    assert response.content.decode().count('<span class="badge ok">Accepted</span>') == count
