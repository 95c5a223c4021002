"""Browser journey of the partner directory: two SMEs publish profiles; one finds the other by
search and by recommendation and sends an expression of interest; the other accepts; contact
details appear on both sides; the first invites the second into its draft application."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from calls import services as calls_services
from calls.models import ConsortiumMember, MemberStatus
from tests.calls.factories import CallFactory
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, user) -> None:
    """Reuse a server-side session instead of typing passwords."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def sme(name: str, country: str, nuts: str, admin_name: str, email: str):
    organisation = OrganisationFactory(legal_name=name, country=country, nuts_region=nuts)
    user = UserFactory(full_name=admin_name, email=email)
    MembershipFactory(organisation=organisation, user=user)
    return organisation, user


def publish_profile(page, *, summary, role, stage, material, keywords, offer="") -> None:
    page.goto("/apply/partner-profile/")
    page.fill("#id_summary", summary)
    page.get_by_label(role, exact=True).check()
    page.get_by_label(stage, exact=True).check()
    page.get_by_label(material, exact=True).check()
    page.fill("#id_keywords", keywords)
    if offer:
        page.fill("#id_offers-0-title", offer)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Profile saved.")
    page.get_by_role("button", name="Publish in the directory").click()
    expect(page.locator(".messages")).to_contain_text("Your profile is in the directory.")


def test_two_smes_find_each_other_and_form_a_consortium(page, live_server):
    adopter, aino = sme(
        "Lapland Lithium Mining Oy", "FI", "FI1D7", "Aino Virtanen", "aino@lapland.example"
    )
    _provider, ines = sme(
        "Porto Sensor Networks Lda", "PT", "PT11", "Inês Carvalho", "ines@porto.example"
    )
    application = calls_services.create_application(
        call=CallFactory(title="Raw materials call 2026"), organisation=adopter, actor=aino
    )

    sign_in(page, live_server, ines)
    publish_profile(
        page,
        summary="Wireless sensor networks for underground mines.",
        role="Provider",
        stage="Processing",
        material="Lithium",
        keywords="sensor networks, iot",
        offer="Sensor networks",
    )

    sign_in(page, live_server, aino)
    publish_profile(
        page,
        summary="Lithium pegmatite mine in Lapland looking for monitoring technology.",
        role="Adopter",
        stage="Extraction",
        material="Lithium",
        keywords="lithium, monitoring",
    )

    # Search finds the provider; a facet narrows the list, with counts.
    page.goto("/partners/")
    page.fill("#id_q", "sensor")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#partner-results")
    expect(results.get_by_role("heading", level=2)).to_have_text("1 partner found")
    expect(results.locator(".partner-card")).to_have_count(1)
    expect(results.locator(".partner-card h3")).to_have_text("Porto Sensor Networks Lda")
    expect(results.locator("fieldset", has_text="Country")).to_contain_text("Portugal (1)")
    # The directory never shows contact details.
    expect(page.locator("main")).not_to_contain_text("ines@porto.example")

    # Recommendation, with its reason.
    page.get_by_role("link", name="Partners for you").first.click()
    recommendation = page.locator(".recommendation").first
    expect(recommendation.locator("h2")).to_have_text("Porto Sensor Networks Lda")
    expect(recommendation.locator(".reason")).to_have_text(
        "provider of sensor networks, Portugal, also works on lithium, "
        "active in processing, next to your stages"
    )

    # Expression of interest.
    recommendation.get_by_role("link", name="Porto Sensor Networks Lda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Porto Sensor Networks Lda")
    page.fill("#id_message", "Shall we pilot your sensors at our Lapland mine?")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".messages")).to_contain_text("Your expression of interest was sent.")
    expect(page.locator("main")).not_to_contain_text("ines@porto.example")

    # The provider accepts (after a confirmation) and sees the adopter's contact.
    sign_in(page, live_server, ines)
    page.goto("/apply/interests/")
    expect(page.locator("tbody")).to_contain_text("Shall we pilot your sensors")
    expect(page.locator("tbody")).not_to_contain_text("aino@lapland.example")
    page.get_by_role("link", name="Accept").click()
    expect(page.locator("main")).to_contain_text("This cannot be undone.")
    page.get_by_role("button", name="Accept and share contact details").click()
    expect(page.locator(".messages")).to_contain_text("Accepted")
    expect(page.locator(".contact-person")).to_have_text(
        re.compile(r"Aino Virtanen · aino@lapland\.example")
    )

    # The adopter sees the provider's contact and invites it into the draft application.
    sign_in(page, live_server, aino)
    page.goto("/apply/interests/")
    expect(page.locator(".contact-person")).to_have_text(
        re.compile(r"Inês Carvalho · ines@porto\.example")
    )
    page.get_by_label("Invite into").select_option(str(application.pk))
    page.get_by_role("button", name="Invite Porto Sensor Networks Lda").click()
    expect(page.locator(".messages")).to_contain_text("Porto Sensor Networks Lda is invited")
    assert list(
        ConsortiumMember.objects.filter(application=application, is_lead=False).values_list(
            "organisation__legal_name", "status"
        )
    ) == [("Porto Sensor Networks Lda", MemberStatus.INVITED)]
