"""Demo vouchers (idempotent): `python manage.py seed_demo` calls `seed` after the evaluation.

For every call with selected applications (the committee's demo decision on MINE.THE.GAP call
1 drafts them), the vouchers are drafted, then walked through the services to a stage that
depends on their position, so the demo shows each one: drafted; signed by one beneficiary;
active with the pre-financing paid; active with a deliverable returned for changes; completed
(deliverable returned, resubmitted and accepted, final instalment paid, a business-support
service recorded). Each step checks the current state first: a second run changes nothing.
"""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.demo import credentials
from accounts.models import User
from accounts.selectors import organisation_admins
from calls.models import ApplicationState, Call
from vouchers import services
from vouchers.models import (
    Deliverable,
    DeliverableState,
    Instalment,
    InstalmentState,
    PaymentRequestState,
    Voucher,
    VoucherState,
)

STAFF_EMAIL = "staff@minegap.eu"
SECOND_STAFF_EMAIL = "staff2@minegap.eu"
STAGES = ("drafted", "signed_by_one", "prefinanced", "returned", "completed")
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VALUE_DATE = date(2026, 10, 15)


def _admin_of(organisation) -> User | None:
    return organisation_admins([organisation]).order_by("pk").first()


def _sign_one(voucher: Voucher) -> None:
    """The first beneficiary signs; the others have not yet (once: a second run signs none)."""
    if voucher.shares.filter(signed_at__isnull=False).exists():
        return
    share = voucher.shares.filter(refused_at__isnull=True).order_by("pk").first()
    admin = _admin_of(share.organisation) if share else None
    password = credentials.known_password(admin.email) if admin is not None else None
    if password and admin.check_password(password):
        services.sign_share(share=share, actor=admin, password=password)


def _sign_all(voucher: Voucher) -> None:
    for share in voucher.shares.filter(signed_at__isnull=True, refused_at__isnull=True):
        admin = _admin_of(share.organisation)
        password = credentials.known_password(admin.email) if admin is not None else None
        if password and admin.check_password(password):
            services.sign_share(share=share, actor=admin, password=password)


def _pay(instalment: Instalment, requester: User, approver: User) -> None:
    instalment.refresh_from_db()
    if instalment.state == InstalmentState.DUE:
        request = instalment.payment_requests.filter(state=PaymentRequestState.REQUESTED).first()
        if request is None:
            request = services.request_payment(instalment=instalment, actor=requester)
        services.approve_payment(payment_request=request, actor=approver)
        instalment.refresh_from_db()
    if instalment.state == InstalmentState.APPROVED:
        for split in instalment.splits.order_by("pk"):
            if split.outstanding > 0:
                services.record_payment(
                    split=split,
                    actor=requester,  # requested it, did not approve it
                    idempotency_key=f"demo-{split.pk}",
                    value_date=VALUE_DATE,
                    bank_reference=f"DEMO-{instalment.voucher.agreement_number}-{split.pk}",
                )


def _submit_and_return(final: Deliverable, uploader: User, staff: User, comments: str) -> None:
    """The first version of the final report is uploaded and returned with `comments`."""
    services.submit_deliverable(
        deliverable=final,
        upload=SimpleUploadedFile("final-report-v1.pdf", DEMO_PDF),
        actor=uploader,
    )
    services.review_deliverable(deliverable=final, actor=staff, accept=False, comments=comments)


def _deliver(voucher: Voucher, staff: User) -> None:
    final = voucher.deliverables.get(is_final=True)
    uploader = _admin_of(voucher.shares.order_by("pk").first().organisation)
    if uploader is None:
        return
    if final.state == DeliverableState.PENDING:
        _submit_and_return(
            final, uploader, staff, "Please add the results of the field test at the mine."
        )
        final.refresh_from_db()
    if final.state == DeliverableState.RETURNED:
        services.submit_deliverable(
            deliverable=final,
            upload=SimpleUploadedFile("final-report-v2.pdf", DEMO_PDF),
            actor=uploader,
        )
        final.refresh_from_db()
    if final.state == DeliverableState.SUBMITTED:
        services.review_deliverable(deliverable=final, actor=staff, accept=True)
    for deliverable in voucher.deliverables.filter(is_final=False, state=DeliverableState.PENDING):
        services.submit_deliverable(
            deliverable=deliverable,
            upload=SimpleUploadedFile("interim-report.pdf", DEMO_PDF),
            actor=uploader,
        )
        services.review_deliverable(deliverable=deliverable, actor=staff, accept=True)


def _return_final(voucher: Voucher, staff: User) -> None:
    """The final report is submitted and returned for changes (waiting for a new version)."""
    final = voucher.deliverables.get(is_final=True)
    uploader = _admin_of(voucher.shares.order_by("pk").first().organisation)
    if uploader is None or final.state != DeliverableState.PENDING:
        return
    _submit_and_return(
        final,
        uploader,
        staff,
        "Please add the measured throughput of the pilot line before acceptance.",
    )


def advance(voucher: Voucher, stage: str, staff: User, second: User) -> Voucher:
    """Walk `voucher` up to `stage` (one of STAGES), skipping the steps already done."""
    target = STAGES.index(stage)
    if target == 1 and voucher.state == VoucherState.DRAFTED:
        _sign_one(voucher)
    if target >= 2 and voucher.state == VoucherState.DRAFTED:
        _sign_all(voucher)
        voucher.refresh_from_db()
    if target >= 2 and voucher.state == VoucherState.SIGNED:
        voucher = services.countersign(voucher=voucher, actor=staff)
    if voucher.state != VoucherState.ACTIVE:
        return voucher
    if target >= 2:
        for instalment in voucher.instalments.filter(trigger="signature"):
            _pay(instalment, staff, second)
    if target == 3:
        _return_final(voucher, staff)
    if target >= 4:
        _deliver(voucher, staff)
        for instalment in voucher.instalments.exclude(trigger="signature").order_by("sequence"):
            _pay(instalment, second, staff)
        share = voucher.shares.order_by("pk").first()
        if not voucher.support_services.exists():
            services.record_support_service(
                organisation=share.organisation,
                call=voucher.call,
                voucher=voucher,
                type="investor_readiness",
                provider="MineGap Business Hub",
                date=VALUE_DATE,
                hours=Decimal("12.0"),
                value=Decimal("1800.00"),
                description="Investor-readiness coaching before a pitch at a raw-materials fair.",
                actor=staff,
            )
        voucher = services.complete_voucher(voucher=voucher, actor=staff)
    return voucher


def seed(stdout) -> None:
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    second = User.objects.filter(email=SECOND_STAFF_EMAIL).first()
    if staff is None or second is None:
        stdout.write("vouchers: the demo staff are missing, skipped.")
        return
    calls = Call.objects.filter(applications__state=ApplicationState.SELECTED).distinct()
    calls = calls | Call.objects.filter(vouchers__isnull=False).distinct()
    done = 0
    for call in calls.distinct().order_by("pk"):
        services.draft_vouchers_for_call(call=call, actor=staff)
        vouchers = call.vouchers.exclude(state=VoucherState.TERMINATED).order_by("agreement_number")
        for index, voucher in enumerate(vouchers):
            advance(voucher, STAGES[index % len(STAGES)], staff, second)
            done += 1
    if done:
        stdout.write(f"vouchers: {done} demo vouchers at every stage.")
    else:
        stdout.write("vouchers: no selected application yet (the committee has not decided).")
