"""When an action on indicators or reports is allowed now: each ``*_refusal`` gives the one-line
reason it is refused, or ``None``; the service raises it and the page shows it instead of the
button."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext

from impact.models import ImpactReport, Indicator, ReportedValue
from impact.schedule import Window


def has_values(indicator: Indicator) -> bool:
    return ReportedValue.objects.filter(indicator=indicator).exists()


def remove_refusal(indicator: Indicator) -> str | None:
    if has_values(indicator):
        return gettext("Beneficiaries have reported this indicator: it can no longer be removed.")
    return None


def redefine_refusal(indicator: Indicator, changed: set[str]) -> str | None:
    """Once values are reported, what they mean (kind, unit, stages) stays; names may change."""
    if changed & {"kind", "unit", "at_baseline", "at_final", "at_follow_up"} and has_values(
        indicator
    ):
        return gettext(
            "Beneficiaries have reported this indicator: its kind, unit and stages stay as "
            "they are. Add a new indicator instead."
        )
    if indicator.preset and changed & {"kind", "unit"}:
        return gettext("A preset keeps its kind and unit, so that the programme's figures add up.")
    return None


def submit_refusal(window: Window, current: ImpactReport | None, today: date) -> str | None:
    if current is not None:
        return gettext(
            "This report was submitted and is frozen. Ask the programme staff to reopen it "
            "for a correction."
        )
    if not window.is_open(today):
        if window.opens is None:
            return gettext("This report is not asked yet.")
        return gettext("This report opens on %(date)s.") % {
            "date": date_format(window.opens, "DATE_FORMAT")
        }
    return None


def reopen_refusal(report: ImpactReport) -> str | None:
    if report.reopened_at is not None:
        return gettext("This version was already reopened.")
    return None
