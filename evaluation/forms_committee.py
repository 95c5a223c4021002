"""Forms of the committee's pages: they read and type what is posted; the decision services
check the rules (state, quorum, reasons, budget) and say what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from calls.models import Application, ApplicationState, Call
from evaluation.models import DecisionOutcome, VoteChoice
from evaluation.selectors_decision import committee_members


class Text(forms.CharField):
    """Free text as typed, optional; NUL characters (PostgreSQL refuses them) are dropped rather
    than refused, and the services clean the rest."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        return super().to_python(value).replace("\x00", "")


def error_messages(form: forms.Form) -> list[str]:
    """Every error of a bound form, in field order, for the page's messages."""
    return [str(message) for errors in form.errors.values() for message in errors]


class OpenSessionForm(forms.Form):
    quorum = forms.IntegerField(
        required=False,
        error_messages={"invalid": _("The quorum must be a whole number.")},
    )
    meeting_date = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter the meeting date as YYYY-MM-DD.")},
    )


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        queryset=committee_members(),
        required=False,
        error_messages={
            "invalid_choice": _("Only committee members can be marked present."),
            "invalid_pk_value": _("Only committee members can be marked present."),
            "invalid_list": _("Only committee members can be marked present."),
        },
    )


class ProposeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=DecisionOutcome.choices,
        error_messages={
            "required": _("Choose fund, reserve or do not fund."),
            "invalid_choice": _("Choose fund, reserve or do not fund."),
        },
    )
    reserve_position = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("The reserve position must be a whole number from 1."),
            "min_value": _("The reserve position must be a whole number from 1."),
        },
    )
    reason = Text()


class VotingForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("open", "open"), ("close", "close"), ("return", "return")],
        error_messages={
            "required": _("Unknown action."),
            "invalid_choice": _("Unknown action."),
        },
    )
    reason = Text()
    # Closing: the present members who have not voted, each confirmed by name (the service
    # refuses to close while one of them is not).
    confirm_missing = forms.ModelMultipleChoiceField(
        queryset=committee_members(),
        required=False,
        error_messages={
            "invalid_choice": _("Only committee members can be confirmed as not voting."),
            "invalid_pk_value": _("Only committee members can be confirmed as not voting."),
            "invalid_list": _("Only committee members can be confirmed as not voting."),
        },
    )


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        choices=VoteChoice.choices,
        error_messages={
            "required": _("Vote for, against, or abstain."),
            "invalid_choice": _("Vote for, against, or abstain."),
        },
    )


class VacateForm(forms.Form):
    """`application`: a selected application of this call (anything else is a 404)."""

    application = forms.ModelChoiceField(queryset=Application.objects.none())
    reason = Text()

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = Application.objects.filter(
            call=call, state=ApplicationState.SELECTED
        )
