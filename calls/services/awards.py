"""The award date of funded projects, kept on the application as the public lists' sort key.

`Application.awarded_on` is the date recorded with an import of results from elsewhere, else the
day the call's results were published in MineGap, in the site's time zone: the same facts
`public.selectors.award_dates` shows, stored on the row the lists read so that an index serves
their sort (the lists sorted every funded project by a join on each request). The services that
record those facts call these in their own transaction.
"""

from datetime import date, datetime

from django.utils import timezone

from calls.models import Application, Call
from minegap.core.page_cache import records_changed


def record_results_published(*, call: Call, published_at: datetime) -> int:
    """The call's results were published at `published_at`: its applications without an
    imported award date are dated that day. Returns how many were dated."""
    day = timezone.localtime(published_at, timezone.get_default_timezone()).date()
    dated = Application.objects.filter(call=call, awarded_on__isnull=True).update(awarded_on=day)
    records_changed.send(sender=Application)  # an update sends no post_save
    return dated


def record_imported_award_dates(*, award_dates: dict[int, date]) -> None:
    """Award dates recorded with an import (application pk -> date); they come before the day
    the results were published in MineGap."""
    for application_id, day in award_dates.items():
        Application.objects.filter(pk=application_id).update(awarded_on=day)
    if award_dates:
        records_changed.send(sender=Application)
