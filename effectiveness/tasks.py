from celery import shared_task

from effectiveness import services


@shared_task(acks_late=True)
def send_risk_reminders() -> int:
    """Daily (beat)."""
    return services.risk_reminders_send()
