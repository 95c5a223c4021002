"""Staff forms: a call's settings, its configurable lists, publication and deadline extension."""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRY_CHOICES
from calls import files
from calls.models import (
    AttachmentRequirement,
    Call,
    Criterion,
    ExtraEvaluatorRule,
    FileKind,
    Question,
    VoucherType,
)
from calls.validation import TIE_BREAK_RULES, TIE_BREAK_STEPS, tie_break_problems

DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
DATETIME_INPUTS = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
TIME_ZONE_CHOICES = [(name, name) for name in sorted(available_timezones()) if "/" in name]


# The words the vouchers app turns into instalment triggers (vouchers.models.InstalmentTrigger;
# tests/mentoring/test_plan_triggers.py keeps the two equal): a plan line names one, or none for
# the acceptance of a deliverable (the last line: the final deliverable).
PLAN_TRIGGERS = ("signature", "deliverable", "final_deliverable", "mentor_report")


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock date and time, made aware later in the call's own time zone."""

    widget = forms.DateTimeInput(
        attrs={"type": "datetime-local", "step": "1"}, format=DATETIME_FORMAT
    )
    input_formats = DATETIME_INPUTS

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and timezone.is_aware(result):
            result = timezone.make_naive(result)
        return result


def _in_zone(value: datetime | None, zone: str) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo(zone))


class TieBreakWidget(forms.MultiWidget):
    """One select per place in the chain, in order: reordering is choosing again, no script."""

    template_name = "calls/widgets/tie_break_chain.html"

    def __init__(self, size: int, choices: list[tuple[str, str]]):
        super().__init__([forms.Select(choices=choices) for _ in range(size)])

    def decompress(self, value) -> list[str]:
        steps = list(value or [])
        return steps + [""] * (len(self.widgets) - len(steps))


class TieBreakField(forms.MultiValueField):
    """The tie-break chain chosen among the call's criteria and the rules the ranking follows;
    an empty place is skipped."""

    def __init__(self, *, choices: list[tuple[str, str]], size: int, **kwargs):
        fields = [forms.ChoiceField(choices=choices, required=False) for _ in range(size)]
        super().__init__(
            fields,
            require_all_fields=False,
            widget=TieBreakWidget(size, choices),
            error_messages={"required": _("Choose at least one tie-break step.")},
            **kwargs,
        )

    def compress(self, data_list) -> list[str]:
        return [step for step in data_list if step]


def tie_break_choices(criteria: list[str], chain: list[str]) -> list[tuple[str, str]]:
    """The steps staff may choose: each criterion of the call, the supported rules, and any
    step the saved chain names that is neither (shown so it can be replaced; saving it fails)."""
    choices = [("", _("— (no further step)"))]
    choices += [
        (f"criterion:{name}", _("Higher score on %(criterion)s") % {"criterion": name})
        for name in criteria
    ]
    choices += list(TIE_BREAK_RULES.items())
    offered = {value.lower() for value, _label in choices}
    for step in chain:
        if canonical_step(step, choices) is None and step.lower() not in offered:
            choices.append((step, _("%(step)s (not a step this call can use)") % {"step": step}))
            offered.add(step.lower())
    return choices


def canonical_step(step: str, choices: list[tuple[str, str]]) -> str | None:
    """The offered value a saved step stands for: criteria match case-insensitively (as the
    ranking reads them) and new_countries is geographic_diversity."""
    if TIE_BREAK_STEPS.get(step) == "new_countries":
        step = "geographic_diversity"
    return next(
        (value for value, _label in choices if value and value.lower() == step.lower()), None
    )


