"""When each stage of reporting opens and is due, for one beneficiary.

- Baseline: asked once the beneficiary signed the voucher agreement, about the year before it
  applied. Asking in the application form would burden every applicant (most are not funded)
  and the form belongs to the calls app; asking at signature reaches exactly the beneficiaries,
  and the figures are still those from before the project.
- Final report: opens when the project ends (its final deliverable accepted, or the voucher
  completed, whichever comes first).
- Follow-up: opens 12 months after the project's end.

Each stage is due `REPORTING_DAYS` after it opens; the dates are in the call's time zone.
A terminated voucher asks nothing more.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from impact.models import ReportingStage

REPORTING_DAYS = 30
FOLLOW_UP_AFTER_DAYS = 365


@dataclass(frozen=True)
class Window:
    opens: date | None
    due: date | None

    def is_open(self, today: date) -> bool:
        return self.opens is not None and self.opens <= today

    def is_late(self, today: date) -> bool:
        return self.due is not None and self.due < today


NOT_YET = Window(None, None)


def _day(moment: datetime | None, tz: ZoneInfo) -> date | None:
    return moment.astimezone(tz).date() if moment is not None else None


def project_end(
    *, completed_at: datetime | None, final_accepted_at: datetime | None
) -> datetime | None:
    ends = [moment for moment in (completed_at, final_accepted_at) if moment is not None]
    return min(ends) if ends else None


def window(
    stage: str,
    *,
    tz: ZoneInfo,
    signed_at: datetime | None,
    ended_at: datetime | None,
    terminated: bool = False,
) -> Window:
    if terminated or signed_at is None:
        return NOT_YET
    if stage == ReportingStage.BASELINE:
        opens = _day(signed_at, tz)
    elif stage == ReportingStage.FINAL:
        opens = _day(ended_at, tz)
    else:
        end = _day(ended_at, tz)
        opens = end + timedelta(days=FOLLOW_UP_AFTER_DAYS) if end else None
    if opens is None:
        return NOT_YET
    return Window(opens, opens + timedelta(days=REPORTING_DAYS))
