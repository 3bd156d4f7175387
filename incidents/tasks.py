from smtplib import SMTPException

from celery import shared_task

from incidents.services import incident_notify_principal


@shared_task(
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=8,
)
def email_principal_incident_reported(incident_id: int) -> int:
    return incident_notify_principal(incident_id=incident_id)