class CallForm(forms.ModelForm):
    """Everything staff set on a call; dates are typed in the call's time zone."""

    eligible_countries = forms.MultipleChoiceField(
        label=_("Eligible countries"),
        choices=COUNTRY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    thematic_areas_text = forms.CharField(
        label=_("Thematic areas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    opens_at = LocalDateTimeField(label=_("Opens at"), required=False)
    closes_at = LocalDateTimeField(label=_("Closes at (deadline)"), required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)
    instalment_plan_text = forms.CharField(
        label=_("Instalment plan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One instalment per line: percent | label | trigger (signature, deliverable, "
            "mentor_report: the mentor's milestone report approved)."
        ),
    )

    class Meta:
        model = Call
        fields = [
            "title",
            "slug",
            "code",
            "summary",
            "body",
            "total_budget",
            "cap_per_project",
            "cap_per_third_party",
            "lifetime_cap_per_sme",
            "min_members",
            "max_members",
            "min_countries",
            "require_adopter_and_provider",
            "eligible_countries",
            "time_zone",
            "opens_at",
            "closes_at",
            "total_threshold",
            "evaluators_per_proposal",
            "blind_evaluation",
            "divergence_percent",
            "divergence_points",
            "divergence_settlement",
            "extra_evaluator_rule",
            "redress_window_days",
            "unsuccessful_retention_months",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        call = self.instance
        self.fields["time_zone"].initial = call.time_zone
        self.fields["extra_evaluator_rule"].choices = [
            ("", _("— (no additional evaluator)")),
            *ExtraEvaluatorRule.choices,
        ]
        if call.pk:
            for name in ("opens_at", "closes_at"):
                value = getattr(call, name)
                if value is not None:
                    self.initial[name] = value.astimezone(call.tz).replace(tzinfo=None)
        self.initial["thematic_areas_text"] = "\n".join(call.thematic_areas or [])
        self.initial["instalment_plan_text"] = "\n".join(
            f"{step.get('percent')} | {step.get('label', '')} | {step.get('trigger', '')}"
            for step in call.instalment_plan or []
        )
        chain = list(call.tie_break_chain or [])
        # A new call has no criteria yet: the saved chain's own criteria are offered, and the
        # publication checks them against the criteria then configured.
        criteria = (
            [c.name for c in call.criteria.all()]
            if call.pk
            else [step.partition(":")[2] for step in chain if step.startswith("criterion:")]
        )
        choices = tie_break_choices(criteria, chain)
        self.fields["tie_break"] = TieBreakField(
            choices=choices,
            size=max(len(choices) - 1, len(chain)),
            label=_("Tie-break chain"),
            help_text=_(
                "Equal weighted totals are ordered by the first step, then the next, in order."
            ),
        )
        self.initial["tie_break"] = [canonical_step(step, choices) or step for step in chain]

    def clean_instalment_plan_text(self) -> list[dict]:
        plan = []
        for line in self.cleaned_data["instalment_plan_text"].splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            try:
                percent = Decimal(parts[0])
            except (InvalidOperation, IndexError):
                raise forms.ValidationError(
                    _("Each line starts with a percentage, e.g. “50 | Pre-financing | signature”.")
                ) from None
            if percent <= 0:
                raise forms.ValidationError(_("Each instalment must be above 0 %."))
            plan.append(
                {
                    "percent": int(percent) if percent == percent.to_integral() else str(percent),
                    "label": parts[1] if len(parts) > 1 else "",
                    "trigger": parts[2] if len(parts) > 2 else "",
                }
            )
        if sum(Decimal(str(step["percent"])) for step in plan) != 100:
            raise forms.ValidationError(_("The instalments must add up to 100 %."))
        unknown = [s["trigger"] for s in plan if s["trigger"].lower() not in ("", *PLAN_TRIGGERS)]
        if unknown:
            raise forms.ValidationError(
                _("“%(word)s” is not a trigger: use %(triggers)s (or nothing: a deliverable).")
                % {"word": unknown[0], "triggers": ", ".join(PLAN_TRIGGERS)}
            )
        return plan

    def clean_tie_break(self) -> list[str]:
        chain = self.cleaned_data["tie_break"]
        # The criteria of a new call are added after it is saved: publication checks them.
        criteria = [c.name for c in self.instance.criteria.all()] if self.instance.pk else None
        problems = tie_break_problems(chain, criteria)
        if problems:
            raise forms.ValidationError(problems)
        return chain

    def clean(self):
        cleaned = super().clean()
        zone = cleaned.get("time_zone") or self.instance.time_zone
        for name in ("opens_at", "closes_at"):
            cleaned[name] = _in_zone(cleaned.get(name), zone)
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The call must close after it opens."))
        if (cleaned.get("min_members") or 0) > (cleaned.get("max_members") or 0):
            self.add_error("max_members", _("The maximum cannot be below the minimum."))
        return cleaned

    def service_data(self) -> dict:
        """The cleaned values as model fields, for `create_call` / `update_call`."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["thematic_areas"] = [
            line.strip()
            for line in self.cleaned_data["thematic_areas_text"].splitlines()
            if line.strip()
        ]
        data["instalment_plan"] = self.cleaned_data["instalment_plan_text"]
        data["tie_break_chain"] = self.cleaned_data["tie_break"]
        return data


class PublishForm(forms.Form):
    acknowledge_short_window = forms.BooleanField(
        label=_("I know the call is open for less than 8 weeks and want to publish it anyway."),
        required=False,
    )


class ExtendDeadlineForm(forms.Form):
    closes_at = LocalDateTimeField(label=_("New deadline (in the call's time zone)"))

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call

    def clean_closes_at(self):
        return _in_zone(self.cleaned_data["closes_at"], self.call.time_zone)


class AllowedTypesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=FileKind.choices, **kwargs)


class AttachmentRequirementForm(forms.ModelForm):
    allowed_types = AllowedTypesField(label=_("Allowed types"))

    class Meta:
        model = AttachmentRequirement
        fields = ["label", "allowed_types", "max_size_mb", "required", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A larger file could never arrive: the site refuses bigger requests (MAX_REQUEST_BODY).
        self.fields["max_size_mb"].validators.append(MaxValueValidator(settings.MAX_UPLOAD_MB))
        self.fields["max_size_mb"].widget.attrs["max"] = settings.MAX_UPLOAD_MB


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["label", "help_text", "char_limit", "required", "criterion", "order"]
        widgets = {"help_text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = Criterion.objects.filter(call=call)


ITEM_FORMSETS = {
    "voucher-types": (
        _("Voucher types"),
        forms.inlineformset_factory(
            Call, VoucherType, fields=["name", "cap_per_sme", "order"], extra=2, can_delete=True
        ),
    ),
    "criteria": (
        _("Evaluation criteria"),
        forms.inlineformset_factory(
            Call,
            Criterion,
            fields=["name", "weight", "max_score", "threshold", "order"],
            extra=2,
            can_delete=True,
        ),
    ),
    "questions": (
        _("Questions of the application form"),
        forms.inlineformset_factory(Call, Question, form=QuestionForm, extra=2, can_delete=True),
    ),
    "attachments": (
        _("Attachments asked for"),
        forms.inlineformset_factory(
            Call, AttachmentRequirement, form=AttachmentRequirementForm, extra=2, can_delete=True
        ),
    ),
}


class CallDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File (PDF, DOCX or XLSX)"))

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        kind = files.detect_kind(upload)
        if kind not in (FileKind.PDF, FileKind.DOCX, FileKind.XLSX):
            raise forms.ValidationError(
                _("Upload a PDF, DOCX or XLSX document (checked by content).")
            )
        self.kind = kind
        return upload
