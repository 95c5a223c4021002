"""The funder's periodic report: every reported value of a call (CSV, or XLSX with a summary
sheet beside it). CSV through defusedcsv; XLSX cells are text or numbers, never formulas."""

import io
from collections.abc import Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from calls.models import Call
from impact import aggregation
from impact.models import IndicatorKind, ReportedValue, ReportingStage
from minegap.core.csv import csv_lines

FORMATS = ("csv", "xlsx")


def _headers() -> list[str]:
    return [
        _("Call"),
        _("Agreement number"),
        _("Beneficiary"),
        _("Country"),
        _("Stage"),
        _("Version"),
        _("Submitted on"),
        _("Indicator"),
        _("Unit"),
        _("Kind"),
        _("Value"),
    ]


def _value(value: ReportedValue):
    kind = value.indicator.kind
    if kind == IndicatorKind.YES_NO:
        return "" if value.flag is None else (_("Yes") if value.flag else _("No"))
    if kind == IndicatorKind.TEXT:
        return value.text
    return value.number if value.number is not None else ""


def value_rows(call: Call) -> Iterator[list]:
    """The current report's values of every beneficiary of `call` (reopened versions left out)."""
    values = (
        ReportedValue.objects.filter(
            report__share__voucher__call=call, report__reopened_at__isnull=True
        )
        .select_related("indicator", "report__share__organisation", "report__share__voucher")
        .order_by(
            "report__share__voucher__agreement_number",
            "report__share__organisation__legal_name",
            "report__stage",
            "indicator__order",
            "indicator_id",
        )
    )
    for value in values.iterator(chunk_size=500):
        report = value.report
        yield [
            call.code,
            report.share.voucher.agreement_number,
            report.share.organisation.legal_name,
            report.share.organisation.country,
            str(ReportingStage(report.stage).label),
            report.version,
            report.submitted_at.astimezone(call.tz).date().isoformat(),
            value.indicator.name,
            value.indicator.unit,
            str(IndicatorKind(value.indicator.kind).label),
            _value(value),
        ]


def summary_rows(call: Call) -> Iterator[list]:
    """Per indicator and stage: reported of beneficiaries, sum, median (no suppression: staff)."""
    people = aggregation.beneficiaries(call_id=call.pk)
    values = aggregation.reported_values(call_id=call.pk)
    for indicator in aggregation.programme_indicators():
        if call.pk not in indicator.by_call:
            continue
        groups = aggregation.group_figures(
            indicator, people, values, lambda _p: ["call"], minimum=0
        ) or [aggregation.nobody(indicator)]
        for group in groups:
            for figure in group.figures:
                yield [
                    indicator.by_call[call.pk].name,
                    indicator.unit,
                    figure.stage_label,
                    figure.reported,
                    figure.beneficiaries,
                    figure.total if figure.total is not None else "",
                    figure.median if figure.median is not None else "",
                    figure.yes if figure.yes is not None else "",
                ]


def _summary_headers() -> list[str]:
    return [
        _("Indicator"),
        _("Unit"),
        _("Stage"),
        _("Reported"),
        _("Beneficiaries asked"),
        _("Sum"),
        _("Median"),
        _("Answered yes"),
    ]


def _sheet(workbook: Workbook, title: str, headers: list[str], rows) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # "=HYPERLINK(...)" stays text, never a formula
            cells.append(cell)
        sheet.append(cells)


def xlsx_bytes(call: Call) -> bytes:
    workbook = Workbook(write_only=True)
    _sheet(workbook, _("Summary"), _summary_headers(), summary_rows(call))
    _sheet(workbook, _("Reported values"), _headers(), value_rows(call))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def response(call: Call, fmt: str) -> HttpResponse:
    name = f"minegap-impact-{call.slug}"
    if fmt == "csv":
        answer = StreamingHttpResponse(
            csv_lines(_headers(), value_rows(call)), content_type="text/csv; charset=utf-8"
        )
    else:
        answer = HttpResponse(
            xlsx_bytes(call),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    answer["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return answer
