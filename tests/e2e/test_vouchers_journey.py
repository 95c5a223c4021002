"""Browser journey of a voucher: the committee's adopted decision drafts the voucher; both
beneficiaries sign (password again) and staff countersign; the pre-financing is requested,
approved by a second staff member and paid by a third; the final deliverable is uploaded,
returned, resubmitted and accepted; the final instalment is paid; the dashboard and the CSV
export add up."""

import csv
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.calls.factories import PDF_BYTES
from tests.evaluation.decision_factories import adopt, ready_call
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory
from tests.vouchers.conftest import signed_in
from tests.vouchers.factories import staff_user
from vouchers.models import InstalmentShare, Payment, Voucher

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, user) -> None:
    """Reuse a server-side session instead of typing passwords (and TOTP codes)."""
    client = signed_in(Client(), user)
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


def approve_and_pay(page, live_server, voucher, sequence, requester, approver, recorder):
    instalment = voucher.instalments.get(sequence=sequence)
    sign_in(page, live_server, requester)
    page.goto(f"/manage/vouchers/{voucher.pk}/")
    page.locator(
        f"form[action='/manage/vouchers/{voucher.pk}/request/{instalment.pk}/'] button"
    ).click()
    expect(
        page.get_by_text("you requested this payment, so another staff member approves it")
    ).to_be_visible()
    expect(
        page.get_by_text("A request for this instalment already waits for approval.")
    ).to_be_visible()
    request = instalment.payment_requests.get()
    sign_in(page, live_server, approver)
    page.goto(f"/manage/vouchers/{voucher.pk}/")
    page.locator(f"#confirm-approve-{request.pk}").check()
    page.get_by_role("button", name="Approve the payment").click()
    expect(page.locator(f"#instalment-{sequence}-heading")).to_contain_text("Approved for payment")
    sign_in(page, live_server, recorder)
    page.goto(f"/manage/vouchers/{voucher.pk}/")
    for split in InstalmentShare.objects.filter(instalment=instalment).order_by("pk"):
        form = page.locator(f"form[action='/manage/vouchers/{voucher.pk}/pay/{split.pk}/']")
        page.locator("details", has=form).locator("summary").click()
        form.get_by_label("Bank reference").fill(f"TRF-{sequence}-{split.pk}")
        form.get_by_label("I confirm: this step cannot be undone.").check()
        form.get_by_role("button", name="Record the payment").click()
        expect(page.get_by_text(f"TRF-{sequence}-{split.pk}")).to_be_visible()
    expect(page.locator(f"#instalment-{sequence}-heading")).to_contain_text("Paid")


def test_voucher_from_decision_to_final_payment(page, live_server):
    first_staff = staff_user(full_name="Marta Kowalska")
    second_staff = staff_user(full_name="Lukas Brenner")
    third_staff = staff_user(full_name="Rita Recorder")
    # The committee adopts its decision on a call with one application of two SMEs asking
    # EUR 20,000 each; the adoption itself drafts the voucher.
    ready = ready_call(budget="100000.00", count=1)
    call, application = ready.call, ready.apps[0]
    members = list(application.members.order_by("pk"))
    assert sum(m.requested_amount for m in members) == Decimal("40000.00")
    admins = []
    for member in members:
        admin = UserFactory()
        MembershipFactory(user=admin, organisation=member.organisation)
        admins.append(admin)
    consortium = SimpleNamespace(admins=admins)
    adopt(ready, first_staff, votes=("for", "for", "for"))
    voucher = Voucher.objects.get()
    assert voucher.application == application

    sign_in(page, live_server, first_staff)
    page.goto(f"/manage/vouchers/calls/{call.slug}/")
    expect(page.get_by_role("link", name=voucher.agreement_number)).to_be_visible()

    # Each beneficiary's admin signs, entering the password again.
    for admin in consortium.admins:
        sign_in(page, live_server, admin)
        page.goto("/apply/vouchers/")
        page.get_by_role("link", name=voucher.agreement_number).click()
        page.get_by_role("link", name="Sign", exact=True).click()
        page.get_by_label("Your password (asked again to sign)").fill(DEFAULT_PASSWORD)
        page.get_by_label("I sign this agreement on behalf of my organisation.").check()
        page.get_by_role("button", name="Sign", exact=True).click()
        expect(page.get_by_text("Nothing is due from you right now.")).to_be_visible()

    sign_in(page, live_server, first_staff)
    page.goto(f"/manage/vouchers/{voucher.pk}/")
    page.locator("#confirm-countersign").check()
    page.get_by_role("button", name="Countersign the agreement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Active (countersigned)")

    approve_and_pay(page, live_server, voucher, 1, first_staff, second_staff, third_staff)

    # The final deliverable: uploaded, returned, resubmitted, accepted.
    final = voucher.deliverables.get(is_final=True)
    upload = {"name": "final-report.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    sign_in(page, live_server, consortium.admins[0])
    page.goto(f"/apply/vouchers/{voucher.pk}/")
    page.locator(f"#file-{final.pk}").set_input_files(upload)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("v1 · final-report.pdf")).to_be_visible()
    sign_in(page, live_server, first_staff)
    page.goto(f"/manage/vouchers/{voucher.pk}/")
    page.locator(f"#return-{final.pk}").check()
    page.locator(f"#comments-review-{final.pk}").fill("Add the field-test results.")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_text("Returned for changes: Add the field-test results.")).to_be_visible()
    sign_in(page, live_server, consortium.admins[1])
    page.goto(f"/apply/vouchers/{voucher.pk}/")
    expect(page.get_by_text("Returned for changes").first).to_be_visible()
    page.locator(f"#file-{final.pk}").set_input_files({**upload, "name": "final-report-v2.pdf"})
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("v2 · final-report-v2.pdf")).to_be_visible()
    sign_in(page, live_server, second_staff)
    page.goto(f"/manage/vouchers/{voucher.pk}/")
    page.locator(f"#accept-{final.pk}").check()
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator("#instalment-2-heading")).to_contain_text("Due")

    approve_and_pay(page, live_server, voucher, 2, second_staff, first_staff, third_staff)

    # The dashboard and the export add up.
    page.goto(f"/manage/vouchers/calls/{call.slug}/")
    expect(page.locator("[data-figure='committed']")).to_have_text("€40,000.00")
    expect(page.locator("[data-figure='paid']")).to_have_text("€40,000.00")
    expect(page.locator("[data-figure='remaining']")).to_have_text("€60,000.00")
    expect(page.locator("[data-state='paid']")).to_have_text("€40,000.00")
    response = page.request.get(f"/manage/vouchers/export/payments.csv?call={call.slug}")
    rows = list(csv.reader(io.StringIO(response.text())))
    assert len(rows) == 5
    assert sum(Decimal(row[4]) for row in rows[1:]) == Decimal("40000.00")
    assert Payment.objects.count() == 4

    # The beneficiary sees what was paid and when.
    sign_in(page, live_server, consortium.admins[0])
    page.goto(f"/apply/vouchers/{voucher.pk}/")
    own, partner = voucher.shares.order_by("pk")
    for split in InstalmentShare.objects.filter(share=own):
        reference = f"TRF-{split.instalment.sequence}-{split.pk}"
        expect(page.get_by_role("cell", name=reference)).to_be_visible()
    for split in InstalmentShare.objects.filter(share=partner):
        reference = f"TRF-{split.instalment.sequence}-{split.pk}"
        expect(page.get_by_role("cell", name=reference)).to_have_count(0)
