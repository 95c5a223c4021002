"""Browser tests of the calls app: staff open a call, a consortium applies, autosave survives
reloads, dropped connections and expired sessions, submission and the deadline."""

import re
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts import services as account_services
from calls.models import Answer, Application, ApplicationState, Call, ConsortiumMember
from tests import auth
from tests.calls.factories import CallFactory
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, user) -> None:
    """Reuse a server-side session instead of typing passwords (and TOTP codes) each time."""
    client = auth.sign_in(Client(), user)
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


def sme(country: str, name: str):
    organisation = OrganisationFactory(
        country=country, legal_name=name, short_name=name[:3].upper()
    )
    membership = MembershipFactory(organisation=organisation)
    account_services.sme_declaration_sign(
        organisation=membership.organisation,
        user=membership.user,
        data={
            "reference_year": 2025,
            "staff_headcount": Decimal("12"),
            "annual_turnover": Decimal("1500000.00"),
            "balance_sheet_total": Decimal("900000.00"),
            "enterprise_category": "autonomous",
            "public_body_holding": 0,
        },
    )
    return membership.organisation, membership.user


def saved_text(question, waiting_for: str, *, seconds: float = 5.0) -> str:
    """The stored answer, polled until it equals `waiting_for` (autosave is asynchronous)."""
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        answer = Answer.objects.filter(question=question).first()
        text = answer.text if answer else ""
        if text == waiting_for:
            break
        time.sleep(0.1)
    return text


def local(dt) -> str:
    return dt.astimezone(timezone.get_default_timezone()).strftime("%Y-%m-%dT%H:%M:%S")


