"""What the impact app holds about a person, for the "My data" download: the impact reports they
submitted (which organisation, stage, version, when). The figures are the organisation's, not
the person's, and who reopened a report is not named."""

from typing import Any

from impact.models import ImpactReport
from minegap.core.personal_data import ExportSection, plain


def export(user) -> dict[str, Any]:
    reports = ImpactReport.objects.filter(submitted_by=user).select_related(
        "share__organisation", "share__voucher"
    )
    return plain(
        {
            "impact_reports_submitted": [
                {
                    "agreement_number": r.share.voucher.agreement_number,
                    "organisation": r.share.organisation.legal_name,
                    "stage": r.stage,
                    "version": r.version,
                    "submitted_at": r.submitted_at,
                }
                for r in reports.order_by("submitted_at", "pk")
            ]
        }
    )


def section() -> ExportSection:
    return ExportSection(name="impact", export=export)
