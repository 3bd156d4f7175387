from celery import shared_task

from effectiveness import services
from overstone.schools import each_school


@shared_task(acks_late=True)
def send_risk_reminders() -> int:
    """Daily (beat): each school's risk assessments in turn."""
    return sum(services.risk_reminders_send() for _ in each_school())
