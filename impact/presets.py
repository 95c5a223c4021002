"""The indicators most calls ask (the reference programme's impact report): staff add them to a
call in one step, then adjust. The programme's figures add up the same preset across calls, so a
preset keeps its kind and unit."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from impact.models import IndicatorKind


@dataclass(frozen=True)
class Preset:
    key: str
    name: Promise
    unit: Promise | str
    kind: str
    at_baseline: bool = True
    at_final: bool = True
    at_follow_up: bool = True


PRESETS = (
    Preset("turnover", _("Turnover"), "EUR", IndicatorKind.MONEY),
    Preset("employees", _("Employees"), _("full-time equivalents"), IndicatorKind.NUMBER),
    Preset(
        "new_products",
        _("New products or services launched"),
        _("products or services"),
        IndicatorKind.NUMBER,
        at_baseline=False,
    ),
    Preset(
        "mine_pilots",
        _("Pilots with a mine"),
        _("pilots"),
        IndicatorKind.NUMBER,
        at_baseline=False,
    ),
    Preset("patents", _("Patents filed"), _("patents"), IndicatorKind.NUMBER),
    Preset(
        "investment",
        _("Follow-up investment raised"),
        "EUR",
        IndicatorKind.MONEY,
        at_baseline=False,
    ),
    Preset(
        "co2_saved",
        _("CO2 emissions saved"),
        _("tonnes CO2e a year"),
        IndicatorKind.NUMBER,
        at_baseline=False,
    ),
    Preset(
        "water_saved",
        _("Water saved"),
        _("m³ a year"),
        IndicatorKind.NUMBER,
        at_baseline=False,
    ),
)
BY_KEY = {preset.key: preset for preset in PRESETS}
