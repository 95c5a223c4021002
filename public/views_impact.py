"""The programme's impact on the public site: an overview on the figures page and a page per
indicator (per call, per country, per value-chain stage), charts beside the tables."""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from impact import aggregation
from impact import selectors as impact_selectors
from impact.models import IndicatorKind, ReportingStage
from minegap.core.formatting import format_money
from minegap.core.page_cache import cache_anonymous_page
from public import impact as impact_figures
from public.cache import cached, cached_until
from public.charts import BarChart, bar_chart


def figures() -> list[dict[str, Any]]:
    # A follow-up stage opening by the clock changes who counts as asked ("n = x of y").
    return impact_figures.labelled(
        cached_until("impact", impact_figures.impact_figures, impact_selectors.next_clock_change)
    )


def reports_chart() -> BarChart:
    counts = cached("impact-reports", aggregation.reports_per_stage)
    return bar_chart(
        _("Impact reports received, per stage"),
        [
            (str(label), counts.get(stage, 0), str(counts.get(stage, 0)))
            for stage, label in ReportingStage.choices
        ],
    )


def overview_context() -> dict[str, Any]:
    """What the figures page's impact section needs."""
    return {
        "impact": figures(),
        "impact_chart": reports_chart(),
        "impact_minimum": aggregation.MIN_REPORTS,
    }


class IndicatorChoiceForm(forms.Form):
    indicator = forms.ChoiceField(label=_lazy("Indicator"), required=False)

    def __init__(self, *args, indicators: list[dict[str, Any]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i["key"], i["name"]) for i in indicators]


def _chart(title: str, indicator: dict[str, Any], rows: list[dict[str, Any]]) -> BarChart:
    """The headline stage's figure per group; a group with too few reports draws no bar."""
    stage = impact_figures.headline_stage(indicator)
    bars = []
    for row in rows:
        figure = next(f for f in row["figures"] if f["stage"] == stage)
        if figure["suppressed"] or not figure["reported"]:
            bars.append((row["label"], 0, _("n = %(n)s") % {"n": figure["reported"]}))
        elif indicator["kind"] == IndicatorKind.YES_NO:
            bars.append((row["label"], figure["yes"], str(figure["yes"])))
        elif indicator["kind"] == IndicatorKind.MONEY:
            bars.append((row["label"], figure["total"], format_money(figure["total"])))
        else:
            bars.append((row["label"], figure["total"], f"{figure['total'].normalize():f}"))
    return bar_chart(f"{title} ({ReportingStage(stage).label})", bars)


@require_GET
@cache_anonymous_page
def impact(request: HttpRequest) -> HttpResponse:
    indicators = figures()
    form = IndicatorChoiceForm(request.GET or None, indicators=indicators)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "indicator": None, "indicators": indicators}
        return render(request, "public/impact.html", context, status=400)
    key = form.cleaned_data.get("indicator") if form.is_bound else ""
    indicator = next(
        (i for i in indicators if i["key"] == key), indicators[0] if indicators else None
    )
    context: dict[str, Any] = {"form": form, "indicator": indicator, "indicators": indicators}
    if indicator is not None:
        what = _("Sum") if indicator["kind"] in IndicatorKind.numeric() else _("Answered yes")
        context |= {
            "minimum": aggregation.MIN_REPORTS,
            "call_chart": _chart(
                _("%(what)s per call") % {"what": what}, indicator, indicator["per_call"]
            ),
            "country_chart": _chart(
                _("%(what)s per country") % {"what": what}, indicator, indicator["per_country"]
            ),
            "stage_chart": _chart(
                _("%(what)s per value-chain stage") % {"what": what},
                indicator,
                indicator["per_value_chain_stage"],
            ),
        }
    return render(request, "public/impact.html", context)
