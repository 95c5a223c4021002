"""Forms of the evaluation pages (validation only; writes go through services)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRY_CHOICES
from calls.models import Call, CallState
from evaluation.models import EvaluatorProfile, ExpertiseKind, ValueChainStage


class InviteEvaluatorForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


def expertise_choices() -> list[tuple[str, str]]:
    areas = sorted(
        {
            area.strip()
            for areas in Call.objects.exclude(state=CallState.ARCHIVED).values_list(
                "thematic_areas", flat=True
            )
            for area in (areas or [])
            if area.strip()
        },
        key=str.lower,
    )
    return [(f"{ExpertiseKind.AREA}:{a}", a) for a in areas] + [
        (f"{ExpertiseKind.STAGE}:{value}", label) for value, label in ValueChainStage.choices
    ]


class EvaluatorProfileForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), choices=[("", "—"), *COUNTRY_CHOICES])
    employer_name = forms.CharField(label=_("Current employer"), max_length=200, required=False)
    keywords = forms.CharField(
        label=_("Keywords"), max_length=500, required=False, help_text=_("Separated by commas.")
    )
    max_proposals = forms.IntegerField(
        label=_("Maximum number of proposals"), min_value=1, max_value=200, initial=10
    )
    main = forms.MultipleChoiceField(
        label=_("Main expertise"), required=False, widget=forms.CheckboxSelectMultiple
    )
    secondary = forms.MultipleChoiceField(
        label=_("Secondary expertise"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, profile: EvaluatorProfile | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = expertise_choices()
        if profile is not None:
            known = {c[0] for c in choices}
            rows = list(profile.expertise.all())
            extra = [(f"{r.kind}:{r.name}", r.name) for r in rows]
            choices += [c for c in extra if c[0] not in known]
            self.initial.update(
                country=profile.country,
                employer_name=profile.employer_name,
                keywords=profile.keywords,
                max_proposals=profile.max_proposals,
                main=[f"{r.kind}:{r.name}" for r in rows if r.weight == 1],
                secondary=[f"{r.kind}:{r.name}" for r in rows if r.weight != 1],
            )
        self.fields["main"].choices = choices
        self.fields["secondary"].choices = choices

    def clean(self):
        data = super().clean()
        both = set(data.get("main", [])) & set(data.get("secondary", []))
        if both:
            raise forms.ValidationError(_("An area is either main or secondary, not both."))
        return data

    def expertise(self) -> list[tuple[str, str, Decimal]]:
        rows = []
        for key, weight in (("main", Decimal("1")), ("secondary", Decimal("0.5"))):
            for value in self.cleaned_data[key]:
                kind, _sep, name = value.partition(":")
                rows.append((kind, name, weight))
        return rows


class DeclarationForm(forms.Form):
    accept = forms.BooleanField(
        label=_(
            "I will keep every proposal and every evaluation confidential, I have no conflict "
            "of interest I have not declared, and I will declare any conflict before reading "
            "a proposal."
        )
    )


class PageActionForm(forms.Form):
    """Which button of a staff page was pressed, among the page's `actions`; anything else is
    refused with `unknown`."""

    action = forms.ChoiceField()

    def __init__(self, *args, actions: list[str], unknown: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["action"]
        field.choices = [(action, action or "-") for action in actions]
        field.required = "" not in actions
        text = unknown or _("Unknown action.")
        field.error_messages = {"required": text, "invalid_choice": text}
