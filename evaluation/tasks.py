"""Celery tasks of the evaluation app: thin, they take ids and call the documents modules."""

from celery import shared_task

from evaluation import esr, minutes
from evaluation.services import assignment


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def render_minutes(session_id: int) -> None:
    minutes.generate_minutes(session_id=session_id)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def generate_summary_reports(call_id: int) -> int:
    return esr.generate_summary_reports(call_id=call_id)


@shared_task(ignore_result=True)
def run_auto_assignment(run_id: int) -> None:
    """No automatic retry: a run that failed stays failed, and staff ask again."""
    assignment.perform_assignment_run(run_id=run_id)
