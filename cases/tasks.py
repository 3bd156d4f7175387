from celery import shared_task
from django.db import OperationalError

from cases.services import case_task_reminders_send, referral_reminders_send
from overstone.schools import each_school


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True)
def remind_overdue_referrals() -> int:
    return sum(referral_reminders_send() for _school in each_school())


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True)
def remind_due_case_tasks() -> int:
    return sum(case_task_reminders_send() for _school in each_school())
