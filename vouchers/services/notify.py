"""E-mails to beneficiaries, queued in the outbox inside the service's transaction."""

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import Organisation, User
from accounts.selectors import organisation_admins, people_with_role
from calls import selectors as calls_selectors
from minegap.notifications.services import enqueue
from vouchers.models import Voucher


def admins_of(organisations: list[Organisation]) -> list[User]:
    return list(organisation_admins(organisations))


def _beneficiary_admins(voucher: Voucher) -> list[User]:
    return admins_of([s.organisation for s in voucher.shares.select_related("organisation")])


def _base(voucher: Voucher) -> dict:
    return {
        "site_url": settings.SITE_URL,
        "number": voucher.agreement_number,
        # The project's name as submitted, as every voucher page names it.
        "project": calls_selectors.submitted_record(voucher.application).display_name,
        "call_title": voucher.call.title,
        "path": reverse("vouchers:my-voucher", args=[voucher.pk]),
    }


def agreement_ready(voucher: Voucher) -> None:
    for share in voucher.shares.select_related("organisation"):
        enqueue(
            template="vouchers/agreement_ready",
            subject=_("Voucher agreement %(number)s: ready to sign")
            % {"number": voucher.agreement_number},
            recipients=admins_of([share.organisation]),
            context={
                **_base(voucher),
                "amount": voucher.amount,
                "share": share.amount,
                "organisation": share.organisation.legal_name,
            },
        )


def voucher_active(voucher: Voucher) -> None:
    enqueue(
        template="vouchers/voucher_active",
        subject=_("Voucher %(number)s is active") % {"number": voucher.agreement_number},
        recipients=_beneficiary_admins(voucher),
        context=_base(voucher),
    )


def deliverable_reviewed(deliverable, *, accepted: bool, comments: str) -> None:
    voucher = deliverable.voucher
    enqueue(
        template="vouchers/deliverable_reviewed",
        subject=(
            _("Deliverable accepted: %(title)s")
            if accepted
            else _("Deliverable returned: %(title)s")
        )
        % {"title": deliverable.title},
        recipients=_beneficiary_admins(voucher),
        context={
            **_base(voucher),
            "deliverable": deliverable.title,
            "accepted": accepted,
            "comments": comments,
        },
    )


def payment_recorded(payment) -> None:
    voucher = payment.instalment.voucher
    organisation = payment.beneficiary.organisation
    enqueue(
        template="vouchers/payment_recorded",
        subject=_("Payment recorded under voucher %(number)s")
        % {"number": voucher.agreement_number},
        recipients=admins_of([organisation]),
        context={
            **_base(voucher),
            "amount": payment.amount,
            "organisation": organisation.legal_name,
            "instalment": payment.instalment.label,
            # Written out now, in the language the e-mail is rendered in (enqueue keeps it):
            # the JSON context would otherwise carry the ISO date "2026-11-23".
            "value_date": date_format(payment.value_date, "DATE_FORMAT"),
            "bank_reference": payment.bank_reference,
        },
    )


def promoted_voucher_not_drafted(application, *, reasons: list[str]) -> None:
    """A reserve moved up but its voucher could not be drafted: staff fix it, then draft it."""
    enqueue(
        template="vouchers/promoted_voucher_not_drafted",
        subject=_("The voucher of %(ref)s, moved up from the reserve list, is not drafted")
        % {"ref": application.reference},
        recipients=list(people_with_role(roles.STAFF)),
        context={
            "site_url": settings.SITE_URL,
            "reference": application.reference,
            "call_title": application.call.title,
            "reasons": reasons,
            "path": reverse("vouchers:manage-call", args=[application.call.slug]),
        },
    )
