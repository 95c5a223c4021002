"""One journey per role, from the home page, by clicking only: each page it reaches has no
critical or serious axe-core violation at 1280x800 and 390x844; dashboards are photographed."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from accounts import roles
from calls.models import ApplicationState
from evaluation.models import Assignment, AssignmentState, DecisionVote
from evaluation.services import decision
from tests.calls.factories import CallFactory, complete_application
from tests.e2e.journey import NARROW, Journey, enrol_totp
from tests.evaluation.conftest import with_mfa
from tests.evaluation.decision_factories import adopt, ready_call
from tests.evaluation.factories import closed_call, evaluator, submitted_application
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory
from tests.vouchers.factories import staff_user
from vouchers.models import InstalmentShare, Payment, PaymentRequest, Voucher
from vouchers.services import agreements, payments

pytestmark = pytest.mark.django_db(transaction=True)
JUSTIFICATION = "Clear objectives, a credible pilot site and a partner with the right skills."


def verified(user):
    """allauth lets no one in without a verified address."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def with_known_totp(user):
    """A verified address and a TOTP secret the test knows."""
    verified(user)
    Authenticator.objects.filter(user=user).delete()
    return enrol_totp(user)


def test_an_evaluator_reaches_a_submitted_score(page):
    call = closed_call()
    application = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    person = with_known_totp(evaluator(full_name="Eva Evaluator"))
    Assignment.objects.create(application=application, evaluator=person)
    journey = Journey(page, "evaluator")

    journey.start()
    journey.sign_in(person)
    journey.screenshot("dashboard")
    journey.click(page.get_by_role("link", name=application.reference))
    journey.click(page.get_by_role("button", name="I have no conflict of interest"))
    for criterion in call.criteria.all():
        page.locator(f"#score-{criterion.pk}").fill("4")
        page.locator(f"#justification-{criterion.pk}").fill(JUSTIFICATION)
    page.once("dialog", lambda dialog: dialog.accept())
    journey.click(page.get_by_role("button", name="Submit scores"))
    journey.reauthenticate_if_asked(person)
    expect(page.get_by_text("Submitted and locked")).to_be_visible()

    assignment = Assignment.objects.get(application=application, evaluator=person)
    assert (assignment.state, assignment.scores.count()) == (AssignmentState.SCORED, 3)


def test_a_committee_member_reaches_a_cast_vote(page):
    ready = ready_call(count=3)
    staff = with_mfa(UserFactory(roles=[roles.STAFF]))
    session = decision.open_decision_session(call=ready.call, actor=staff)
    decision.record_attendance(session=session, actor=staff, present=ready.committee)
    decision.open_voting(session=session, actor=staff)
    member = with_known_totp(ready.committee[0])
    journey = Journey(page, "committee")

    journey.start()
    journey.sign_in(member)
    journey.screenshot("dashboard")
    journey.click(page.get_by_role("link", name="Next: cast your vote"))
    page.get_by_label("For", exact=True).check()
    page.once("dialog", lambda dialog: dialog.accept())
    journey.click(page.get_by_role("button", name="Vote", exact=True))
    journey.reauthenticate_if_asked(member)
    expect(page.get_by_text("Your vote is recorded.")).to_be_visible()

    assert DecisionVote.objects.get(session=session, member=member).choice == "for"


def signed_voucher(staff) -> Voucher:
    """A call decided with one application of two SMEs: the voucher is signed by both and
    waits for the programme's countersignature."""
    ready = ready_call(budget="100000.00", count=1)
    adopt(ready, staff, votes=("for", "for", "for"))
    voucher = Voucher.objects.get()
    for share in voucher.shares.order_by("pk"):
        admin = UserFactory()
        MembershipFactory(user=admin, organisation=share.organisation)
        agreements.sign_share(share=share, actor=admin, password=DEFAULT_PASSWORD)
    return voucher


