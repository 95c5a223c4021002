"""CSV downloads of the open data, safe against formula injection (defusedcsv, through the
shared `minegap.core.csv.csv_lines`)."""

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.renderers import BaseRenderer

from calls.models import Application, Call, ConsortiumMember
from minegap.core.csv import csv_lines
from public.selectors import FACET_VOCABULARIES, duration_months
from public.serializers import euros

Column = tuple[str, Callable[[Any], Any]]


def _date(value) -> str:
    return value.isoformat() if value else ""


def _facet_codes(project: Application, facet: str) -> str:
    """The codes any beneficiary of `project` has, in vocabulary order."""
    held = {code for member in project.beneficiaries for code in getattr(member, facet)}
    return "; ".join(code for code in FACET_VOCABULARIES[facet].values if code in held)


def call_columns() -> list[Column]:
    return [
        (_("slug"), lambda c: c.slug),
        (_("code"), lambda c: c.code),
        (_("title"), lambda c: c.title),
        (_("status"), lambda c: c.effective_state),
        (_("proposals_received"), lambda c: c.proposals_received),
        (_("proposals_eligible"), lambda c: c.proposals_eligible),
        (_("projects_funded"), lambda c: c.projects_funded),
        (_("smes_funded"), lambda c: c.smes_funded),
        (_("countries"), lambda c: c.countries),
        (_("total_awarded"), lambda c: euros(c.total_awarded)),
    ]


def project_columns() -> list[Column]:
    return [
        ("acronym", lambda p: p.submitted_acronym),
        ("title", lambda p: p.submitted_title),
        ("call", lambda p: p.call.slug),
        ("voucher_type", lambda p: p.voucher_type.name if p.voucher_type else ""),
        ("award_date", lambda p: _date(p.award_date)),
        ("duration_months", lambda p: duration_months(p)[0]),
        ("amount", lambda p: euros(p.awarded_total)),
        (
            "beneficiaries",
            lambda p: "; ".join(
                f"{m.organisation.legal_name} ({m.organisation.country})" for m in p.beneficiaries
            ),
        ),
        ("stages", lambda p: _facet_codes(p, "stages")),
        ("sectors", lambda p: _facet_codes(p, "sectors")),
        ("raw_materials", lambda p: _facet_codes(p, "raw_materials")),
    ]


def beneficiary_columns() -> list[Column]:
    return [
        ("legal_name", lambda m: m.organisation.legal_name),
        ("country", lambda m: m.organisation.country),
        ("nuts_region", lambda m: m.organisation.nuts_region),
        ("project_acronym", lambda m: m.submitted_acronym),
        ("project_title", lambda m: m.submitted_title),
        ("description", lambda m: m.submitted_summary),
        ("call", lambda m: m.application.call.slug),
        ("award_date", lambda m: _date(m.award_date)),
        ("duration_months", lambda m: duration_months(m)[0]),
        ("amount", lambda m: euros(m.awarded_amount)),
    ]


def table(rows: Iterable[Application | Call | ConsortiumMember], columns: list[Column]) -> dict:
    """Plain data (cacheable) for `CSVRenderer`: a header and one list of strings per row."""
    return {
        "header": [name for name, _getter in columns],
        "rows": [
            ["" if (v := getter(row)) is None else str(v) for _n, getter in columns] for row in rows
        ],
    }


class CSVRenderer(BaseRenderer):
    """Renders `table()` output; anything else (an error) as field,message lines."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        lines: Iterable[str] = ()
        if isinstance(data, dict) and "header" in data and "rows" in data:
            lines = csv_lines(data["header"], data["rows"])
        elif isinstance(data, dict):
            lines = csv_lines(
                ["field", "message"],
                (
                    [key, value if isinstance(value, str) else " ".join(map(str, value))]
                    for key, value in data.items()
                ),
            )
        return "".join(lines).encode(self.charset)
