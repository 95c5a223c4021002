"""A voucher's one next step for the person reading it: an administrator of a beneficiary that
has not signed signs; a colleague of theirs waits for them; a beneficiary that signed waits for
the others or the countersignature. Used by the vouchers panel and, through the provider this
module registers with `calls.next_steps`, by the applicant's list of applications."""

from collections.abc import Sequence

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Membership
from calls.models import Application, ApplicationState
from calls.next_steps import NextStep
from vouchers.models import (
    BeneficiaryShare,
    Deliverable,
    DeliverableState,
    Voucher,
    VoucherState,
)


def reader_organisations(user) -> tuple[set[int], set[int]]:
    """The organisations `user` administers, and those they belong to."""
    if not getattr(user, "is_authenticated", False):
        return set(), set()
    rows = list(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
    return {o for o, role in rows if role == "admin"}, {o for o, _role in rows}


def voucher_next_step(
    voucher: Voucher, admin_of: set[int], member_of: set[int]
) -> tuple[str, bool]:
    """(what to do next, urgent) for a reader administering `admin_of` among `member_of`."""
    if voucher.state == VoucherState.DRAFTED:
        unsigned = [s for s in voucher.shares.all() if s.signed_at is None and s.refused_at is None]
        if any(share.organisation_id in admin_of for share in unsigned):
            return _("Next: sign the voucher agreement."), True
        if any(share.organisation_id in member_of for share in unsigned):
            return _("Waiting for your organisation's administrator to sign the agreement."), False
        if unsigned:
            return _("Signed on your side: waiting for the other beneficiaries to sign."), False
        return _("Every beneficiary signed: waiting for the programme to countersign."), False
    if voucher.state == VoucherState.SIGNED:
        return _("Every beneficiary signed: waiting for the programme to countersign."), False
    if voucher.state == VoucherState.ACTIVE:
        open_deliverables = [
            d
            for d in voucher.deliverables.all()
            if d.state in (DeliverableState.PENDING, DeliverableState.RETURNED)
        ]
        if open_deliverables:
            first = min(open_deliverables, key=lambda d: (d.due_date, d.pk))
            if first.state == DeliverableState.RETURNED:
                return _("Next: revise the returned deliverable “%(title)s”.") % {
                    "title": first.title
                }, True
            return _("Next: deliver “%(title)s” by %(due)s.") % {
                "title": first.title,
                "due": date_format(first.due_date, "DATE_FORMAT"),
            }, False
        return _("Deliverables submitted: staff review them; payments follow acceptance."), False
    if voucher.state == VoucherState.COMPLETED:
        return _("Completed: every instalment is settled."), False
    return _("Terminated."), False


def with_next_step_data(vouchers):
    return vouchers.prefetch_related(
        Prefetch("shares", queryset=BeneficiaryShare.objects.order_by("pk")),
        Prefetch("deliverables", queryset=Deliverable.objects.order_by("due_date", "pk")),
    )


def application_next_steps(applications: Sequence[Application], user) -> dict[int, NextStep]:
    """The voucher's next step of each selected or funded application that has a voucher."""
    ids = [
        a.pk
        for a in applications
        if a.state in (ApplicationState.SELECTED, ApplicationState.FUNDED)
        and a.call.imported_at is None
    ]
    if not ids:
        return {}
    admin_of, member_of = reader_organisations(user)
    vouchers = with_next_step_data(
        Voucher.objects.filter(application_id__in=ids).exclude(state=VoucherState.TERMINATED)
    )
    steps = {}
    for voucher in vouchers:
        text, urgent = voucher_next_step(voucher, admin_of, member_of)
        steps[voucher.application_id] = NextStep(
            text, reverse("vouchers:my-voucher", args=[voucher.pk]), urgent=urgent
        )
    return steps
