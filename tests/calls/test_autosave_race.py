"""An autosave and a submission of the same application at the same moment: whichever takes the
application's row lock first, an acknowledged save is in the submitted version or marked as a
change after it, never lost.

On PostgreSQL the first keeps its transaction (and its lock) open while the second starts in
another thread, which must wait for the commit; SQLite has one writer at a time, so there the
two run one after the other, in the same order, and must end the same way."""

import threading

import pytest
from django.db import connections, transaction

from calls import services
from calls.models import Answer, ApplicationState
from tests.calls.factories import complete_application
from tests.concurrency import CONCURRENT

# Far longer than a statement that does not wait for a lock takes, even on a loaded machine.
WAIT_SECONDS = 1.0


def _while_holding(first, second) -> bool:
    """Run `first` in a transaction kept open while `second` starts; returns whether `second`
    was still waiting when `first` committed (SQLite: it ran after the commit)."""
    if not CONCURRENT:
        with transaction.atomic():
            first()
        second()
        return True
    held, release = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def run(call, *, hold: bool) -> None:
        try:
            with transaction.atomic():
                call()
                if hold:
                    held.set()
                    release.wait(30)
        except Exception as error:  # raised again below, in the test's thread
            errors.append(error)
        finally:
            held.set()
            connections.close_all()

    holder = threading.Thread(target=run, args=(first,), kwargs={"hold": True})
    holder.start()
    held.wait(30)
    waiter = threading.Thread(target=run, args=(second,), kwargs={"hold": False})
    waiter.start()
    waiter.join(WAIT_SECONDS)
    waited = waiter.is_alive()
    release.set()
    holder.join(30)
    waiter.join(30)
    if errors:
        raise errors[0]
    return waited


def _drafted_or_resubmitting(resubmission: bool):
    application, lead_admin = complete_application()
    if resubmission:  # submitted once, then changed: the next submission makes version 2
        services.submit_application(application=application, actor=lead_admin)
        services.autosave_answer(
            application_id=application.pk,
            question_id=application.call.questions.last().pk,
            text="Changed after the first submission.",
            actor=lead_admin,
        )
    return application, lead_admin, application.call.questions.first()


@pytest.mark.parametrize("resubmission", [False, True], ids=["draft", "resubmission"])
@pytest.mark.django_db(transaction=True)
def test_a_save_that_waits_for_a_submission_marks_the_next_version(resubmission):
    application, lead_admin, question = _drafted_or_resubmitting(resubmission)

    waited = _while_holding(
        lambda: services.submit_application(application=application, actor=lead_admin),
        lambda: services.autosave_answer(
            application_id=application.pk,
            question_id=question.pk,
            text="Typed while it was submitted.",
            actor=lead_admin,
        ),
    )

    assert waited
    application.refresh_from_db()
    assert (application.state, application.has_unsubmitted_changes) == (
        ApplicationState.SUBMITTED,
        True,
    )
    version = application.versions.latest()
    assert (version.number, version.snapshot["answers"][0]["text"]) == (
        2 if resubmission else 1,
        "A clear answer.",
    )
    assert Answer.objects.get(application=application, question=question).text == (
        "Typed while it was submitted."
    )


@pytest.mark.parametrize("resubmission", [False, True], ids=["draft", "resubmission"])
@pytest.mark.django_db(transaction=True)
def test_a_submission_that_waits_for_a_save_contains_it(resubmission):
    application, lead_admin, question = _drafted_or_resubmitting(resubmission)

    waited = _while_holding(
        lambda: services.autosave_answer(
            application_id=application.pk,
            question_id=question.pk,
            text="Typed just before submitting.",
            actor=lead_admin,
        ),
        lambda: services.submit_application(application=application, actor=lead_admin),
    )

    assert waited
    application.refresh_from_db()
    assert (application.state, application.has_unsubmitted_changes) == (
        ApplicationState.SUBMITTED,
        False,
    )
    version = application.versions.latest()
    assert (version.number, version.snapshot["answers"][0]["text"]) == (
        2 if resubmission else 1,
        "Typed just before submitting.",
    )
