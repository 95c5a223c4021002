"""Forms of the evaluator's proposal page: they read what is posted; the scoring, conflict and
consensus services check the values (ranges, justification lengths, states) and say what is
wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.forms_committee import Text

ACTIONS = ("no_conflict", "conflict", "consensus_propose", "consensus_answer", "save", "submit")


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(action, action) for action in ACTIONS],
        error_messages={
            "required": _("Unknown action."),
            "invalid_choice": _("Unknown action."),
        },
    )


class ConflictForm(forms.Form):
    note = Text()


class _PerCriterionForm(forms.Form):
    """A score and a comment field per criterion of the call (`<score>-<id>`, `<text>-<id>`);
    `scores()` gives the services' input: {criterion id: (score or None, text)}."""

    score_prefix = ""
    text_prefix = ""

    def __init__(self, *args, criterion_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.criterion_ids = criterion_ids
        for cid in criterion_ids:
            self.fields[f"{self.score_prefix}-{cid}"] = forms.CharField(required=False)
            self.fields[f"{self.text_prefix}-{cid}"] = Text()

    def scores(self) -> dict[int, tuple[str | None, str]]:
        data = self.cleaned_data
        return {
            cid: (
                data[f"{self.score_prefix}-{cid}"] or None,
                data[f"{self.text_prefix}-{cid}"],
            )
            for cid in self.criterion_ids
        }


class ScoreSheetForm(_PerCriterionForm):
    score_prefix = "score"
    text_prefix = "justification"


class ConsensusProposalForm(_PerCriterionForm):
    score_prefix = "consensus-score"
    text_prefix = "consensus-comment"
    comment = Text()


class ConsensusAnswerForm(forms.Form):
    agreed = forms.TypedChoiceField(
        choices=[("yes", _("I agree")), ("no", _("I do not agree"))],
        coerce=lambda value: value == "yes",
        error_messages={
            "required": _("Say whether you agree."),
            "invalid_choice": _("Say whether you agree."),
        },
    )
    comment = Text()
