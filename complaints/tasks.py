"""Thin Celery tasks: take primary keys, call a service. The e-mails they decide on are
sent by overstone.notify, with its retry policy."""

from celery import shared_task

from complaints import services


@shared_task(acks_late=True)
def email_complaint_reported(complaint_id: int) -> int:
    return services.complaint_notify_reported(complaint_id=complaint_id)


@shared_task(acks_late=True)
def email_complaint_escalated(complaint_id: int) -> int:
    return services.complaint_notify_escalated(complaint_id=complaint_id)


@shared_task(acks_late=True)
def email_concern_acknowledgement(concern_id: int) -> int:
    return services.concern_acknowledge(concern_id=concern_id)


@shared_task(acks_late=True)
def remind_overdue_complaint(complaint_id: int) -> int:
    return services.complaint_remind_overdue(complaint_id=complaint_id)


@shared_task(acks_late=True)
def remind_overdue_complaints() -> int:
    """Daily (beat), in no school: the service walks every school in turn."""
    return services.complaint_reminders_queue()


@shared_task(acks_late=True)
def email_concern_raised(concern_id: int) -> int:
    return services.concern_notify_raised(concern_id=concern_id)


@shared_task(acks_late=True)
def email_concern_answered(concern_id: int) -> int:
    return services.concern_notify_answered(concern_id=concern_id)


@shared_task(acks_late=True)
def remind_overdue_concern(concern_id: int) -> int:
    return services.concern_remind_overdue(concern_id=concern_id)


@shared_task(acks_late=True)
def remind_overdue_concerns() -> int:
    """Daily (beat), in no school: the service walks every school in turn."""
    return services.concern_reminders_queue()