def test_staff_go_from_manage_through_every_stage_tab_to_a_recorded_payment(page):
    """From the home page to /manage/ (the staff dashboard), into the call from its panel,
    through every stage tab, to the voucher: countersigned with a fresh code (the last one is
    eleven minutes old), pre-financing requested, approved by a colleague (four eyes), and its
    payment recorded from the dashboard's list of payments to record."""
    voucher = signed_voucher(with_mfa(staff_user(full_name="Marta Kowalska")))
    approver = with_mfa(staff_user(full_name="Lukas Brenner"))
    person = with_known_totp(staff_user(full_name="Rita Recorder"))
    journey = Journey(page, "staff")

    journey.start()
    journey.sign_in(person)
    nav = page.locator("header nav.site-nav")
    journey.click(nav.get_by_role("link", name="Dashboard"))
    expect(page).to_have_url(re.compile(r"/dashboard/$"))  # where /manage/ leads
    journey.screenshot("dashboard")
    calls_panel = page.locator("section", has=page.locator("#staff-calls-heading"))
    journey.click(calls_panel.get_by_role("link", name=voucher.call.title))
    tabs = page.locator("nav.tabs a")
    for index in range(tabs.count()):
        journey.click(tabs.nth(index))
        expect(tabs.nth(index)).to_have_attribute("aria-current", "page")
        journey.screenshot(f"tab-{index + 1}")
        # No stage makes a phone scroll sideways (the decision's SHA-256 made it 604px wide).
        assert journey.page_width_at(NARROW) == NARROW["width"], page.url
    # The follow-up's Impact tab comes after Vouchers: back to the vouchers to open this one.
    journey.click(tabs.filter(has_text="Vouchers"))
    journey.click(page.get_by_role("link", name=voucher.agreement_number))
    journey.screenshot("voucher")

    journey.age_second_factor(11 * 60)
    countersign = page.locator("form", has=page.get_by_role("button", name="Countersign"))
    countersign.get_by_label("I confirm: this step cannot be undone.").check()
    journey.click(countersign.get_by_role("button", name="Countersign the agreement"))
    journey.reauthenticate(person)
    expect(page.locator(".messages")).to_contain_text("The voucher is countersigned and active.")
    journey.click(page.get_by_role("button", name="Request payment").first)
    request = PaymentRequest.objects.get(instalment__voucher=voucher)
    payments.approve_payment(payment_request=request, actor=approver)

    journey.click(nav.get_by_role("link", name="Dashboard"))
    payments_panel = page.locator("section", has=page.locator("#staff-payments-heading"))
    journey.click(payments_panel.get_by_role("link", name=voucher.agreement_number))
    split = InstalmentShare.objects.filter(instalment__voucher=voucher).order_by("pk").first()
    form = page.locator(f"form[action='/manage/vouchers/{voucher.pk}/pay/{split.pk}/']")
    page.locator("details", has=form).locator("summary").click()
    form.get_by_label("Bank reference").fill("TRF-2026-0001")
    form.get_by_label("I confirm: this step cannot be undone.").check()
    journey.click(form.get_by_role("button", name="Record the payment"))
    journey.reauthenticate_if_asked(person)
    expect(page.get_by_text("TRF-2026-0001")).to_be_visible()

    voucher.refresh_from_db()
    assert (voucher.countersigned_by, request.requested_by) == (person, person)
    assert Payment.objects.get().bank_reference == "TRF-2026-0001"


def test_an_applicant_reaches_a_submission_and_a_signed_voucher(page):
    application, person = complete_application(CallFactory())
    voucher = approved_prefinancing_call_voucher()
    share = voucher.shares.order_by("pk").first()
    MembershipFactory(user=person, organisation=share.organisation)
    verified(person)
    journey = Journey(page, "applicant")

    journey.start()
    journey.sign_in(person, totp=False)
    journey.screenshot("dashboard")
    nav = page.locator("header nav.site-nav")
    journey.click(nav.get_by_role("link", name="My applications"))
    journey.click(page.get_by_role("link", name=application.display_name))
    journey.click(page.locator("main").get_by_role("link", name=re.compile("Review")).first)
    journey.click(page.get_by_role("button", name="Submit", exact=True))
    expect(page.locator(".messages")).to_contain_text("Submitted:")

    journey.click(nav.get_by_role("link", name="My vouchers"))
    journey.click(page.get_by_role("link", name=voucher.agreement_number))
    journey.click(page.get_by_role("link", name="Sign", exact=True))
    page.get_by_label("Your password (asked again to sign)").fill(DEFAULT_PASSWORD)
    page.get_by_label("I sign this agreement on behalf of my organisation.").check()
    journey.click(page.get_by_role("button", name="Sign", exact=True))
    journey.reauthenticate_if_asked(person)
    expect(page.get_by_text("Nothing is due from you right now.")).to_be_visible()

    share.refresh_from_db()
    application.refresh_from_db()
    assert (share.signed_by, application.state) == (person, ApplicationState.SUBMITTED)


def approved_prefinancing_call_voucher() -> Voucher:
    """A voucher drafted by the committee's decision, waiting for its beneficiaries' signatures."""
    ready = ready_call(budget="100000.00", count=1)
    adopt(ready, with_mfa(staff_user()), votes=("for", "for", "for"))
    return Voucher.objects.get()
