from celery import shared_task

from incidents.imports import incidents_import_job_run
from incidents.services import incident_notify_principal


@shared_task(acks_late=True)
def email_principal_incident_reported(incident_id: int) -> int:
    """Decides (once) and queues the e-mail; overstone.notify sends it, with retries."""
    return incident_notify_principal(incident_id=incident_id)


@shared_task(acks_late=True, ignore_result=True)
def import_filter_alerts(job_id: int) -> None:
    incidents_import_job_run(job_id=job_id)
