from celery import shared_task
from django.db import OperationalError

from overstone.schools import each_school
from privacy.services import retention_review_prepare, sar_reminders_send

# Each queues its e-mails (overstone.notify) in the transaction that records them; a
# database that is briefly unavailable is tried again.
RETRY_ON = (OperationalError,)


@shared_task(acks_late=True, autoretry_for=RETRY_ON, retry_backoff=True, max_retries=8)
def review_retention() -> int:
    """Beat, daily: each school's review of the month is made on the first run of the
    month (a school whose review is made already is passed over)."""
    return sum(retention_review_prepare() for _ in each_school())


@shared_task(acks_late=True, autoretry_for=RETRY_ON, retry_backoff=True, max_retries=8)
def remind_subject_access_due() -> int:
    """Beat, daily: each school's requests in turn."""
    return sum(sar_reminders_send() for _ in each_school())
