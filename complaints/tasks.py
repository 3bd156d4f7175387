from smtplib import SMTPException

from celery import shared_task
from django.db import transaction

from complaints import services
from overstone.outbox import outbox_enqueue

RETRY = {
    "acks_late": True,
    "autoretry_for": (SMTPException, ConnectionError),
    "retry_backoff": True,
    "max_retries": 8,
}


@shared_task(**RETRY)
def email_complaint_reported(complaint_id: int) -> int:
    return services.complaint_notify_reported(complaint_id=complaint_id)


@shared_task(**RETRY)
def email_complaint_escalated(complaint_id: int) -> int:
    return services.complaint_notify_escalated(complaint_id=complaint_id)


@shared_task(**RETRY)
def email_concern_acknowledgement(concern_id: int) -> int:
    return services.concern_acknowledge(concern_id=concern_id)


@shared_task(**RETRY)
def remind_overdue_complaint(complaint_id: int) -> int:
    return services.complaint_remind_overdue(complaint_id=complaint_id)


@shared_task(acks_late=True)
def remind_overdue_complaints() -> int:
    """Daily (beat): one reminder task per overdue complaint; each sends at most once
    per stage, so running this twice in a day sends nothing twice."""
    with transaction.atomic():
        overdue = list(services.complaints_overdue())
        for complaint_id in overdue:
            outbox_enqueue(remind_overdue_complaint, complaint_id)
    return len(overdue)
