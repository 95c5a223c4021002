"""The rush benchmark paces its applicants as the question form's own autosave does."""

from bench.rush import form_debounce_seconds


def test_the_paced_rush_reads_the_forms_autosave_delay_from_its_template():
    # calls/templates/calls/apply/step_questions.html: hx-trigger="input changed delay:700ms, blur"
    assert form_debounce_seconds() == 0.7
