import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from calls import services as calls_services
from calls.models import ConsortiumMember, MemberStatus
from matchmaking import services
from tests.calls.factories import CallFactory
from tests.matchmaking.factories import admin_of, make_org, make_profile, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact():
    lead = make_profile(make_org("Lead Mining Oy", "FI"), role_sought="adopter").organisation
    partner = make_profile(make_org("Partner Tech AB", "SE"), role_sought="provider").organisation
    interest = services.send_interest(
        sender=partner, receiver=lead, actor=admin_of(partner), message="Together?"
    )
    interest = services.accept_interest(interest=interest, actor=admin_of(lead))
    application = calls_services.create_application(
        call=CallFactory(), organisation=lead, actor=admin_of(lead)
    )
    return interest, application, lead, partner


def invited(application):
    return list(
        ConsortiumMember.objects.filter(application=application, is_lead=False).values_list(
            "organisation__legal_name", "status"
        )
    )


def test_lead_invites_an_accepted_contact_in_one_step(contact):
    interest, application, lead, partner = contact
    member = services.invite_contact(
        interest=interest, application=application, actor=admin_of(lead)
    )
    assert (member.organisation, member.status) == (partner, MemberStatus.INVITED)
    assert invited(application) == [("Partner Tech AB", MemberStatus.INVITED)]


def test_pending_contact_cannot_be_invited(contact):
    _interest, application, lead, _partner = contact
    other = make_profile(make_org("Pending Oy", "ES")).organisation
    pending = services.send_interest(
        sender=lead, receiver=other, actor=admin_of(lead), message="Hi"
    )
    with pytest.raises(ValidationError, match="accepted contact"):
        services.invite_contact(interest=pending, application=application, actor=admin_of(lead))
    assert invited(application) == []


def test_only_the_leads_admin_can_invite(contact):
    interest, application, lead, partner = contact
    with pytest.raises(PermissionDenied):
        services.invite_contact(interest=interest, application=application, actor=member_of(lead))
    # The partner is a party to the contact but does not lead this application.
    with pytest.raises(PermissionDenied):
        services.invite_contact(interest=interest, application=application, actor=admin_of(partner))
    assert invited(application) == []


def test_invite_from_the_interests_page(client, contact):
    interest, application, lead, _partner = contact
    client.force_login(admin_of(lead))
    page = client.get(reverse("matchmaking:interests")).content.decode()
    assert "Invite Partner Tech AB" in page
    response = client.post(
        reverse("matchmaking:invite", args=[interest.pk]), {"application": application.pk}
    )
    assert response.status_code == 302
    assert invited(application) == [("Partner Tech AB", MemberStatus.INVITED)]
    again = client.post(
        reverse("matchmaking:invite", args=[interest.pk]),
        {"application": application.pk},
        follow=True,
    )
    assert "already in this consortium" in " ".join(str(m) for m in again.context["messages"])


def test_invite_via_api(contact):
    interest, application, lead, _partner = contact
    api = APIClient()
    api.force_authenticate(admin_of(lead))
    response = api.post(
        f"/api/v1/interests/{interest.pk}/invite/", {"application": application.pk}, format="json"
    )
    assert response.status_code == 201
    assert (response.data["organisation"]["legal_name"], response.data["status"]) == (
        "Partner Tech AB",
        "invited",
    )
    missing = api.post(
        f"/api/v1/interests/{interest.pk}/invite/", {"application": 999999}, format="json"
    )
    assert missing.status_code == 404
