"""Factories for vouchers: a selected application whose members have admins, and helpers that
walk a voucher through signature, approval and payment with the real services."""

import itertools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from accounts import roles
from accounts.models import Organisation, User
from calls.models import Application, ApplicationState, Call, ConsortiumMember, MemberRole
from tests.calls.factories import ApplicationFactory, CallFactory, MemberFactory
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from vouchers import services
from vouchers.models import InstalmentShare, Voucher

_references = itertools.count(1)


@dataclass
class Consortium:
    application: Application
    members: list[ConsortiumMember]
    admins: list[User] = field(default_factory=list)

    @property
    def organisations(self) -> list[Organisation]:
        return [m.organisation for m in self.members]


def selected_application(
    call: Call | None = None,
    amounts: tuple[Decimal, ...] = (Decimal("30000.00"), Decimal("20000.00")),
    *,
    awarded: bool = False,
) -> Consortium:
    """An application in state `selected` with one confirmed member per amount (requested, or
    awarded when `awarded`), each organisation with its own admin user."""
    call = call or CallFactory(state="decided")
    number = next(_references)
    application = ApplicationFactory(
        call=call,
        lead_organisation=OrganisationFactory(),
        reference=f"{call.code}-{number:04d}",
        state=ApplicationState.SELECTED,
        voucher_type=call.voucher_types.filter(name="Demonstration").first(),
    )
    members, admins = [], []
    for index, amount in enumerate(amounts):
        organisation = application.lead_organisation if index == 0 else OrganisationFactory()
        member = MemberFactory(
            application=application,
            organisation=organisation,
            is_lead=index == 0,
            role=MemberRole.ADOPTER if index == 0 else MemberRole.PROVIDER,
            requested_amount=amount,
            awarded_amount=amount if awarded else None,
        )
        admin = UserFactory()
        MembershipFactory(user=admin, organisation=organisation)
        members.append(member)
        admins.append(admin)
    return Consortium(application=application, members=members, admins=admins)


def staff_user(**kwargs) -> User:
    return UserFactory(roles=[roles.STAFF], **kwargs)


def active_voucher(consortium: Consortium, staff: User) -> Voucher:
    """Draft, sign by every beneficiary admin, countersign."""
    voucher = services.draft_voucher(application=consortium.application, actor=staff)
    for share, admin in zip(voucher.shares.order_by("pk"), consortium.admins, strict=True):
        services.sign_share(share=share, actor=admin, password=DEFAULT_PASSWORD)
    return services.countersign(voucher=voucher, actor=staff)


def approved_instalment(voucher: Voucher, requester: User, approver: User, sequence: int = 1):
    instalment = voucher.instalments.get(sequence=sequence)
    request = services.request_payment(instalment=instalment, actor=requester)
    services.approve_payment(payment_request=request, actor=approver)
    instalment.refresh_from_db()
    return instalment


def pay_all(instalment, actor: User, prefix: str = "key") -> None:
    for split in InstalmentShare.objects.filter(instalment=instalment).order_by("pk"):
        services.record_payment(
            split=split,
            actor=actor,
            idempotency_key=f"{prefix}-{instalment.pk}-{split.pk}",
            value_date=date(2026, 11, 23),
            bank_reference=f"TRF-{instalment.pk}-{split.pk}",
        )
