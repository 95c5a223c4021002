"""Celery tasks of the vouchers app: thin, they take ids and call the documents module."""

from celery import shared_task

from vouchers import documents


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def render_agreement(voucher_id: int) -> None:
    documents.generate_agreement(voucher_id=voucher_id)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def render_statement(share_id: int) -> None:
    documents.generate_statement(share_id=share_id)
