"""Browser journey: sign up, verify the e-mail, register an organisation, declare SME status,
and see the classification on the dashboard."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

PASSWORD = "Tungsten-and-tin-2026!"


@pytest.mark.django_db(transaction=True)
def test_sign_up_register_organisation_and_declare_sme(page, live_server):
    page.goto("/accounts/signup/")
    page.fill("#id_email", "ines@example.eu")
    page.fill("#id_full_name", "Inês Carvalho")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Verify Your Email"))

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(link.replace(re.match(r"https?://[^/]+", link).group(0), live_server.url))
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(f"{live_server.url}/apply/organisations/")
    page.get_by_role("link", name="Register an organisation").last.click()
    page.fill("#id_legal_name", "Beira Lithium Mineração Lda")
    page.select_option("#id_country", "PT")
    page.fill("#id_vat_number", "123")
    page.fill("#id_nuts_region", "PT16")
    page.get_by_role("button", name="Register").click()
    expect(page.locator(".errorlist").first).to_contain_text("not a valid VAT number for Portugal")

    page.fill("#id_vat_number", "PT 509 123 450")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "SME declaration of Beira Lithium Mineração Lda"
    )
    page.fill("#id_staff_headcount", "7.5")
    page.fill("#id_annual_turnover", "850000")
    page.fill("#id_balance_sheet_total", "620000")
    page.get_by_label("Autonomous enterprise").check()
    page.get_by_label(re.compile("I declare on my honour")).check()
    page.get_by_role("button", name="Sign the declaration").click()
    expect(page.locator(".messages")).to_contain_text("classified as Micro enterprise")
    expect(page.locator("ol")).to_contain_text("7.5 staff is fewer than 10")

    page.goto("/dashboard/")
    panel = page.get_by_role("region", name="My organisations")
    expect(panel).to_contain_text("Beira Lithium Mineração Lda")
    expect(panel.locator(".badge")).to_have_text("Micro enterprise")
