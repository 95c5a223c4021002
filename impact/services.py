"""Every write of the impact app: validated, permission-checked, atomic, in the ledger (ids and
codes only: indicator names are the call's public texts, reasons go to `notes=`)."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import is_consortium_staff
from accounts.selectors import organisation_admins
from calls.models import Call
from impact import preconditions, presets, selectors
from impact.models import (
    ImpactReport,
    Indicator,
    IndicatorKind,
    ReportedValue,
    ReportingStage,
    StageReminder,
)
from impact.rules import is_beneficiary_member
from minegap.ledger.services import record
from minegap.notifications.services import enqueue
from vouchers.models import BeneficiaryShare

EDITABLE_FIELDS = (
    "name",
    "unit",
    "kind",
    "at_baseline",
    "at_final",
    "at_follow_up",
    "order",
    "required",
)
LARGEST = Decimal("99999999999999.99")


def _ensure_staff(actor: User) -> None:
    if not is_consortium_staff(actor):
        raise PermissionDenied(_("Only programme staff manage impact indicators."))


def _validated(indicator: Indicator) -> Indicator:
    indicator.full_clean(exclude=["call"])
    return indicator


def create_indicator(*, call: Call, actor: User, **fields: Any) -> Indicator:
    _ensure_staff(actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not an indicator field: {sorted(unknown)}")
    with transaction.atomic():
        indicator = _validated(Indicator(call=call, **fields))
        indicator.save()
        record(
            action="impact.indicator.created",
            target=indicator,
            actor=actor,
            data={"call": call.pk, "kind": indicator.kind, "stages": indicator.stages},
        )
    return indicator


def add_presets(*, call: Call, actor: User, keys: list[str]) -> list[Indicator]:
    """Add the presets `keys` the call does not have yet (a second click adds nothing)."""
    _ensure_staff(actor)
    unknown = set(keys) - set(presets.BY_KEY)
    if unknown:
        raise ValidationError(_("Unknown preset: %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    added = []
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=call.pk)
        have = set(Indicator.objects.filter(call=call).values_list("preset", flat=True))
        names = set(Indicator.objects.filter(call=call).values_list("name", flat=True))
        last = Indicator.objects.filter(call=call).aggregate(m=Max("order"))["m"] or 0
        for key in [k for k in presets.BY_KEY if k in keys and k not in have]:
            preset = presets.BY_KEY[key]
            if str(preset.name) in names:
                continue  # the call already asks it under that name
            last += 10
            indicator = _validated(
                Indicator(
                    call=call,
                    name=str(preset.name),
                    unit=str(preset.unit),
                    kind=preset.kind,
                    at_baseline=preset.at_baseline,
                    at_final=preset.at_final,
                    at_follow_up=preset.at_follow_up,
                    order=last,
                    required=True,
                    preset=key,
                )
            )
            indicator.save()
            added.append(indicator)
            record(
                action="impact.indicator.created",
                target=indicator,
                actor=actor,
                data={"call": call.pk, "preset": key, "kind": indicator.kind},
            )
    return added


def update_indicator(*, indicator: Indicator, actor: User, **fields: Any) -> Indicator:
    _ensure_staff(actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not an indicator field: {sorted(unknown)}")
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        changed = {name for name, value in fields.items() if getattr(indicator, name) != value}
        refusal = preconditions.redefine_refusal(indicator, changed)
        if refusal:
            raise ValidationError(refusal)
        for name, value in fields.items():
            setattr(indicator, name, value)
        _validated(indicator).save()
        if changed:
            record(
                action="impact.indicator.changed",
                target=indicator,
                actor=actor,
                data={"fields": sorted(changed)},
            )
    return indicator


def remove_indicator(*, indicator: Indicator, actor: User) -> None:
    _ensure_staff(actor)
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        refusal = preconditions.remove_refusal(indicator)
        if refusal:
            raise ValidationError(refusal)
        record(
            action="impact.indicator.removed",
            target=indicator,
            actor=actor,
            data={"call": indicator.call_id, "kind": indicator.kind},
        )
        indicator.delete()


def _clean_value(indicator: Indicator, value: Any) -> dict[str, Any]:
    """The columns of one value, checked against the indicator's kind (never a float)."""
    empty = value is None or value == ""
    if empty:
        if indicator.required:
            raise ValidationError(_("“%(name)s” is required.") % {"name": indicator.name})
        return {}
    if indicator.kind in IndicatorKind.numeric():
        if isinstance(value, float):
            raise TypeError("Reported numbers are Decimal, never float.")
        try:
            number = Decimal(str(value))
        except InvalidOperation as error:
            raise ValidationError(
                _("“%(name)s” must be a number.") % {"name": indicator.name}
            ) from error
        if (
            not number.is_finite()
            or abs(number) > LARGEST
            or number != number.quantize(Decimal("0.01"))
        ):
            raise ValidationError(
                _("“%(name)s” must be a number with at most two decimals.")
                % {"name": indicator.name}
            )
        if indicator.kind == IndicatorKind.MONEY and number < 0:
            raise ValidationError(_("“%(name)s” cannot be negative.") % {"name": indicator.name})
        return {"number": number}
    if indicator.kind == IndicatorKind.YES_NO:
        if not isinstance(value, bool):
            raise ValidationError(_("“%(name)s” must be yes or no.") % {"name": indicator.name})
        return {"flag": value}
    text = str(value).strip()
    if len(text) > 2000:
        raise ValidationError(
            _("“%(name)s” is limited to 2,000 characters.") % {"name": indicator.name}
        )
    return {"text": text}


