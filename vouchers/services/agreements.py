"""Voucher agreements: draft from the decision, adjust shares within the caps, sign, refuse,
countersign, complete, terminate. Each step writes one ledger entry in its transaction."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.rules import is_organisation_admin
from calls.models import Application, ApplicationState, Call, ConsortiumMember, MemberStatus
from calls.selectors import awarded_total
from calls.services import application_transition, set_awarded_amount
from calls.services.applications import lock_application
from calls.services.calls import lock_call
from evaluation.services.reserve import vacate_selection
from minegap.core.formatting import format_money
from minegap.ledger.services import Entry, record, record_many
from vouchers.models import (
    BeneficiaryShare,
    Deliverable,
    DeliverableState,
    Instalment,
    InstalmentShare,
    InstalmentState,
    InstalmentTrigger,
    Milestone,
    Voucher,
    VoucherState,
)
from vouchers.planning import (
    PROJECT_DAYS,
    plan_percents,
    split_by_percent,
    split_matrix,
    to_money,
)
from vouchers.selectors import committed_total
from vouchers.services import notify
from vouchers.services.common import lock_voucher, require_staff
from vouchers.signals import send_voucher_closed


def agreement_number(application: Application) -> str:
    return f"VA-{application.reference or application.pk}"


def lock_organisations(members) -> None:
    """Lock the beneficiaries' rows (in id order: no deadlock) so that two calls drafting for
    the same SME at once cannot together pass its lifetime cap."""
    ids = sorted({m.organisation_id for m in members})
    list(Organisation.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def cap_problems(
    *, call: Call, application: Application, amounts: dict[ConsortiumMember, Decimal]
) -> list[str]:
    """Why these shares break a cap (per third party, voucher type, lifetime, per project)."""
    problems = []
    type_cap = application.voucher_type.cap_per_sme if application.voucher_type_id else None
    for member, amount in amounts.items():
        name = str(member.organisation)
        if amount <= 0:
            problems.append(_("%(org)s: a share must be above zero.") % {"org": name})
        if amount > call.cap_per_third_party:
            problems.append(
                _("%(org)s: %(amount)s exceeds the cap per third party of %(cap)s.")
                % {
                    "org": name,
                    "amount": format_money(amount),
                    "cap": format_money(call.cap_per_third_party),
                }
            )
        if type_cap is not None and amount > type_cap:
            problems.append(
                _("%(org)s: %(amount)s exceeds the voucher type's cap of %(cap)s per SME.")
                % {"org": name, "amount": format_money(amount), "cap": format_money(type_cap)}
            )
        if call.lifetime_cap_per_sme is not None:
            before = awarded_total(member.organisation, exclude_application_id=application.pk)
            if before + amount > call.lifetime_cap_per_sme:
                problems.append(
                    _(
                        "%(org)s: %(before)s already awarded plus %(amount)s exceeds the "
                        "lifetime cap of %(cap)s."
                    )
                    % {
                        "org": name,
                        "before": format_money(before),
                        "amount": format_money(amount),
                        "cap": format_money(call.lifetime_cap_per_sme),
                    }
                )
    total = sum(amounts.values(), Decimal("0"))
    if total > call.cap_per_project:
        problems.append(
            _("%(total)s exceeds the cap per project of %(cap)s.")
            % {"total": format_money(total), "cap": format_money(call.cap_per_project)}
        )
    return problems


def _budget_problem(call: Call, amount: Decimal, *, exclude_voucher_id: int | None) -> str | None:
    committed = committed_total(call, exclude_voucher_id=exclude_voucher_id)
    if committed + amount > call.total_budget:
        return _(
            "Committing %(amount)s would exceed the call's budget: %(committed)s of "
            "%(budget)s is already committed."
        ) % {
            "amount": format_money(amount),
            "committed": format_money(committed),
            "budget": format_money(call.total_budget),
        }
    return None


def _plan_steps(call: Call) -> list[tuple[dict, str]]:
    plan = call.instalment_plan or []
    plan_percents(plan)
    steps = []
    for index, step in enumerate(plan):
        trigger = str(step.get("trigger", "")).strip().lower()
        if trigger == InstalmentTrigger.SIGNATURE:
            steps.append((step, InstalmentTrigger.SIGNATURE))
        elif trigger == InstalmentTrigger.MENTOR_REPORT and index < len(plan) - 1:
            # An interim milestone whose instalment waits for the mentor's approved report.
            steps.append((step, InstalmentTrigger.MENTOR_REPORT))
        elif index == len(plan) - 1:
            steps.append((step, InstalmentTrigger.FINAL_DELIVERABLE))
        else:
            steps.append((step, InstalmentTrigger.DELIVERABLE))
    return steps


def _create_plan(voucher: Voucher, today: date) -> None:
    """Milestones, deliverables and instalments from the call's plan (amounts set later)."""
    steps = _plan_steps(voucher.call)
    interim = [
        s for s in steps if s[1] in (InstalmentTrigger.DELIVERABLE, InstalmentTrigger.MENTOR_REPORT)
    ]
    milestones = len(interim) + 1
    deliverables: list[Deliverable] = []
    for number, (step, _trigger) in enumerate(interim, start=1):
        due = today + timedelta(days=PROJECT_DAYS * number // milestones)
        title = str(step.get("label") or _("Interim deliverable %(n)s") % {"n": number})[:200]
        milestone = Milestone.objects.create(
            voucher=voucher, sequence=number, title=title, due_date=due
        )
        deliverables.append(
            Deliverable.objects.create(
                voucher=voucher, milestone=milestone, title=title, due_date=due
            )
        )
    due = today + timedelta(days=PROJECT_DAYS)
    final_milestone = Milestone.objects.create(
        voucher=voucher, sequence=milestones, title=_("Project completion"), due_date=due
    )
    final = Deliverable.objects.create(
        voucher=voucher,
        milestone=final_milestone,
        title=_("Final report"),
        due_date=due,
        is_final=True,
    )
    interim_iter = iter(deliverables)
    percents = plan_percents(voucher.call.instalment_plan)
    for sequence, ((step, trigger), percent) in enumerate(zip(steps, percents, strict=True), 1):
        deliverable = milestone = None
        if trigger == InstalmentTrigger.DELIVERABLE:
            deliverable = next(interim_iter)
        elif trigger == InstalmentTrigger.MENTOR_REPORT:
            milestone = next(interim_iter).milestone
        elif trigger == InstalmentTrigger.FINAL_DELIVERABLE:
            deliverable = final
        Instalment.objects.create(
            voucher=voucher,
            sequence=sequence,
            label=str(step.get("label") or "")[:200] or _("Instalment %(n)s") % {"n": sequence},
            percent=percent,
            amount=Decimal("0.00"),
            trigger=trigger,
            deliverable=deliverable,
            milestone=milestone,
        )


def _apply_amounts(voucher: Voucher) -> None:
    """Instalment amounts and their split per beneficiary, every cent assigned."""
    shares = list(voucher.shares.order_by("pk"))
    instalments = list(voucher.instalments.order_by("sequence"))
    amounts = split_by_percent(voucher.amount, [i.percent for i in instalments])
    matrix = split_matrix(amounts, [s.amount for s in shares])
    InstalmentShare.objects.filter(instalment__voucher=voucher).delete()  # drafted: nothing paid
    splits = []
    for instalment, amount, row in zip(instalments, amounts, matrix, strict=True):
        instalment.amount = amount
        instalment.save(update_fields=["amount"])
        splits += [
            InstalmentShare(instalment=instalment, share=share, amount=part)
            for share, part in zip(shares, row, strict=True)
        ]
    InstalmentShare.objects.bulk_create(splits)


def _sync_awarded(voucher: Voucher, actor: User | None) -> None:
    for share in voucher.shares.select_related("member"):
        if share.member.awarded_amount != share.amount:
            set_awarded_amount(member=share.member, amount=share.amount, actor=actor)


def draft_voucher(*, application: Application, actor: User | None) -> Voucher:
    """The voucher of a selected application (drafted once; later calls return it).

    Shares come from the members' awarded amounts (the decision), else their requested budget.
    Locks the call row so that concurrent drafts cannot together exceed the budget.
    """
    require_staff(actor, allow_system=True)
    with transaction.atomic():
        call = lock_call(application.call)
        application = lock_application(application)
        existing = Voucher.objects.filter(application=application).first()
        if existing is not None:
            return existing
        if application.state != ApplicationState.SELECTED:
            raise ValidationError(_("Only a selected application gets a voucher."))
        # The confirmed members, and any member the decision awarded: a member of the
        # submitted consortium that left since is funded as submitted (it signs its share, or
        # its refusal releases the budget).
        members = [
            m
            for m in application.members.filter(
                Q(status=MemberStatus.CONFIRMED) | Q(awarded_amount__isnull=False),
                organisation__isnull=False,
            ).select_related("organisation")
            if (m.awarded_amount if m.awarded_amount is not None else m.requested_amount) > 0
        ]
        lock_organisations(members)
        amounts = {
            m: to_money(m.awarded_amount if m.awarded_amount is not None else m.requested_amount)
            for m in members
        }
        if not amounts:
            raise ValidationError(_("%(app)s has no funded member.") % {"app": application})
        total = sum(amounts.values(), Decimal("0"))
        problems = cap_problems(call=call, application=application, amounts=amounts)
        problem = _budget_problem(call, total, exclude_voucher_id=None)
        if problem:
            problems.append(problem)
        if problems:
            raise ValidationError([f"{application}: {p}" for p in problems])
        voucher = Voucher.objects.create(
            call=call,
            application=application,
            agreement_number=agreement_number(application),
            amount=total,
            drafted_by=actor,
        )
        for member, amount in amounts.items():
            BeneficiaryShare.objects.create(
                voucher=voucher, organisation=member.organisation, member=member, amount=amount
            )
        _create_plan(voucher, timezone.localdate())
        _apply_amounts(voucher)
        _sync_awarded(voucher, actor)
        notify.agreement_ready(voucher)
        record(
            action="vouchers.voucher.drafted",
            target=voucher,
            actor=actor,
            data={
                "agreement_number": voucher.agreement_number,
                "application": application.pk,
                "amount": voucher.amount,
                "shares": {str(m.organisation_id): a for m, a in amounts.items()},
                "instalments": [
                    str(a) for a in voucher.instalments.values_list("amount", flat=True)
                ],
            },
        )
    return voucher


def draft_vouchers_for_call(*, call: Call, actor: User | None) -> list[Voucher]:
    """One voucher per selected application of the call, all or none; idempotent.

    The entry point for the committee decision (wired later by a signal receiver here).
    """
    require_staff(actor, allow_system=True)
    with transaction.atomic():
        applications = Application.objects.filter(
            call=call, state=ApplicationState.SELECTED
        ).order_by("reference", "pk")
        return [draft_voucher(application=a, actor=actor) for a in applications]


def adjust_shares(
    *, voucher: Voucher, amounts: dict[int, Decimal], actor: User, reason: str
) -> Voucher:
    """Staff change beneficiaries' shares (by share id) of a drafted voucher, within the caps
    and the call's budget. Signatures already given are withdrawn: the text changed."""
    require_staff(actor)
    if not reason.strip():
        raise ValidationError(_("Say why the shares change."))
    with transaction.atomic():
        call = lock_call(voucher.call)
        voucher = lock_voucher(voucher)
        if voucher.state != VoucherState.DRAFTED:
            raise ValidationError(_("Shares can change only before the agreement is signed."))
        shares = {s.pk: s for s in voucher.shares.select_related("member__organisation")}
        if set(amounts) - set(shares):
            raise ValidationError(_("A share does not belong to this voucher."))
        lock_organisations([s.member for s in shares.values()])
        new = {shares[pk].member: to_money(amounts.get(pk, shares[pk].amount)) for pk in shares}
        total = sum(new.values(), Decimal("0"))
        problems = cap_problems(call=call, application=voucher.application, amounts=new)
        problem = _budget_problem(call, total, exclude_voucher_id=voucher.pk)
        if problem:
            problems.append(problem)
        if problems:
            raise ValidationError(problems)
        old = {str(s.organisation_id): s.amount for s in shares.values()}
        for share in shares.values():
            share.amount = new[share.member]
            share.signed_at = None
            share.signed_by = None
            share.save(update_fields=["amount", "signed_at", "signed_by"])
        voucher.amount = total
        voucher.agreement_pdf = ""  # the text changed: rendered again on the next download
        voucher.save(update_fields=["amount", "agreement_pdf"])
        _apply_amounts(voucher)
        _sync_awarded(voucher, actor)
        record(
            action="vouchers.voucher.shares_adjusted",
            target=voucher,
            actor=actor,
            data={
                "old": old,
                "new": {str(s.organisation_id): s.amount for s in shares.values()},
                "amount": total,
            },
            notes={"reason": reason},
        )
    return voucher


def _reauthenticate(actor: User, password: str) -> None:
    if not password or not actor.check_password(password):
        raise ValidationError(_("Your password is needed to sign: it did not match."))


def _lock_share(share: BeneficiaryShare, actor: User) -> tuple[Voucher, BeneficiaryShare]:
    voucher = lock_voucher(share.voucher)
    share = BeneficiaryShare.objects.select_related("organisation").get(pk=share.pk)
    if not is_organisation_admin(actor, share.organisation):
        raise PermissionDenied(
            _("Only an administrator of %(org)s can do this.") % {"org": share.organisation}
        )
    if voucher.state != VoucherState.DRAFTED:
        raise ValidationError(_("This agreement is no longer open for signature."))
    if share.signed_at or share.refused_at:
        raise ValidationError(_("%(org)s has already answered.") % {"org": share.organisation})
    return voucher, share


def sign_share(*, share: BeneficiaryShare, actor: User, password: str) -> BeneficiaryShare:
    """A beneficiary's admin signs (password asked again). The last signature makes the
    voucher `signed`, ready for the staff's countersignature."""
    _reauthenticate(actor, password)
    with transaction.atomic():
        voucher, share = _lock_share(share, actor)
        now = timezone.now()
        share.signed_at = now
        share.signed_by = actor
        share.save(update_fields=["signed_at", "signed_by"])
        voucher.agreement_pdf = ""  # rendered again with this signature on the next download
        if not voucher.shares.filter(signed_at__isnull=True).exists():
            voucher.state = VoucherState.SIGNED
            voucher.signed_at = now
        voucher.save(update_fields=["state", "signed_at", "agreement_pdf"])
        record(
            action="vouchers.share.signed",
            target=share,
            actor=actor,
            data={"voucher": voucher.pk, "amount": share.amount, "voucher_state": voucher.state},
        )
    return share


def refuse_share(
    *, share: BeneficiaryShare, actor: User, password: str, reason: str
) -> BeneficiaryShare:
    """A beneficiary refuses the agreement: the voucher is terminated, and the evaluation app's
    `vacate_selection` rejects the application, clears its awarded amounts (the budget is
    released) and moves the first reserve that fits up (whose voucher the `reserve_promoted`
    receiver drafts, in this transaction)."""
    _reauthenticate(actor, password)
    if not reason.strip():
        raise ValidationError(_("Say why you refuse the agreement."))
    with transaction.atomic():
        # The call first, as vacate_selection and draft_voucher do: locking the voucher first
        # deadlocked with staff vacating the same selection (call, application, voucher).
        lock_call(share.voucher.call)
        voucher, share = _lock_share(share, actor)
        now = timezone.now()
        share.refused_at = now
        share.refused_by = actor
        share.refusal_reason = reason
        share.save(update_fields=["refused_at", "refused_by", "refusal_reason"])
        voucher.state = VoucherState.TERMINATED
        voucher.state_reason = _("Refused by %(org)s: %(reason)s") % {
            "org": share.organisation,
            "reason": reason,
        }
        voucher.closed_at = now
        voucher.save(update_fields=["state", "state_reason", "closed_at"])
        # The beneficiary's admin is not staff: the evaluation service runs as the system,
        # recording who caused it.
        vacate_selection(
            application=voucher.application,
            actor=None,
            reason=voucher.state_reason,
            requested_by=actor,
        )
        record(
            action="vouchers.voucher.refused",
            target=voucher,
            actor=actor,
            data={
                "share": share.pk,
                "organisation": share.organisation_id,
                "released": voucher.amount,
            },
            notes={"reason": reason},
        )
    return share


def countersign(*, voucher: Voucher, actor: User) -> Voucher:
    """Staff countersign a voucher every beneficiary signed: it becomes active, the application
    funded, and the instalments triggered by the signature due."""
    require_staff(actor)
    with transaction.atomic():
        voucher = lock_voucher(voucher)
        if voucher.state != VoucherState.SIGNED:
            raise ValidationError(_("Every beneficiary must sign before the countersignature."))
        now = timezone.now()
        voucher.state = VoucherState.ACTIVE
        voucher.countersigned_at = now
        voucher.countersigned_by = actor
        voucher.agreement_pdf = ""  # rendered again with the countersignature
        voucher.save(
            update_fields=["state", "countersigned_at", "countersigned_by", "agreement_pdf"]
        )
        due = voucher.instalments.filter(
            trigger=InstalmentTrigger.SIGNATURE, state=InstalmentState.SCHEDULED
        )
        due_ids = list(due.values_list("pk", flat=True))
        due.update(state=InstalmentState.DUE, due_at=now)
        application_transition(
            application=voucher.application,
            to_state=ApplicationState.FUNDED,
            actor=actor,
            reason=_("Voucher %(number)s signed") % {"number": voucher.agreement_number},
        )
        notify.voucher_active(voucher)
        record(
            action="vouchers.voucher.countersigned",
            target=voucher,
            actor=actor,
            data={"amount": voucher.amount, "instalments_due": due_ids},
        )
    return voucher


def complete_voucher(*, voucher: Voucher, actor: User) -> Voucher:
    """Close an active voucher whose deliverables are accepted and whose instalments are
    settled (paid, withheld or recovered)."""
    require_staff(actor)
    with transaction.atomic():
        voucher = lock_voucher(voucher)
        if voucher.state != VoucherState.ACTIVE:
            raise ValidationError(_("Only an active voucher can be completed."))
        if voucher.deliverables.exclude(state=DeliverableState.ACCEPTED).exists():
            raise ValidationError(_("Every deliverable must be accepted first."))
        open_states = [InstalmentState.SCHEDULED, InstalmentState.DUE, InstalmentState.APPROVED]
        if voucher.instalments.filter(state__in=open_states).exists():
            raise ValidationError(_("Every instalment must be paid, withheld or recovered first."))
        voucher.state = VoucherState.COMPLETED
        voucher.closed_at = timezone.now()
        voucher.save(update_fields=["state", "closed_at"])
        paid = voucher.instalments.aggregate(p=Sum("paid_amount"), r=Sum("recovered_amount"))
        _record_closing(
            voucher,
            actor,
            action="vouchers.voucher.completed",
            data={"paid": paid["p"], "recovered": paid["r"]},
        )
    return voucher


def terminate_voucher(*, voucher: Voucher, actor: User, reason: str) -> Voucher:
    """Staff end a voucher early; unpaid instalments are withheld with the reason. Only what
    was paid (net of recoveries) stays committed against the call's budget."""
    require_staff(actor)
    if not reason.strip():
        raise ValidationError(_("Say why the voucher is terminated."))
    with transaction.atomic():
        voucher = lock_voucher(voucher)
        if voucher.state in (VoucherState.COMPLETED, VoucherState.TERMINATED):
            raise ValidationError(_("This voucher is already closed."))
        voucher.state = VoucherState.TERMINATED
        voucher.state_reason = reason
        voucher.closed_at = timezone.now()
        voucher.save(update_fields=["state", "state_reason", "closed_at"])
        voucher.instalments.filter(
            state__in=[InstalmentState.SCHEDULED, InstalmentState.DUE, InstalmentState.APPROVED]
        ).update(
            state=InstalmentState.WITHHELD,
            withheld_reason=_("Voucher terminated: %(reason)s") % {"reason": reason},
        )
        _record_closing(
            voucher, actor, action="vouchers.voucher.terminated", notes={"reason": reason}
        )
    return voucher


def _record_closing(voucher: Voucher, actor: User, *, action: str, **details) -> None:
    """The closing's ledger entry, then those of the apps that follow a voucher's close, in one
    append: the transaction's last step (the ledger's head lock is taken last)."""
    followers = send_voucher_closed(voucher=voucher, actor=actor)
    record_many([Entry(action=action, target=voucher, actor=actor, **details), *followers])
