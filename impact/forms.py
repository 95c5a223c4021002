"""Forms of the impact app: staff define indicators; beneficiaries report, one field per
indicator, typed by its kind (Decimal for numbers and money, never float)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from impact import presets
from impact.models import Indicator, IndicatorKind
from impact.services import EDITABLE_FIELDS, LARGEST


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = list(EDITABLE_FIELDS)
        help_texts = {
            "unit": _("E.g. EUR, full-time equivalents, tonnes CO2e a year."),
            "order": _("Indicators are asked in this order (smallest first)."),
        }

    def clean(self):
        data = super().clean()
        if not any(data.get(f) for f in ("at_baseline", "at_final", "at_follow_up")):
            raise ValidationError(_("Ask the indicator at one stage at least."))
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class PresetForm(forms.Form):
    keys = forms.MultipleChoiceField(
        label=_("Presets"),
        choices=[(p.key, p.name) for p in presets.PRESETS],
        widget=forms.CheckboxSelectMultiple,
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it needs a correction"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the beneficiary's administrators."),
    )


class ConfirmRemoveForm(forms.Form):
    confirm = forms.BooleanField(label=_("I confirm: remove this indicator."))


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _field(indicator: Indicator) -> forms.Field:
    label = f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name
    common = {"label": label, "required": indicator.required}
    if indicator.kind in IndicatorKind.numeric():
        return forms.DecimalField(
            max_digits=16,
            decimal_places=2,
            min_value=Decimal(0) if indicator.kind == IndicatorKind.MONEY else -LARGEST,
            max_value=LARGEST,
            localize=False,
            **common,
        )
    if indicator.kind == IndicatorKind.YES_NO:
        return forms.TypedChoiceField(
            choices=YES_NO,
            coerce=lambda value: value == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), **common)


class ReportForm(forms.Form):
    """One field per indicator asked at the stage, named `indicator-<id>`."""

    def __init__(self, *args, indicators: list[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"indicator-{indicator.pk}"] = _field(indicator)

    def values(self) -> dict[int, object]:
        return {i.pk: self.cleaned_data.get(f"indicator-{i.pk}") for i in self.indicators}
