from celery import shared_task
from django.db import OperationalError

from overstone.schools import each_school
from reporting.services import (
    annual_report_for_last_year,
    annual_report_generate,
    policy_reminders_send,
)


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
)
def generate_annual_report(report_id: int) -> str | None:
    report = annual_report_generate(report_id=report_id)
    return report and report.status


@shared_task(acks_late=True)
def generate_last_years_report() -> list[int]:
    """Beat, 1 September: each school's report on last year (the ones queued)."""
    queued = [annual_report_for_last_year() for _ in each_school()]
    return [report.pk for report in queued if report]


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True)
def send_policy_reminders() -> int:
    """Beat, daily: each school's register in turn."""
    return sum(policy_reminders_send() for _ in each_school())
