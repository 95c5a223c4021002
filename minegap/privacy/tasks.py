"""Thin tasks: take ids, call the builder."""

from celery import shared_task
from django.utils import timezone

from minegap.privacy import building


@shared_task(ignore_result=True)
def build_data_export(export_id: int) -> None:
    building.build_export(export_id=export_id)


@shared_task(ignore_result=True)
def restart_waiting_exports() -> int:
    """Periodic (beat): hand to a worker again the exports none took (broker down, worker lost)."""
    waiting = building.waiting_export_ids(timezone.now())
    for export_id in waiting:
        build_data_export.delay(export_id)
    return len(waiting)
