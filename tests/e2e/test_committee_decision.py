"""Browser journey of the committee's decision: staff open a session from the ranking and mark
the members present; a member proposes a deviation with its reason; the members vote; staff
adopt. Vouchers appear for the selected applications, and the public decisions page shows the
hash, which equals the SHA-256 of the decision document once the results are published."""

import hashlib
import re

import pytest
from playwright.sync_api import expect

from calls.models import CallState
from calls.services import call_transition
from evaluation.models import DecisionSession, DecisionState
from tests.e2e.test_evaluation_journey import sign_in
from tests.evaluation.conftest import with_mfa
from tests.evaluation.decision_factories import ready_call
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
SWAP = "The pilot site of this consortium is operational a year earlier."
DEFER = "Same quality, but the pilot site is not available before next year."


def test_the_committee_adopts_a_decision_that_creates_vouchers(page, live_server):
    ready = ready_call()
    staff = with_mfa(UserFactory(roles=["consortium-staff"], full_name="Stella Staff"))
    first, second, third = ready.apps[:3]
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, live_server, staff)
    page.goto(f"/manage/calls/{ready.call.slug}/ranking/")
    page.get_by_role("button", name="Open a decision session").click()
    expect(page.get_by_text("Decision session opened.")).to_be_visible()
    for member in ready.committee:
        page.get_by_label(member.full_name).check()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_text("Attendance recorded.")).to_be_visible()

    sign_in(page, live_server, ready.committee[0])
    page.goto("/committee/")
    page.get_by_role("link", name=ready.call.title).click()
    page.get_by_label(f"Outcome for {second.reference}").select_option("reserve")
    page.get_by_label("Reserve position").nth(1).fill("1")
    page.locator(f"form[aria-label='Proposal for {second.reference}'] input[name=reason]").fill(
        DEFER
    )
    page.get_by_role("button", name="Update the proposal").nth(1).click()
    expect(page.get_by_text("Proposal updated.")).to_be_visible()
    page.get_by_label(f"Outcome for {third.reference}").select_option("fund")
    page.locator(f"form[aria-label='Proposal for {third.reference}'] input[name=reason]").fill(SWAP)
    page.get_by_role("button", name="Update the proposal").nth(2).click()
    expect(page.get_by_text("Proposal updated.")).to_be_visible()
    expect(page.get_by_role("cell", name=SWAP)).to_be_visible()

    sign_in(page, live_server, staff)
    page.goto(f"/committee/sessions/{DecisionSession.objects.get().pk}/")
    page.get_by_role("button", name="Open the vote").click()
    expect(page.get_by_text("Voting is open.")).to_be_visible()
    session_url = page.url

    for member, choice in zip(ready.committee, ("For", "For", "Abstain"), strict=True):
        sign_in(page, live_server, member)
        page.goto(session_url)
        expect(page.locator("#member-now")).to_contain_text("You are recorded as present")
        page.get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="Vote", exact=True).click()
        expect(page.get_by_text("Your vote is recorded.")).to_be_visible()

    sign_in(page, live_server, staff)
    page.goto(session_url)
    page.get_by_role("button", name="Close the vote").click()
    expect(page.get_by_text("The decision is adopted.")).to_be_visible()
    session = DecisionSession.objects.get()
    assert session.state == DecisionState.ADOPTED
    expect(page.locator("#content-hash")).to_have_text(session.content_hash)

    # A decision creates vouchers (issue #6): one per selected application.
    page.goto(f"/manage/vouchers/calls/{ready.call.slug}/")
    expect(page.get_by_text(f"VA-{first.reference}")).to_be_visible()
    expect(page.get_by_text(f"VA-{third.reference}")).to_be_visible()
    expect(page.get_by_text(f"VA-{second.reference}")).to_have_count(0)

    # The public page shows the hash; the document downloads once the results are published.
    page.context.clear_cookies()
    page.goto("/decisions/")
    expect(page.get_by_text(session.content_hash)).to_be_visible()
    expect(page.get_by_text("once the results are published")).to_be_visible()
    call_transition(call=ready.call, to_state=CallState.RESULTS_PUBLISHED, actor=staff)
    page.reload()
    link = page.get_by_role("link", name=re.compile("JSON"))
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert hashlib.sha256(response.body()).hexdigest() == session.content_hash
