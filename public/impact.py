"""The programme's impact for the public site and the open data: `impact.aggregation`'s figures
per call, per country and per value-chain stage (from the funded SMEs' published partner
profiles, which only this app may read beside the impact records).

Only reported values count, each figure says how many reported of how many were asked, free
text is never published, and a group with fewer than `aggregation.MIN_REPORTS` reports shows its
counts only. Organisation data only: no person is named anywhere.
"""

from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext

from accounts.countries import country_name
from accounts.models import Organisation
from calls.models import Call
from impact import aggregation, presets
from impact.models import ReportingStage
from matchmaking import selectors as matchmaking_selectors
from matchmaking import vocab

NOT_STATED = "not_stated"


def _group(group: aggregation.GroupFigures, label: str) -> dict[str, Any]:
    return {
        "group": group.group,
        "label": label,
        "figures": [asdict(f) for f in group.figures],
        "change": asdict(group.change) if group.change is not None else None,
    }


def _stages_of(organisation_ids: set[int]) -> dict[int, list[str]]:
    rows = (
        Organisation.objects.filter(pk__in=organisation_ids)
        .order_by()
        .values_list("pk", matchmaking_selectors.published_facet("stages", ""))
    )
    return {pk: list(codes or []) for pk, codes in rows}


STAGE_ORDER = [*vocab.STAGE_ORDER, NOT_STATED]


def _group_code(row: dict[str, Any]) -> str:
    return row["group"]


def impact_figures() -> list[dict[str, Any]]:
    """Each programme indicator with its figures overall, per call, per country and per
    value-chain stage (an SME in two stages counts in both; without a published profile it is
    "not stated"). Plain data: cached, rendered by the page and serialised by the API."""
    people = aggregation.beneficiaries()
    values = aggregation.reported_values()
    stages = _stages_of({p.organisation_id for p in people})
    calls = {c.pk: c for c in Call.objects.filter(pk__in={p.call_id for p in people})}
    call_titles = {c.slug: c.title for c in calls.values()}
    result = []
    for indicator in aggregation.programme_indicators():
        overall = aggregation.group_figures(indicator, people, values, lambda _p: ["all"])
        if not overall:
            continue  # asked of nobody yet
        per_call = aggregation.group_figures(
            indicator, people, values, lambda p: [calls[p.call_id].slug]
        )
        per_country = aggregation.group_figures(indicator, people, values, lambda p: [p.country])
        per_stage = aggregation.group_figures(
            indicator, people, values, lambda p: stages.get(p.organisation_id) or [NOT_STATED]
        )
        result.append(
            {
                "key": indicator.key,
                "name": indicator.name,
                "unit": indicator.unit,
                "kind": indicator.kind,
                "stages": indicator.stages,
                "overall": _group(overall[0], ""),
                "per_call": [_group(g, call_titles[g.group]) for g in per_call],
                "per_country": sorted((_group(g, "") for g in per_country), key=_group_code),
                "per_value_chain_stage": sorted(
                    (_group(g, "") for g in per_stage),
                    key=lambda row: STAGE_ORDER.index(row["group"]),
                ),
            }
        )
    return result


def labelled(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`impact_figures` (cached, language-free) with the names of the active language: presets,
    countries (sorted by name) and value-chain stages."""
    stage_labels = {code: str(label) for code, label in vocab.Stage.choices}
    stage_labels[NOT_STATED] = gettext("Not stated")

    def stage_labelled(group: dict[str, Any], label: str | None = None) -> dict[str, Any]:
        by_stage = {f["stage"]: f for f in group["figures"]}
        return {
            **group,
            "label": group["label"] if label is None else label,
            # One cell per stage of the programme (None where the indicator is not asked).
            "columns": [by_stage.get(stage) for stage in ReportingStage.values],
        }

    result = []
    for indicator in figures:
        preset = presets.BY_KEY.get(indicator["key"])
        countries = [stage_labelled(g, country_name(g["group"])) for g in indicator["per_country"]]
        result.append(
            {
                **indicator,
                "name": str(preset.name) if preset else indicator["name"],
                "unit": str(preset.unit) if preset else indicator["unit"],
                "per_country": sorted(countries, key=lambda g: g["label"]),
                "overall": stage_labelled(indicator["overall"]),
                "per_call": [stage_labelled(g) for g in indicator["per_call"]],
                "per_value_chain_stage": [
                    stage_labelled(g, stage_labels[g["group"]])
                    for g in indicator["per_value_chain_stage"]
                ],
            }
        )
    return result


def headline_stage(indicator: dict[str, Any]) -> str:
    """The stage a chart shows: the final report when asked, else the first stage asked."""
    if ReportingStage.FINAL in indicator["stages"]:
        return ReportingStage.FINAL
    return indicator["stages"][0]
