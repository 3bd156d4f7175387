from celery import shared_task

from incidents.alerts import alert_digest_send, alert_digests_queue, incident_announce
from incidents.imports import incidents_import_job_run
from incidents.services import incident_notify_principal
from overstone.schools import each_school


@shared_task(acks_late=True)
def email_principal_incident_reported(incident_id: int) -> int:
    """Decides (once) and queues the e-mail; overstone.notify sends it, with retries."""
    return incident_notify_principal(incident_id=incident_id)


@shared_task(acks_late=True, ignore_result=True)
def import_filter_alerts(job_id: int) -> None:
    incidents_import_job_run(job_id=job_id)


@shared_task(acks_late=True)
def announce_incident(incident_id: int) -> int:
    """A new incident, to those who hear of its severity at once (incidents.alerts)."""
    return incident_announce(incident_id=incident_id)


@shared_task(acks_late=True)
def announce_incident_raised(incident_id: int, raised_by_id: int) -> int:
    """An incident whose severity was raised after it was logged (incidents.alerts)."""
    return incident_announce(incident_id=incident_id, raised_by_id=raised_by_id)


@shared_task(acks_late=True)
def send_alert_digests() -> int:
    """Daily (beat): queues each person's digest, school by school: someone who receives
    alerts at two schools gets each school's digest."""
    return sum(alert_digests_queue() for _school in each_school())


@shared_task(acks_late=True)
def send_alert_digest(user_id: int) -> int:
    return alert_digest_send(user_id=user_id)