def submit_report(
    *,
    share: BeneficiaryShare,
    stage: str,
    actor: User,
    values: dict[int, Any],
    today: date | None = None,
) -> ImpactReport:
    """A beneficiary's figures for one stage, frozen once submitted.

    `values` maps each indicator asked at `stage` to its value (Decimal, bool or text). The share
    is locked first, so two clicks submit once: the second finds the first's report and is
    refused. A correction needs staff to reopen the report (`reopen_report`), then this writes
    the next version; earlier versions are never rewritten.
    """
    stage = ReportingStage(stage)
    if not is_beneficiary_member(actor, share):
        raise PermissionDenied(_("Only the beneficiary's members report its figures."))
    with transaction.atomic():
        share = selectors.reporting_shares().select_for_update(of=("self",)).get(pk=share.pk)
        current = ImpactReport.objects.filter(
            share=share, stage=stage, reopened_at__isnull=True
        ).first()
        today = today or timezone.now().astimezone(share.voucher.call.tz).date()
        refusal = preconditions.submit_refusal(selectors.window_of(share, stage), current, today)
        if refusal:
            raise ValidationError(refusal)
        indicators = list(selectors.indicators_of(share.voucher.call_id, stage))
        if not indicators:
            raise ValidationError(_("This call asks no indicator at this stage."))
        unknown = set(values) - {i.pk for i in indicators}
        if unknown:
            raise ValidationError(_("Those are not this report's indicators."))
        cleaned = [(i, _clean_value(i, values.get(i.pk))) for i in indicators]
        last = ImpactReport.objects.filter(share=share, stage=stage).aggregate(m=Max("version"))
        report = ImpactReport.objects.create(
            share=share,
            stage=stage,
            version=(last["m"] or 0) + 1,
            submitted_at=timezone.now(),
            submitted_by=actor,
        )
        ReportedValue.objects.bulk_create(
            [ReportedValue(report=report, indicator=i, **columns) for i, columns in cleaned]
        )
        record(
            action="impact.report.submitted",
            target=report,
            actor=actor,
            data={
                "share": share.pk,
                "organisation": share.organisation_id,
                "stage": stage.value,
                "version": report.version,
                "answered": sum(1 for _i, columns in cleaned if columns),
            },
        )
    return report


def reopen_report(*, report: ImpactReport, actor: User, reason: str) -> ImpactReport:
    """Staff reopen a submitted report for a correction: it stays as it was (and counts no
    more), the beneficiary submits a new version. The reason goes to the ledger's notes."""
    _ensure_staff(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the report is reopened."))
    with transaction.atomic():
        report = (
            ImpactReport.objects.select_for_update(of=("self",))
            .select_related("share__organisation", "share__voucher__call")
            .get(pk=report.pk)
        )
        refusal = preconditions.reopen_refusal(report)
        if refusal:
            raise ValidationError(refusal)
        report.reopened_at = timezone.now()
        report.reopened_by = actor
        report.save(update_fields=["reopened_at", "reopened_by"])
        record(
            action="impact.report.reopened",
            target=report,
            actor=actor,
            data={"share": report.share_id, "stage": report.stage, "version": report.version},
            notes={"reason": reason},
        )
        share = report.share
        enqueue(
            template="impact/reopened",
            subject=_("Impact report to correct: %(stage)s")
            % {"stage": ReportingStage(report.stage).label},
            recipients=organisation_admins([share.organisation]),
            context={
                "site_url": settings.SITE_URL,
                "path": reverse("impact:report", args=[share.pk, report.stage]),
                "stage": str(ReportingStage(report.stage).label),
                "call_title": share.voucher.call.title,
                "organisation": share.organisation.legal_name,
                "reason": reason,
            },
        )
    return report


def send_reminders(*, now=None) -> int:
    """Once per beneficiary and stage: an e-mail to the organisation's administrators when a
    stage's report is late. Idempotent: the reminder row is written under the share's lock in
    the transaction that queues the e-mail, so a rerun (or a second worker) sends nothing."""
    now = now or timezone.now()
    sent = 0
    calls = Indicator.objects.values_list("call", flat=True).distinct()
    for call in Call.objects.filter(pk__in=calls).order_by("pk"):
        stages = selectors.asked_stages(call)
        today = now.astimezone(call.tz).date()
        with transaction.atomic():
            shares = list(selectors.call_shares(call).select_for_update(of=("self",)))
            reminded = set(
                StageReminder.objects.filter(share__in=shares).values_list("share", "stage")
            )
            reminders = []
            for row in selectors.rows_for(shares, stages, today):
                for cell in row.cells:
                    if cell.status != "late" or (row.share.pk, cell.stage) in reminded:
                        continue
                    reminders.append(StageReminder(share=row.share, stage=cell.stage, sent_at=now))
                    _remind(row.share, cell)
            if reminders:
                StageReminder.objects.bulk_create(reminders)
                record(
                    action="impact.reminders.sent",
                    target=call,
                    data={"reminders": [[r.share_id, r.stage] for r in reminders]},
                )
                sent += len(reminders)
    return sent


def _remind(share: BeneficiaryShare, cell: selectors.StageCell) -> None:
    enqueue(
        template="impact/reminder",
        subject=_("Impact report overdue: %(stage)s") % {"stage": cell.label},
        recipients=organisation_admins([share.organisation]),
        context={
            "site_url": settings.SITE_URL,
            "path": reverse("impact:report", args=[share.pk, cell.stage]),
            "stage": str(cell.label),
            "call_title": share.voucher.call.title,
            "organisation": share.organisation.legal_name,
            "due": cell.window.due,
        },
    )
