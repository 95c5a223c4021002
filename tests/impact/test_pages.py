"""The staff pages (indicators, completion, report, reopen, exports) and the beneficiary's form."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from impact import services
from impact.models import ImpactReport, Indicator
from minegap.notifications.models import Notification
from tests.impact.conftest import signed_in
from tests.impact.factories import call_with_indicators, end_project, funded

pytestmark = pytest.mark.django_db


def test_staff_define_indicators_from_the_call_tab(staff_client):
    call, _turnover, _pilot = call_with_indicators(staff_client.user)
    page = staff_client.get(reverse("impact:manage-call", args=[call.slug]))
    assert [i.name for i in page.context["indicators"]] == ["Turnover", "Piloted at a mine"]
    assert (
        reverse("impact:manage-call", args=[call.slug])
        in staff_client.get(reverse("calls:manage-detail", args=[call.slug])).content.decode()
    )
    response = staff_client.post(
        reverse("impact:indicator-create", args=[call.slug]),
        {"name": "Water saved", "unit": "m³", "kind": "number", "at_final": "on", "order": "30"},
    )
    assert response.status_code == 302
    water = Indicator.objects.get(call=call, name="Water saved")
    assert (water.kind, water.stages, water.required) == ("number", ["final"], False)
    refused = staff_client.post(
        reverse("impact:indicator-create", args=[call.slug]),
        {"name": "Nothing asked", "kind": "number", "order": "40"},
    )
    assert refused.status_code == 400
    assert "Ask the indicator at one stage at least." in refused.content.decode()
    presets = staff_client.post(
        reverse("impact:presets", args=[call.slug]), {"keys": ["patents", "bogus"]}
    )
    assert presets.status_code == 400
    staff_client.post(reverse("impact:presets", args=[call.slug]), {"keys": ["patents"]})
    assert list(
        Indicator.objects.filter(call=call).order_by("order").values_list("name", flat=True)
    ) == ["Turnover", "Piloted at a mine", "Water saved", "Patents filed"]


def test_beneficiary_reports_through_the_form(client, staff):
    call, turnover, pilot = call_with_indicators(staff)
    consortium, voucher = funded(call, staff)
    share = voucher.shares.get(organisation=consortium.organisations[0])
    me = signed_in(client, consortium.admins[0])
    url = reverse("impact:report", args=[share.pk, "baseline"])
    bad = me.post(url, {f"indicator-{turnover.pk}": "12,5e3"})
    assert bad.status_code == 400
    assert ImpactReport.objects.count() == 0
    assert me.post(url, {f"indicator-{turnover.pk}": "125000.40"}).status_code == 302
    assert ImpactReport.objects.get().values.get().number == Decimal("125000.40")
    page = me.get(url)
    assert page.context["refusal"].startswith("This report was submitted and is frozen.")
    assert "€125,000.40" in page.content.decode()
    # The final form is not open before the project ends; others' shares are not found.
    final = reverse("impact:report", args=[share.pk, "final"])
    assert me.get(final).context["refusal"] == "This report is not asked yet."
    other = voucher.shares.get(organisation=consortium.organisations[1])
    assert me.get(reverse("impact:report", args=[other.pk, "baseline"])).status_code == 404
    assert me.get(reverse("impact:report", args=[share.pk, "someday"])).status_code == 404
    end_project(voucher, consortium, staff)
    done = me.post(final, {f"indicator-{turnover.pk}": "150000", f"indicator-{pilot.pk}": "yes"})
    assert done.status_code == 302
    values = ImpactReport.objects.get(stage="final").values.order_by("indicator__order")
    assert [(v.number, v.flag) for v in values] == [(Decimal("150000.00"), None), (None, True)]


def test_completion_reopen_and_exports(staff_client):
    staff = staff_client.user
    call, turnover, _pilot = call_with_indicators(staff)
    consortium, voucher = funded(call, staff)
    report = services.submit_report(
        share=voucher.shares.get(organisation=consortium.organisations[0]),
        stage="baseline",
        actor=consortium.admins[0],
        values={turnover.pk: Decimal("2500.00")},
    )
    page = staff_client.get(reverse("impact:completion", args=[call.slug]))
    statuses = [[c.status for c in row.cells] for row in page.context["rows"]]
    assert sorted(statuses) == [["due", "not_open"], ["submitted", "not_open"]]
    summary = staff_client.get(reverse("impact:manage-call", args=[call.slug])).context["summary"]
    assert [(s["stage"], s["submitted"], s["opened"]) for s in summary] == [
        ("baseline", 1, 2),
        ("final", 0, 0),
    ]
    csv = b"".join(
        staff_client.get(reverse("impact:export", args=[call.slug, "csv"])).streaming_content
    ).decode()
    lines = csv.strip().splitlines()
    assert lines[0].startswith("Call,Agreement number,Beneficiary,Country,Stage")
    assert lines[1].endswith(",Turnover,EUR,Amount in euros,2500.00")
    xlsx = staff_client.get(reverse("impact:export", args=[call.slug, "xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Summary", "Reported values"]
    assert list(book["Summary"].values)[1:] == [
        ("Turnover", "EUR", "Baseline (the year before applying)", 1, 2, 2500, 2500, None),
        ("Turnover", "EUR", "Final report", 0, 0, None, None, None),
        ("Piloted at a mine", None, "Final report", 0, 0, None, None, None),
    ]
    assert staff_client.get(reverse("impact:export", args=[call.slug, "pdf"])).status_code == 404
    empty = staff_client.post(reverse("impact:report-reopen", args=[report.pk]), {"reason": " "})
    assert empty.status_code == 400
    reopened = staff_client.post(
        reverse("impact:report-reopen", args=[report.pk]), {"reason": "Figures in thousands?"}
    )
    assert reopened.status_code == 302
    mail = Notification.objects.get(template="impact/reopened")
    assert mail.email == consortium.admins[0].email
    assert mail.context["reason"] == "Figures in thousands?"


def test_the_beneficiary_finds_what_is_due_on_its_dashboard(client, staff):
    call, turnover, _pilot = call_with_indicators(staff)
    consortium, voucher = funded(call, staff)
    share = voucher.shares.get(organisation=consortium.organisations[0])
    me = signed_in(client, consortium.admins[0])
    report_url = reverse("impact:report", args=[share.pk, "baseline"])
    assert report_url in me.get(reverse("dashboard")).content.decode()
    rows = me.get(reverse("impact:my-reports")).context["rows"]
    assert [(r.share.pk, [c.status for c in r.cells]) for r in rows] == [
        (share.pk, ["due", "not_open"])
    ]
    services.submit_report(
        share=share, stage="baseline", actor=me.user, values={turnover.pk: Decimal("1.00")}
    )
    # Nothing left to send now: the panel leaves the dashboard.
    assert report_url not in me.get(reverse("dashboard")).content.decode()
