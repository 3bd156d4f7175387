from celery import shared_task

from incidents.services import incident_notify_principal


@shared_task(acks_late=True)
def email_principal_incident_reported(incident_id: int) -> int:
    """Decides (once) and queues the e-mail; overstone.notify sends it, with retries."""
    return incident_notify_principal(incident_id=incident_id)