def test_staff_open_a_call_and_a_consortium_submits_before_the_deadline(page, live_server):
    staff = UserFactory(roles=["consortium-staff"])
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    _lead_org, lead_admin = sme("FI", "Lapland Ore Analytics Oy")
    _partner_org, partner_admin = sme("PT", "Porto Digital Twin Lda")

    # Staff create the call, configure it and publish it; it opens at once.
    sign_in(page, live_server, staff)
    page.goto("/manage/calls/new/")
    page.fill("#id_title", "MINE.THE.GAP Open Call 3")
    page.fill("#id_slug", "mtg-oc3")
    page.fill("#id_code", "MTG3")
    page.fill("#id_summary", "Vouchers for SME consortia in mining.")
    page.fill("#id_body", "The full text of the call.")
    page.fill("#id_total_budget", "1500000")
    page.fill("#id_cap_per_project", "150000")
    page.fill("#id_total_threshold", "3")
    # The tie-break chain is chosen place by place among the criteria and the ranking's rules.
    for place, step in enumerate(
        [
            "Higher score on Impact",
            "Geographic diversity: more countries not yet placed above first",
            "Earlier submission first",
            "— (no further step)",
        ]
    ):
        page.get_by_label(f"Step {place + 1}", exact=True).select_option(label=step)
    for country in ("Finland", "Portugal", "Sweden"):
        page.get_by_label(country, exact=True).check()
    now = timezone.now()
    page.fill("#id_opens_at", local(now - timedelta(hours=1)))
    page.fill("#id_closes_at", local(now + timedelta(weeks=9)))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#publish-problems")).to_contain_text("Add at least one voucher type.")
    assert Call.objects.get(slug="mtg-oc3").tie_break_chain == [
        "criterion:Impact",
        "geographic_diversity",
        "submitted_at",
    ]

    page.goto("/manage/calls/mtg-oc3/config/voucher-types/")
    page.fill("#id_voucher-types-0-name", "Demonstration")
    page.fill("#id_voucher-types-0-cap_per_sme", "50000")
    page.get_by_role("button", name="Save").click()
    page.goto("/manage/calls/mtg-oc3/config/criteria/")
    page.fill("#id_criteria-0-name", "Impact")
    page.get_by_role("button", name="Save").click()
    page.goto("/manage/calls/mtg-oc3/config/questions/")
    page.fill("#id_questions-0-label", "What is the expected impact?")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Validate and publish").click()
    expect(page.locator("h1 .badge")).to_have_text("Open")

    # The lead SME starts an application and invites its partner.
    sign_in(page, live_server, lead_admin)
    page.goto("/calls/mtg-oc3/")
    page.get_by_role("link", name="Apply").click()
    page.get_by_role("button", name="Start the application").click()
    page.fill("#id_title", "Digital twin of a lithium pit")
    page.fill("#id_acronym", "LITHTWIN")
    page.fill("#id_summary", "A pilot at a Lapland mine.")
    page.select_option("#id_voucher_type", index=1)
    page.get_by_role("button", name="Save and continue").click()
    page.fill("#id_q", "Porto Digital")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Invite Porto Digital Twin Lda").click()
    expect(page.locator("#members")).to_contain_text("Invited")
    application = Application.objects.get()

    # The partner's admin confirms with its role, budget and declaration of honour.
    sign_in(page, live_server, partner_admin)
    page.goto("/apply/")
    page.get_by_role("link", name=re.compile("LITHTWIN")).first.click()
    page.select_option("#id_role", "provider")
    page.fill("#id_requested_amount", "20000")
    page.get_by_label(re.compile("declare on my honour")).check()
    page.get_by_role("button", name="Confirm participation").click()
    expect(page.locator(".messages")).to_contain_text("You joined the consortium.")

    # The lead sets its budget, answers (autosaved), and survives a reload.
    sign_in(page, live_server, lead_admin)
    lead_member = ConsortiumMember.objects.get(application=application, is_lead=True)
    page.goto(f"/apply/applications/{application.pk}/budget/")
    page.select_option(f"#id_m{lead_member.pk}-role", "adopter")
    # The caps answer as the amount is typed, before anything is saved.
    page.fill(f"#id_m{lead_member.pk}-requested_amount", "55000")
    expect(page.locator("#budget-problems")).to_contain_text(
        "a Demonstration voucher allows €50,000.00 per SME"
    )
    page.fill(f"#id_m{lead_member.pk}-requested_amount", "30000")
    expect(page.locator("#budget-problems")).to_contain_text(
        "€20,000.00 left under its limit of €50,000.00"
    )
    budget_form = page.locator(f"form:has(input[name=member][value='{lead_member.pk}'])")
    budget_form.get_by_role("button", name="Save").click()
    expect(page.locator("#budget-problems")).to_contain_text("respects every cap")

    question = Call.objects.get(slug="mtg-oc3").questions.get()
    page.goto(f"/apply/applications/{application.pk}/questions/")
    page.locator(f"#q{question.pk}").fill("Fewer truck kilometres and a safer pit.")
    expect(page.locator(f"#q{question.pk}-saved")).to_contain_text("Saved at")
    page.reload()
    expect(page.locator(f"#q{question.pk}")).to_have_value(
        "Fewer truck kilometres and a safer pit."
    )

    # Submitting shows what is missing, with a link to the step; then it succeeds.
    page.goto(f"/apply/applications/{application.pk}/review/")
    page.get_by_role("button", name="Submit", exact=True).click()
    problems = page.locator("#submission-problems")
    expect(problems).to_contain_text("LAP has not signed its declaration of honour.")
    problems.get_by_role("link", name=re.compile("has not signed")).click()
    page.get_by_role("button", name="Sign the declaration of honour").click()
    page.goto(f"/apply/applications/{application.pk}/review/")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Submitted: MTG3-0001, version 1")
    with page.expect_download() as download:
        page.get_by_role("link", name="Receipt (PDF)").click()
    with open(download.value.path(), "rb") as receipt:
        assert receipt.read(5) == b"%PDF-"

    # A change made while the page was open, submitted a second after the deadline: refused.
    page.goto(f"/apply/applications/{application.pk}/questions/")
    page.locator(f"#q{question.pk}").fill("An improved answer.")
    expect(page.locator(f"#q{question.pk}-saved")).to_contain_text("Saved at")
    page.goto(f"/apply/applications/{application.pk}/review/")
    Call.objects.filter(slug="mtg-oc3").update(closes_at=timezone.now() - timedelta(seconds=1))
    page.get_by_role("button", name="Submit a new version").click()
    expect(page.locator(".messages")).to_contain_text("submissions are closed")
    application.refresh_from_db()
    assert (application.state, application.versions.count()) == (ApplicationState.SUBMITTED, 1)


def test_nothing_typed_is_lost_offline_or_signed_out(page, live_server):
    call = CallFactory()
    lead_org, lead_admin = sme("FI", "Kainuu Nickel Processing Oy")
    application = Application.objects.create(call=call, lead_organisation=lead_org)
    ConsortiumMember.objects.create(
        application=application, organisation=lead_org, is_lead=True, status="confirmed"
    )
    question = call.questions.first()
    sign_in(page, live_server, lead_admin)
    url = f"/apply/applications/{application.pk}/questions/"
    page.goto(url)
    area = page.locator(f"#q{question.pk}")
    saved = page.locator(f"#q{question.pk}-saved")

    # The connection drops while typing: the text stays in the browser, then reaches the server.
    page.context.set_offline(True)
    area.fill("Typed on a train in Lapland.")
    expect(saved).to_contain_text("Not saved yet")
    page.context.set_offline(False)
    page.reload()
    expect(area).to_have_value("Typed on a train in Lapland.")
    expect(saved).to_contain_text("Saved at")
    text = "Typed on a train in Lapland."
    assert saved_text(question, text) == text

    # The session expires while typing: same, once the person signs in again.
    page.context.clear_cookies()
    area.fill("Typed after the session expired.")
    expect(saved).to_contain_text("Not saved yet")
    sign_in(page, live_server, lead_admin)
    page.goto(url)
    expect(area).to_have_value("Typed after the session expired.")
    expect(saved).to_contain_text("Saved at")
    text = "Typed after the session expired."
    assert saved_text(question, text) == text
