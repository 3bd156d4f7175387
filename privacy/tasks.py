from celery import shared_task
from django.db import OperationalError

from privacy.services import retention_review_prepare, sar_reminders_send

# Each queues its e-mails (overstone.notify) in the transaction that records them; a
# database that is briefly unavailable is tried again.
RETRY_ON = (OperationalError,)


@shared_task(acks_late=True, autoretry_for=RETRY_ON, retry_backoff=True, max_retries=8)
def review_retention() -> int:
    """Beat, daily: the month's review is made on the first run of the month."""
    return retention_review_prepare()


@shared_task(acks_late=True, autoretry_for=RETRY_ON, retry_backoff=True, max_retries=8)
def remind_subject_access_due() -> int:
    return sar_reminders_send()
