"""Reporting through the services: windows, validation by kind, frozen reports, versions after
a reopen, the ledger; and indicators that cannot be redefined once reported."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from impact import services
from impact.models import ImpactReport, ReportedValue
from impact.selectors import indicators_of
from minegap.ledger.models import AuditEntry
from tests.factories import UserFactory
from tests.impact.factories import call_with_indicators, end_project, funded
from vouchers import services as voucher_services

pytestmark = pytest.mark.django_db


def _share(voucher, consortium, index=0):
    return voucher.shares.get(organisation=consortium.organisations[index])


def test_baseline_once_signed_then_frozen(staff):
    call, turnover, _pilot = call_with_indicators(staff)
    consortium, voucher = funded(call, staff)
    share = _share(voucher, consortium)
    admin = consortium.admins[0]
    report = services.submit_report(
        share=share, stage="baseline", actor=admin, values={turnover.pk: Decimal("120000.50")}
    )
    assert (report.version, report.stage) == (1, "baseline")
    assert list(ReportedValue.objects.filter(report=report).values_list("number", flat=True)) == [
        Decimal("120000.50")
    ]
    entry = AuditEntry.objects.filter(action="impact.report.submitted").get()
    assert entry.data["share"] == share.pk and entry.data["version"] == 1
    with pytest.raises(ValidationError, match="frozen"):
        services.submit_report(
            share=share, stage="baseline", actor=admin, values={turnover.pk: Decimal("1.00")}
        )
    assert ImpactReport.objects.count() == 1


def test_final_waits_for_the_end_of_the_project(staff):
    call, turnover, pilot = call_with_indicators(staff)
    consortium, voucher = funded(call, staff)
    share = _share(voucher, consortium)
    with pytest.raises(ValidationError, match="not asked yet"):
        services.submit_report(
            share=share,
            stage="final",
            actor=consortium.admins[0],
            values={turnover.pk: Decimal("5.00"), pilot.pk: True},
        )
    end_project(voucher, consortium, staff)
    report = services.submit_report(
        share=share,
        stage="final",
        actor=consortium.admins[0],
        values={turnover.pk: Decimal("5.00"), pilot.pk: True},
    )
    assert list(report.values.order_by("indicator__order").values_list("number", "flag")) == [
        (Decimal("5.00"), None),
        (None, True),
    ]
    # The follow-up opens 12 months after the end (the final deliverable accepted today).
    a_year_on = timezone.now().astimezone(call.tz).date() + timedelta(days=365)
    with pytest.raises(ValidationError) as refused:
        services.submit_report(
            share=share, stage="follow_up", actor=consortium.admins[0], values={}
        )
    assert refused.value.messages == [
        f"This report opens on {date_format(a_year_on, 'DATE_FORMAT')}."
    ]


def test_values_are_checked_by_kind(staff):
    call, turnover, _pilot = call_with_indicators(staff)
    consortium, voucher = funded(call, staff)
    share = _share(voucher, consortium)
    admin = consortium.admins[0]
    for value, message in (
        (None, "required"),
        ("lots", "must be a number"),
        (Decimal("1.005"), "two decimals"),
        (Decimal("-3.00"), "cannot be negative"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.submit_report(
                share=share, stage="baseline", actor=admin, values={turnover.pk: value}
            )
    with pytest.raises(TypeError):
        services.submit_report(
            share=share, stage="baseline", actor=admin, values={turnover.pk: 1.5}
        )
    assert ImpactReport.objects.count() == 0


def test_only_the_beneficiarys_members_report(staff):
    call, turnover, _pilot = call_with_indicators(staff)
    consortium, voucher = funded(call, staff)
    share = _share(voucher, consortium)
    for outsider in (UserFactory(), consortium.admins[1], staff):
        with pytest.raises(PermissionDenied):
            services.submit_report(
                share=share, stage="baseline", actor=outsider, values={turnover.pk: Decimal("1")}
            )


def test_reopen_keeps_the_old_version_and_the_reason_in_notes(staff):
    call, turnover, _pilot = call_with_indicators(staff)
    consortium, voucher = funded(call, staff)
    share = _share(voucher, consortium)
    admin = consortium.admins[0]
    first = services.submit_report(
        share=share, stage="baseline", actor=admin, values={turnover.pk: Decimal("100.00")}
    )
    with pytest.raises(PermissionDenied):
        services.reopen_report(report=first, actor=admin, reason="Typo")
    services.reopen_report(report=first, actor=staff, reason="The turnover is in thousands.")
    with pytest.raises(ValidationError, match="already reopened"):
        services.reopen_report(report=first, actor=staff, reason="Again")
    second = services.submit_report(
        share=share, stage="baseline", actor=admin, values={turnover.pk: Decimal("100000.00")}
    )
    assert second.version == 2
    first.refresh_from_db()
    assert first.reopened_by == staff
    assert first.values.get().number == Decimal("100.00")
    entry = AuditEntry.objects.get(action="impact.report.reopened")
    assert entry.data == {"share": share.pk, "stage": "baseline", "version": 1} | {
        "notes_sha256": entry.data["notes_sha256"]
    }
    assert entry.notes == {"reason": "The turnover is in thousands."}


def test_a_reported_indicator_keeps_its_meaning(staff):
    call, turnover, pilot = call_with_indicators(staff)
    consortium, voucher = funded(call, staff)
    services.submit_report(
        share=_share(voucher, consortium),
        stage="baseline",
        actor=consortium.admins[0],
        values={turnover.pk: Decimal("1.00")},
    )
    with pytest.raises(ValidationError, match="kind, unit and stages"):
        services.update_indicator(indicator=turnover, actor=staff, unit="kEUR")
    renamed = services.update_indicator(indicator=turnover, actor=staff, name="Annual turnover")
    assert renamed.name == "Annual turnover"
    with pytest.raises(ValidationError, match="no longer be removed"):
        services.remove_indicator(indicator=turnover, actor=staff)
    services.remove_indicator(indicator=pilot, actor=staff)
    assert list(indicators_of(call).values_list("name", flat=True)) == ["Annual turnover"]


def test_presets_are_added_once(staff):
    call, _turnover, _pilot = call_with_indicators(staff)
    added = services.add_presets(call=call, actor=staff, keys=["turnover", "employees", "patents"])
    # "Turnover" is already asked under that name: only the two others are added.
    assert [i.preset for i in added] == ["employees", "patents"]
    assert services.add_presets(call=call, actor=staff, keys=["employees"]) == []
    with pytest.raises(ValidationError, match="Unknown preset"):
        services.add_presets(call=call, actor=staff, keys=["happiness"])
    with pytest.raises(ValidationError, match="preset keeps its kind"):
        services.update_indicator(indicator=added[0], actor=staff, kind="money")


def test_terminated_voucher_asks_nothing_more(staff):
    call, turnover, _pilot = call_with_indicators(staff)
    consortium, voucher = funded(call, staff)
    voucher_services.terminate_voucher(voucher=voucher, actor=staff, reason="Consortium split.")
    with pytest.raises(ValidationError, match="not asked"):
        services.submit_report(
            share=_share(voucher, consortium),
            stage="baseline",
            actor=consortium.admins[0],
            values={turnover.pk: Decimal("1.00")},
        )
    assert ImpactReport.objects.count() == 0
