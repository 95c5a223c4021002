"""Instalments: due when triggered, payment requested by one staff member and approved by
another, payments recorded once per idempotency key, withholding, release and recovery."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from minegap.core.formatting import format_money
from minegap.ledger.services import record
from vouchers.models import (
    Deliverable,
    DeliverableState,
    Instalment,
    InstalmentShare,
    InstalmentState,
    InstalmentTrigger,
    Milestone,
    Payment,
    PaymentRequest,
    PaymentRequestState,
    VoucherState,
)
from vouchers.planning import to_money
from vouchers.preconditions import payment_approval_refusal, payment_request_refusal
from vouchers.services import notify
from vouchers.services.common import lock_instalment, lock_voucher, require_staff

PAY_WITHIN_DAYS = 14  # bank transfer due within 14 days of approval (DOMAIN.md)
MAX_KEY_LENGTH = Payment._meta.get_field("idempotency_key").max_length


def trigger_met(instalment: Instalment) -> bool:
    voucher = instalment.voucher
    if voucher.state not in (VoucherState.ACTIVE, VoucherState.COMPLETED):
        return False
    if instalment.trigger == InstalmentTrigger.SIGNATURE:
        return True
    if instalment.trigger == InstalmentTrigger.MENTOR_REPORT:
        return instalment.due_at is not None  # set once, when the mentor's report approved it
    return (
        instalment.deliverable_id is not None
        and instalment.deliverable.state == DeliverableState.ACCEPTED
    )


def mark_triggered_by(*, deliverable: Deliverable, now: datetime) -> list[int]:
    """Instalments waiting for `deliverable` become due (inside the caller's transaction).
    A withheld one stays withheld but remembers it is due."""
    ids = list(deliverable.instalments.values_list("pk", flat=True))
    Instalment.objects.filter(pk__in=ids, state=InstalmentState.SCHEDULED).update(
        state=InstalmentState.DUE, due_at=now
    )
    Instalment.objects.filter(pk__in=ids, state=InstalmentState.WITHHELD, due_at=None).update(
        due_at=now
    )
    return ids


def mark_due_on_mentor_report(*, milestone: Milestone, now: datetime) -> list[int]:
    """Instalments waiting for the mentor's approved report on `milestone` become due, inside
    the caller's transaction (the mentoring app's report service calls this; vouchers never
    imports mentoring). Exactly once: the rows are locked, only those never triggered move
    (`due_at` is None), a withheld one stays withheld but remembers it is due. Refused unless
    the voucher is active. Returns the ids of the instalments that became due now."""
    voucher = lock_voucher(milestone.voucher)
    if voucher.state != VoucherState.ACTIVE:
        raise ValidationError(
            _("Voucher %(number)s is not active: its instalments cannot become due.")
            % {"number": voucher.agreement_number}
        )
    waiting = list(
        Instalment.objects.select_for_update()
        .filter(
            milestone=milestone,
            trigger=InstalmentTrigger.MENTOR_REPORT,
            due_at__isnull=True,
            state__in=[InstalmentState.SCHEDULED, InstalmentState.WITHHELD],
        )
        .order_by("pk")
    )
    ids = [i.pk for i in waiting]
    Instalment.objects.filter(pk__in=ids, state=InstalmentState.SCHEDULED).update(
        state=InstalmentState.DUE, due_at=now
    )
    Instalment.objects.filter(pk__in=ids, state=InstalmentState.WITHHELD).update(due_at=now)
    return ids


def request_payment(*, instalment: Instalment, actor: User, comment: str = "") -> PaymentRequest:
    require_staff(actor)
    with transaction.atomic():
        instalment = lock_instalment(instalment)
        refusal = payment_request_refusal(instalment)
        if refusal:
            raise ValidationError(refusal)
        payment_request = PaymentRequest.objects.create(
            instalment=instalment, amount=instalment.amount, requested_by=actor, comment=comment
        )
        record(
            action="vouchers.payment.requested",
            target=payment_request,
            actor=actor,
            data={"instalment": instalment.pk, "amount": payment_request.amount},
        )
    return payment_request


def _lock_request(payment_request: PaymentRequest) -> tuple[Instalment, PaymentRequest]:
    instalment = lock_instalment(payment_request.instalment)
    payment_request = PaymentRequest.objects.select_for_update().get(pk=payment_request.pk)
    if payment_request.state != PaymentRequestState.REQUESTED:
        raise ValidationError(_("This request was already decided."))
    return instalment, payment_request


def approve_payment(*, payment_request: PaymentRequest, actor: User) -> PaymentRequest:
    """A second staff member approves: never the one who requested it (four-eyes)."""
    require_staff(actor)
    with transaction.atomic():
        instalment, payment_request = _lock_request(payment_request)
        payment_request.instalment = instalment
        refusal = payment_approval_refusal(payment_request, actor)
        if refusal:
            raise ValidationError(refusal)
        now = timezone.now()
        payment_request.state = PaymentRequestState.APPROVED
        payment_request.decided_by = actor
        payment_request.decided_at = now
        payment_request.pay_by = timezone.localdate(now) + timedelta(days=PAY_WITHIN_DAYS)
        payment_request.save(update_fields=["state", "decided_by", "decided_at", "pay_by"])
        instalment.approved_amount = payment_request.amount
        instalment.state = InstalmentState.APPROVED
        instalment.save(update_fields=["approved_amount", "state"])
        record(
            action="vouchers.payment.approved",
            target=payment_request,
            actor=actor,
            data={"instalment": instalment.pk, "amount": payment_request.amount},
        )
    return payment_request


def reject_payment(*, payment_request: PaymentRequest, actor: User, comment: str) -> PaymentRequest:
    require_staff(actor)
    if not comment.strip():
        raise ValidationError(_("Say why the request is rejected."))
    with transaction.atomic():
        instalment, payment_request = _lock_request(payment_request)
        if payment_request.requested_by_id == actor.pk:
            raise ValidationError(_("Four-eyes rule: another staff member must decide this."))
        payment_request.state = PaymentRequestState.REJECTED
        payment_request.decided_by = actor
        payment_request.decided_at = timezone.now()
        payment_request.comment = comment
        payment_request.save(update_fields=["state", "decided_by", "decided_at", "comment"])
        record(
            action="vouchers.payment.rejected",
            target=payment_request,
            actor=actor,
            data={"instalment": instalment.pk},
            notes={"comment": comment},
        )
    return payment_request


def _replay(key: str, split: InstalmentShare, amount: Decimal | None) -> Payment | None:
    """The payment already recorded under `key`, if it is this same payment; an error if the
    key was used for a different one."""
    existing = Payment.objects.filter(idempotency_key=key).first()
    if existing is None:
        return None
    if existing.split_id != split.pk or (amount is not None and existing.amount != amount):
        raise ValidationError(_("This idempotency key was already used for another payment."))
    return existing


def record_payment(
    *,
    split: InstalmentShare,
    actor: User,
    idempotency_key: str,
    value_date: date,
    bank_reference: str,
    amount: Decimal | None = None,
) -> Payment:
    """Record a bank transfer to one beneficiary for an approved instalment (see
    `record_payment_once`, which also says whether this call recorded it)."""
    payment, _created = record_payment_once(
        split=split,
        actor=actor,
        idempotency_key=idempotency_key,
        value_date=value_date,
        bank_reference=bank_reference,
        amount=amount,
    )
    return payment


def record_payment_once(
    *,
    split: InstalmentShare,
    actor: User,
    idempotency_key: str,
    value_date: date,
    bank_reference: str,
    amount: Decimal | None = None,
) -> tuple[Payment, bool]:
    """Record a bank transfer to one beneficiary for an approved instalment; returns
    (payment, created).

    Recorded once: a repeated key returns the first payment with created=False, decided under
    the lock (so two requests racing with one key get exactly one created=True); concurrent
    clicks are serialised by the instalment's row lock, and what is paid never exceeds what was
    approved (checked here and by the database). Amount defaults to what is still owed to that
    beneficiary.
    """
    require_staff(actor)
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationError(_("A payment needs an idempotency key of 1 to 100 characters."))
    if not bank_reference.strip():
        raise ValidationError(_("Give the bank reference of the transfer."))
    if amount is not None:
        amount = to_money(amount)
        if amount <= 0:
            raise ValidationError(_("A payment must be above zero."))
    try:
        with transaction.atomic():
            instalment = lock_instalment(split.instalment)
            existing = _replay(key, split, amount)  # after the lock: sees a concurrent commit
            if existing is not None:
                return existing, False
            split = InstalmentShare.objects.select_related("share").get(pk=split.pk)
            if instalment.state != InstalmentState.APPROVED:
                raise ValidationError(_("Only an approved instalment can be paid."))
            approval = instalment.payment_requests.get(state=PaymentRequestState.APPROVED)
            if approval.decided_by_id == actor.pk:
                raise ValidationError(
                    _("Four-eyes rule: the person who approved a payment does not record it.")
                )
            to_pay = split.outstanding if amount is None else amount
            if to_pay <= 0:
                raise ValidationError(_("This beneficiary's part is already paid."))
            if to_pay > split.outstanding or to_pay > instalment.outstanding:
                raise ValidationError(
                    _("%(amount)s is more than the %(left)s still approved for payment.")
                    % {
                        "amount": format_money(to_pay),
                        "left": format_money(min(split.outstanding, instalment.outstanding)),
                    }
                )
            payment = Payment.objects.create(
                instalment=instalment,
                split=split,
                beneficiary=split.share,
                payment_request=approval,
                amount=to_pay,
                value_date=value_date,
                bank_reference=bank_reference.strip()[:100],
                idempotency_key=key,
                recorded_by=actor,
                approved_by_id=approval.decided_by_id,
            )
            split.paid_amount += to_pay
            split.save(update_fields=["paid_amount"])
            instalment.paid_amount += to_pay
            if instalment.paid_amount == instalment.amount:
                instalment.state = InstalmentState.PAID
            instalment.save(update_fields=["paid_amount", "state"])
            notify.payment_recorded(payment)
            record(
                action="vouchers.payment.recorded",
                target=payment,
                actor=actor,
                data={
                    "instalment": instalment.pk,
                    "organisation": split.share.organisation_id,
                    "amount": to_pay,
                    "value_date": value_date,
                    "bank_reference": payment.bank_reference,
                    "instalment_state": instalment.state,
                },
            )
            return payment, True
    except IntegrityError:
        # The same key raced in through another instalment's lock: answer like a replay.
        existing = _replay(key, split, amount)
        if existing is None:
            raise
        return existing, False


def withhold_instalment(*, instalment: Instalment, actor: User, reason: str) -> Instalment:
    require_staff(actor)
    if not reason.strip():
        raise ValidationError(_("Say why the instalment is withheld."))
    with transaction.atomic():
        instalment = lock_instalment(instalment)
        if instalment.state not in (
            InstalmentState.SCHEDULED,
            InstalmentState.DUE,
            InstalmentState.APPROVED,
        ):
            raise ValidationError(_("Only an unpaid instalment can be withheld."))
        old = instalment.state
        instalment.state = InstalmentState.WITHHELD
        instalment.withheld_reason = reason
        instalment.save(update_fields=["state", "withheld_reason"])
        record(
            action="vouchers.instalment.withheld",
            target=instalment,
            actor=actor,
            data={"from": old, "paid": instalment.paid_amount},
            notes={"reason": reason},
        )
    return instalment


def release_instalment(*, instalment: Instalment, actor: User, reason: str) -> Instalment:
    """Lift a withholding: back to approved, due or scheduled, as its trigger and approval say.
    The withholding reason stays on record (ledger)."""
    require_staff(actor)
    if not reason.strip():
        raise ValidationError(_("Say why the withholding is lifted."))
    with transaction.atomic():
        instalment = lock_instalment(instalment)
        if instalment.state != InstalmentState.WITHHELD:
            raise ValidationError(_("This instalment is not withheld."))
        if instalment.voucher.state != VoucherState.ACTIVE:
            raise ValidationError(_("Only an active voucher's instalments can be released."))
        if instalment.approved_amount > instalment.paid_amount:
            instalment.state = InstalmentState.APPROVED
        elif trigger_met(instalment):
            instalment.state = InstalmentState.DUE
            instalment.due_at = instalment.due_at or timezone.now()
        else:
            instalment.state = InstalmentState.SCHEDULED
        instalment.save(update_fields=["state", "due_at"])
        record(
            action="vouchers.instalment.released",
            target=instalment,
            actor=actor,
            data={"to": instalment.state},
            notes={"reason": reason},
        )
    return instalment


def recover_instalment(
    *, instalment: Instalment, actor: User, amount: Decimal, reason: str
) -> Instalment:
    """Record money claimed back from what was paid (state `recovered`, with the reason)."""
    require_staff(actor)
    if not reason.strip():
        raise ValidationError(_("Say why the money is recovered."))
    amount = to_money(amount)
    if amount <= 0:
        raise ValidationError(_("A recovery must be above zero."))
    with transaction.atomic():
        instalment = lock_instalment(instalment)
        recoverable = instalment.paid_amount - instalment.recovered_amount
        if amount > recoverable:
            raise ValidationError(
                _("Only %(left)s was paid and not yet recovered.")
                % {"left": format_money(recoverable)}
            )
        old = instalment.state
        instalment.recovered_amount += amount
        instalment.recovery_reason = reason
        instalment.state = InstalmentState.RECOVERED
        instalment.save(update_fields=["recovered_amount", "recovery_reason", "state"])
        record(
            action="vouchers.instalment.recovered",
            target=instalment,
            actor=actor,
            data={"from": old, "amount": amount},
            notes={"reason": reason},
        )
    return instalment
