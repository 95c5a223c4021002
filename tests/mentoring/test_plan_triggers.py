"""Staff plan a call's instalments with trigger words (the call form); the vouchers app turns
them into instalment triggers: the two lists stay equal, and an unknown word is refused rather
than silently read as a deliverable's acceptance."""

import pytest

from calls.forms.call import PLAN_TRIGGERS, CallForm
from vouchers.models import InstalmentTrigger

pytestmark = pytest.mark.django_db


def _plan_errors(text: str) -> list[str]:
    form = CallForm(data={"instalment_plan_text": text})
    form.is_valid()
    return form.errors.get("instalment_plan_text", [])


def test_the_form_s_words_are_the_vouchers_triggers():
    assert sorted(PLAN_TRIGGERS) == sorted(InstalmentTrigger.values)


def test_a_plan_with_the_mentor_s_report_is_accepted():
    form = CallForm(
        data={
            "instalment_plan_text": "40 | Pre-financing | signature\n"
            "30 | Mid-term review | mentor_report\n30 | Final | final_deliverable"
        }
    )
    form.is_valid()

    assert "instalment_plan_text" not in form.errors
    assert form.cleaned_data["instalment_plan_text"] == [
        {"percent": 40, "label": "Pre-financing", "trigger": "signature"},
        {"percent": 30, "label": "Mid-term review", "trigger": "mentor_report"},
        {"percent": 30, "label": "Final", "trigger": "final_deliverable"},
    ]


def test_an_unknown_trigger_word_is_refused_with_the_words_to_use():
    assert _plan_errors("50 | Pre | signature\n50 | Review | mentor-report") == [
        "“mentor-report” is not a trigger: use signature, deliverable, final_deliverable, "
        "mentor_report (or nothing: a deliverable)."
    ]
    assert _plan_errors("50 | Pre | signature\n50 | Final |") == []
