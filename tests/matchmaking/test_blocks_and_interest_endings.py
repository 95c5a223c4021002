"""Blocks hide organisations from each other (directory, API); the blocks API; expressions of
interest withdrawn by their sender or expired after 30 days unanswered."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from matchmaking import directory, recommendations, services, tasks
from matchmaking.models import ExpressionOfInterest, OrganisationBlock
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.matchmaking.factories import admin_of, make_org, make_profile, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def three():
    adopter = make_profile(make_org("Arctic Adopter Oy", "FI"), role_sought="adopter")
    provider = make_profile(make_org("Baltic Provider AB", "SE", "SE332"), role_sought="provider")
    other = make_profile(make_org("Castilla Provider SL", "ES", "ES41"), role_sought="provider")
    return adopter.organisation, provider.organisation, other.organisation


def listed_names(user):
    found = directory.search_profiles(directory.PartnerFilters(), base=directory.listed_for(user))
    return [p.name for p in found]


def test_a_block_hides_both_sides_from_each_other_in_search_and_recommendations(three):
    adopter, provider, other = three
    services.block_organisation(blocker=adopter, blocked=provider, actor=admin_of(adopter))
    assert listed_names(admin_of(adopter)) == ["Arctic Adopter Oy", "Castilla Provider SL"]
    assert listed_names(admin_of(provider)) == ["Baltic Provider AB", "Castilla Provider SL"]
    assert listed_names(admin_of(other)) == [
        "Arctic Adopter Oy",
        "Baltic Provider AB",
        "Castilla Provider SL",
    ]
    names = [r.profile.name for r in recommendations.recommend(adopter)]
    assert names == ["Castilla Provider SL"]


def test_the_directory_page_and_api_leave_out_blocked_organisations(client, three):
    adopter, provider, _other = three
    services.block_organisation(blocker=adopter, blocked=provider, actor=admin_of(adopter))
    colleague = member_of(adopter)  # blocks are the organisation's: every member is spared
    client.force_login(colleague)
    page = client.get(reverse("matchmaking:directory"), {"q": "provider"})
    assert [p.name for p in page.context["page"].object_list] == ["Castilla Provider SL"]
    api = APIClient()
    api.force_authenticate(colleague)
    results = api.get("/api/v1/partners/").data["results"]
    assert [r["organisation"]["legal_name"] for r in results] == [
        "Arctic Adopter Oy",
        "Castilla Provider SL",
    ]


def test_blocks_api_lists_creates_and_deletes(three):
    adopter, provider, other = three
    api = APIClient()
    assert api.get("/api/v1/partners/blocks/").status_code == 403  # signed-in only
    user = member_of(adopter)
    api.force_authenticate(user)
    created = api.post("/api/v1/partners/blocks/", {"blocked": provider.pk}, format="json")
    assert created.status_code == 201
    assert created.data["organisation"]["legal_name"] == "Baltic Provider AB"
    api.post("/api/v1/partners/blocks/", {"blocked": other.pk}, format="json")
    listed = api.get("/api/v1/partners/blocks/").data
    assert [b["organisation"]["id"] for b in listed] == [provider.pk, other.pk]
    again = api.post("/api/v1/partners/blocks/", {"blocked": provider.pk}, format="json")
    assert (again.status_code, again.data) == (
        400,
        {"detail": "This organisation is already blocked."},
    )
    itself = api.post("/api/v1/partners/blocks/", {"blocked": adopter.pk}, format="json")
    assert itself.status_code == 400
    assert (
        api.post("/api/v1/partners/blocks/", {"blocked": 999999}, format="json").status_code == 400
    )
    assert api.delete(f"/api/v1/partners/blocks/{provider.pk}/").status_code == 204
    assert api.delete(f"/api/v1/partners/blocks/{provider.pk}/").status_code == 400
    assert api.delete("/api/v1/partners/blocks/999999/").status_code == 404
    assert list(OrganisationBlock.objects.values_list("blocked_id", flat=True)) == [other.pk]
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("matchmaking.organisation.blocked") == 2
    assert actions.count("matchmaking.organisation.unblocked") == 1


def send(a, b):
    return services.send_interest(sender=a, receiver=b, actor=admin_of(a), message="Together?")


def test_the_sender_withdraws_a_pending_interest_and_the_receiver_is_told(three):
    adopter, provider, _other = three
    interest = send(adopter, provider)
    with pytest.raises(PermissionDenied):
        services.withdraw_interest(interest=interest, actor=admin_of(provider))
    Notification.objects.all().delete()
    services.withdraw_interest(interest=interest, actor=member_of(adopter))
    interest.refresh_from_db()
    assert interest.status == ExpressionOfInterest.Status.WITHDRAWN
    assert list(Notification.objects.values_list("email", "template")) == [
        (admin_of(provider).email, "matchmaking/interest_withdrawn")
    ]
    assert AuditEntry.objects.latest("seq").action == "matchmaking.interest.withdrawn"
    with pytest.raises(ValidationError):  # nothing left to withdraw, nor to answer
        services.withdraw_interest(interest=interest, actor=admin_of(adopter))
    with pytest.raises(ValidationError):
        services.accept_interest(interest=interest, actor=admin_of(provider))
    assert send(adopter, provider).status == ExpressionOfInterest.Status.PENDING  # may write again


def test_an_answered_interest_cannot_be_withdrawn(three):
    adopter, provider, _other = three
    interest = send(adopter, provider)
    services.accept_interest(interest=interest, actor=admin_of(provider))
    with pytest.raises(ValidationError):
        services.withdraw_interest(interest=interest, actor=admin_of(adopter))
    interest.refresh_from_db()
    assert interest.status == ExpressionOfInterest.Status.ACCEPTED


def test_withdraw_by_page_and_api(client, three):
    adopter, provider, other = three
    first, second = send(adopter, provider), send(adopter, other)
    client.force_login(admin_of(adopter))
    assert "Withdraw" in client.get(reverse("matchmaking:interests")).content.decode()
    client.post(reverse("matchmaking:withdraw", args=[first.pk]))
    api = APIClient()
    api.force_authenticate(admin_of(other))  # the receiver cannot
    assert api.post(f"/api/v1/interests/{second.pk}/withdraw/").status_code == 403
    api.force_authenticate(admin_of(adopter))
    response = api.post(f"/api/v1/interests/{second.pk}/withdraw/")
    assert (response.status_code, response.data["status"]) == (200, "withdrawn")
    assert set(ExpressionOfInterest.objects.values_list("status", flat=True)) == {"withdrawn"}


def age(interest, days):
    ExpressionOfInterest.objects.filter(pk=interest.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )
    interest.refresh_from_db()
    return interest


def test_pending_interests_expire_after_30_days_and_the_sender_is_told(three):
    adopter, provider, other = three
    old = age(send(adopter, provider), 31)
    recent = age(send(adopter, other), 29)
    Notification.objects.all().delete()
    assert tasks.expire_interests() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == ("expired", "pending")
    assert list(Notification.objects.values_list("email", "template")) == [
        (admin_of(adopter).email, "matchmaking/interest_expired")
    ]
    entry = AuditEntry.objects.latest("seq")
    assert (entry.action, entry.data) == ("matchmaking.interest.expired", {"days": 30})
    assert tasks.expire_interests() == 0


def test_an_expired_interest_counts_as_such_before_the_task_runs(three):
    adopter, provider, _other = three
    stale = age(send(adopter, provider), 31)
    with pytest.raises(ValidationError):
        services.accept_interest(interest=stale, actor=admin_of(provider))
    with pytest.raises(ValidationError):
        services.withdraw_interest(interest=stale, actor=admin_of(adopter))
    # Writing again is allowed: the stale one expires on the spot.
    fresh = send(adopter, provider)
    stale.refresh_from_db()
    assert (stale.status, fresh.status) == ("expired", "pending")
