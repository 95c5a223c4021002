"""One statement of the budget caps: the budget step's text, its live check, the partner's
invitation and the submission all say and enforce the same numbers."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from calls.models import MemberStatus
from calls.selectors import CapSource, caps_for
from tests.calls.factories import MemberFactory, complete_application
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def proof_of_concept(application):
    application.voucher_type = application.call.voucher_types.get(name="Proof of concept")
    application.save()
    return application


def test_caps_for_lists_every_cap_with_its_source():
    application, _admin = complete_application()
    proof_of_concept(application)
    call = application.call
    call.lifetime_cap_per_sme = Decimal("70000.00")
    call.save()
    lead = application.lead_organisation
    MemberFactory(organisation=lead, awarded_amount=Decimal("50000.00"))
    caps = caps_for(application, lead)
    assert [(c.source, c.cap, c.limit) for c in caps.per_share] == [
        (CapSource.VOUCHER, Decimal("25000.00"), Decimal("25000.00")),
        (CapSource.THIRD_PARTY, Decimal("60000.00"), Decimal("60000.00")),
        (CapSource.LIFETIME, Decimal("70000.00"), Decimal("20000.00")),
    ]
    assert (caps.share_limit.source, caps.share_limit.limit) == (
        CapSource.LIFETIME,
        Decimal("20000.00"),
    )
    assert (caps.project.source, caps.project.limit) == (CapSource.PROJECT, Decimal("150000.00"))


def test_budget_step_states_the_voucher_cap_not_the_call_cap(client):
    """The step said "At most EUR 60000.00 per SME" while the voucher type allowed 25,000."""
    application, admin = complete_application()
    proof_of_concept(application)
    client.force_login(admin)
    page = client.get(reverse("calls:apply-step", args=[application.pk, "budget"]))
    text = page.content.decode()
    assert "Proof of concept voucher: at most €25,000.00 per SME." in text
    assert "This call: at most €60,000.00 per third party." in text
    assert "At most €150,000.00 for the whole project." in text
    assert "€60,000.00 per SME" not in text
    assert (
        text.count(
            "At most €25,000.00 for this member: the Proof of concept voucher's cap per SME."
        )
        == 2
    )
    lead = application.lead_organisation
    # The lead's 30,000 breaks the voucher's cap: the page says so and by how much.
    assert f"{lead}: €30,000.00 requested, €5,000.00 over its limit of €25,000.00" in text


def test_live_check_gives_the_room_left_and_the_cap(client):
    application, admin = complete_application()
    proof_of_concept(application)
    lead = application.members.get(is_lead=True)
    client.force_login(admin)
    url = reverse("calls:apply-budget-check", args=[application.pk])
    fine = client.get(url, {"member": lead.pk, f"m{lead.pk}-requested_amount": "24000"})
    text = fine.content.decode()
    assert fine.context["problems"] == []
    assert (
        f"{lead.organisation}: €24,000.00 requested, €1,000.00 left under its limit of "
        "€25,000.00: the Proof of concept voucher's cap per SME."
    ) in text
    assert "Project: €44,000.00 requested, €106,000.00 left under the cap per project" in text
    over = client.get(url, {"member": lead.pk, f"m{lead.pk}-requested_amount": "26000"})
    assert [p.message for p in over.context["problems"]] == [
        f"{lead.organisation} requests €26,000.00; a Proof of concept voucher allows "
        "€25,000.00 per SME."
    ]
    assert "€1,000.00 over its limit of €25,000.00" in over.content.decode()


def test_over_cap_save_keeps_the_draft_with_one_warning_and_no_success(client):
    """A save over a cap showed "Budget of … saved." in green above the red cap errors."""
    application, admin = complete_application()
    proof_of_concept(application)
    lead = application.members.get(is_lead=True)
    client.force_login(admin)
    response = client.post(
        reverse("calls:apply-step", args=[application.pk, "budget"]),
        {
            "member": lead.pk,
            f"m{lead.pk}-role": "adopter",
            f"m{lead.pk}-requested_amount": "40000.00",
            f"m{lead.pk}-budget_description": "",
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.requested_amount == Decimal("40000.00")
    assert [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)] == [
        (
            "warning",
            f"The budget of {lead} is kept as a draft, but it is over a cap (below): the "
            "application cannot be submitted until every share and the total fit.",
        )
    ]


def test_save_within_the_caps_says_saved(client):
    application, admin = complete_application()
    lead = application.members.get(is_lead=True)
    client.force_login(admin)
    response = client.post(
        reverse("calls:apply-step", args=[application.pk, "budget"]),
        {"member": lead.pk, f"m{lead.pk}-role": "adopter", f"m{lead.pk}-requested_amount": "100"},
    )
    assert [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)] == [
        ("success", f"Budget of {lead} saved.")
    ]


def invited_partner(application, lead_admin, client):
    partner = OrganisationFactory(country="SE")
    partner_admin = MembershipFactory(organisation=partner).user
    client.force_login(lead_admin)
    client.post(
        reverse("calls:apply-step", args=[application.pk, "consortium"]),
        {"action": "invite", "organisation": partner.pk},
    )
    member = application.members.get(organisation=partner)
    client.force_login(partner_admin)
    return member


def test_partner_invited_above_the_voucher_cap_is_told_at_once(client):
    """The invitation accepted 40,000 on a 25,000 voucher without a word."""
    application, lead_admin = complete_application()
    proof_of_concept(application)
    member = invited_partner(application, lead_admin, client)
    url = reverse("calls:invitation", args=[member.pk])
    page = client.get(url).content.decode()
    assert (
        "Your organisation may request at most €25,000.00: the Proof of concept voucher's "
        "cap per SME." in page
    )
    response = client.post(
        url, {"action": "confirm", "role": "provider", "requested_amount": "40000.00"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["requested_amount"] == [
        f"{member.organisation} requests €40,000.00; a Proof of concept voucher allows "
        "€25,000.00 per SME."
    ]
    member.refresh_from_db()
    assert member.status == MemberStatus.INVITED


def test_partner_invited_above_the_project_room_is_told_at_once(client):
    application, lead_admin = complete_application()
    call = application.call
    call.cap_per_project = Decimal("60000.00")
    call.save()
    member = invited_partner(application, lead_admin, client)
    # The lead asks 30,000 and the first partner 20,000: 10,000 is left in the project.
    response = client.post(
        reverse("calls:invitation", args=[member.pk]),
        {"action": "confirm", "role": "provider", "requested_amount": "10000.01"},
    )
    assert response.context["form"].errors["requested_amount"] == [
        "The project requests €60,000.01, above the cap per project of €60,000.00."
    ]
    fits = client.post(
        reverse("calls:invitation", args=[member.pk]),
        {"action": "confirm", "role": "provider", "requested_amount": "10000.00"},
    )
    assert fits.status_code == 302
    member.refresh_from_db()
    assert (member.status, member.requested_amount) == (
        MemberStatus.CONFIRMED,
        Decimal("10000.00"),
    )
