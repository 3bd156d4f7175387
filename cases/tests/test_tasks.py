import time
from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from cases.tasks import remind_due_case_tasks, remind_overdue_referrals
from cases.tests.factories import ReferralFactory
from incidents.tests.factories import IncidentFactory


def test_the_reminders_run_daily_on_the_beat():
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert schedule[remind_overdue_referrals.name] == crontab(hour=7, minute=20)
    assert schedule[remind_due_case_tasks.name] == crontab(hour=7, minute=25)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_real_worker_reminds_an_overdue_referral_once(worker):
    incident = IncidentFactory()
    ReferralFactory(
        record_reference=incident.reference,
        response_due=timezone.localdate() - timedelta(days=1),
        referred_by__email="coord@school.example",
    )
    first = remind_overdue_referrals.delay()
    [mail] = worker.wait_for_mails(1)
    assert mail["To"] == "coord@school.example"
    assert incident.reference in mail["Subject"]
    second = remind_overdue_referrals.delay()
    deadline = time.monotonic() + 30
    while not (first.id in worker.log() and f"{second.id}] succeeded" in worker.log()):
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.2)
    assert len(worker.mails()) == 1
