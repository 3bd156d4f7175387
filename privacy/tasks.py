from celery import shared_task
from django.db import OperationalError

from privacy.services import retention_review_prepare, sar_reminders_send


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True)
def review_retention() -> int:
    return retention_review_prepare()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True)
def remind_subject_access_due() -> int:
    return sar_reminders_send()
