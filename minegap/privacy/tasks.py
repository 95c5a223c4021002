"""Thin tasks: take ids, call the builder."""

from celery import shared_task

from minegap.privacy import building


@shared_task(ignore_result=True)
def build_data_export(export_id: int) -> None:
    building.build_export(export_id=export_id)
