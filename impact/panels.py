"""The impact app's fragments in earlier apps' pages: the call's "Impact" tab, and the reports a
beneficiary has to send on its dashboard."""

from django.db.models import OuterRef
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from calls import tab_counts
from calls.models import Call
from calls.tab_counts import count_of, tab_figures
from impact import selectors
from impact.models import Indicator
from minegap.core import slots
from minegap.core.addresses import reverse_once


def _impact_tab(request: HttpRequest, call: Call) -> slots.Tab:
    count = tab_figures(call)["impact"]
    return slots.tab(
        request,
        url=reverse_once("impact:manage-call", call.slug),
        label=_("Impact"),
        url_names=(
            "impact:manage-call",
            "impact:presets",
            "impact:indicator-create",
            "impact:completion",
        ),
        count=count,
        count_label=ngettext("indicator", "indicators", count),
    )


def my_reports(request: HttpRequest) -> dict | None:
    """Reports open now (due or late) for the person's organisations; nothing when none."""
    rows = selectors.member_rows(request.user)
    items = [
        (row.share, cell)
        for row in rows
        for cell in row.cells
        if cell.status in (selectors.StageStatus.DUE, selectors.StageStatus.LATE)
    ]
    if not items:
        return None
    return {"items": items}


def register() -> None:
    tab_counts.register("impact", lambda: count_of(Indicator.objects.filter(call=OuterRef("pk"))))
    slots.register_tab("calls:call-tabs", "impact", _impact_tab, order=95)
    slots.register(
        "dashboard:applicant",
        "impact-reports",
        "impact/dashboard_panel.html",
        my_reports,
        order=45,
    )
