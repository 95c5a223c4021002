"""Exports for auditors: vouchers, instalments, payments and business-support services, as CSV
(formula injection blocked by defusedcsv) or XLSX (every cell written as text or number, never
as a formula)."""

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from calls.models import Call
from minegap.core.csv import csv_lines as write_csv_lines
from vouchers import selectors
from vouchers.selectors import as_money  # to the cent: a number cell in XLSX, "1234.50" in CSV


@dataclass(frozen=True)
class Export:
    title: Any
    headers: list
    rows: Callable[[Call | None], Iterable[list]]


def _voucher_rows(call: Call | None) -> Iterator[list]:
    for v in selectors.staff_vouchers(call):
        yield [
            v.agreement_number,
            v.call.code,
            v.application.reference or "",
            v.submitted_acronym,
            v.get_state_display(),
            as_money(v.amount),
            as_money(v.paid_total),
            "; ".join(
                f"{s.organisation.legal_name} ({as_money(s.amount)})" for s in v.shares.all()
            ),
            v.countersigned_at.date().isoformat() if v.countersigned_at else "",
        ]


def _instalment_rows(call: Call | None) -> Iterator[list]:
    for i in selectors.staff_instalments(call):
        yield [
            i.voucher.agreement_number,
            i.sequence,
            i.label,
            i.percent,
            i.get_trigger_display(),
            i.get_state_display(),
            as_money(i.amount),
            as_money(i.approved_amount),
            as_money(i.paid_amount),
            as_money(i.recovered_amount),
            i.withheld_reason,
            i.recovery_reason,
        ]


def _payment_rows(call: Call | None) -> Iterator[list]:
    for p in selectors.staff_payments(call=call):
        yield [
            p.instalment.voucher.agreement_number,
            p.instalment.sequence,
            p.beneficiary.organisation.legal_name,
            p.beneficiary.organisation.country,
            as_money(p.amount),
            p.value_date.isoformat(),
            p.bank_reference,
            p.recorded_by.email,
            p.approved_by.email,
            p.recorded_at.strftime("%Y-%m-%d %H:%M:%S"),
        ]


def _service_rows(call: Call | None) -> Iterator[list]:
    for s in selectors.staff_support_services(call=call):
        yield [
            s.call.code,
            s.organisation.legal_name,
            s.organisation.country,
            s.voucher.agreement_number if s.voucher else "",
            s.get_type_display(),
            s.provider,
            s.date.isoformat(),
            s.hours,
            as_money(s.value),
            s.description,
        ]


EXPORTS: dict[str, Export] = {
    "vouchers": Export(
        _("Vouchers"),
        [
            _("Agreement number"),
            _("Call"),
            _("Application"),
            _("Acronym"),
            _("State"),
            _("Amount (EUR)"),
            _("Paid (EUR)"),
            _("Beneficiaries"),
            _("Countersigned on"),
        ],
        _voucher_rows,
    ),
    "instalments": Export(
        _("Instalments"),
        [
            _("Agreement number"),
            _("Number"),
            _("Label"),
            _("Percent"),
            _("Trigger"),
            _("State"),
            _("Amount (EUR)"),
            _("Approved (EUR)"),
            _("Paid (EUR)"),
            _("Recovered (EUR)"),
            _("Reason for withholding"),
            _("Reason for recovery"),
        ],
        _instalment_rows,
    ),
    "payments": Export(
        _("Payments"),
        [
            _("Agreement number"),
            _("Instalment"),
            _("Beneficiary"),
            _("Country"),
            _("Amount (EUR)"),
            _("Value date"),
            _("Bank reference"),
            _("Recorded by"),
            _("Approved by"),
            _("Recorded at (UTC)"),
        ],
        _payment_rows,
    ),
    "services": Export(
        _("Business-support services"),
        [
            _("Call"),
            _("Organisation"),
            _("Country"),
            _("Voucher"),
            _("Type"),
            _("Provider"),
            _("Date"),
            _("Hours"),
            _("Value (EUR)"),
            _("Description"),
        ],
        _service_rows,
    ),
}


def csv_lines(export: Export, call: Call | None) -> Iterator[str]:
    yield from write_csv_lines([str(h) for h in export.headers], export.rows(call))


def xlsx_bytes(export: Export, call: Call | None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(export.title)[:31])
    sheet.append([str(h) for h in export.headers])
    for row in export.rows(call):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # "=HYPERLINK(...)" stays text, never a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
