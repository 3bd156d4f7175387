import time
from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from incidents.models import Incident
from incidents.tests.factories import IncidentFactory
from overstone.roles import Role
from overstone.tests.factories import UserFactory
from privacy.tasks import remind_subject_access_due, review_retention


def test_the_review_and_the_request_reminders_run_daily_on_the_beat():
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert schedule[review_retention.name] == crontab(hour=6, minute=30)
    assert schedule[remind_subject_access_due.name] == crontab(hour=7, minute=15)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_real_worker_tells_the_principal_once_a_month(worker):
    UserFactory(roles=[Role.PRINCIPAL], email="head@school.example")
    IncidentFactory(
        status=Incident.Status.CLOSED, closed_at=timezone.now() - timedelta(days=365 * 30)
    )
    first = review_retention.delay()
    [mail] = worker.wait_for_mails(1)
    assert mail["To"] == "head@school.example"
    assert "1 record past retention" in mail["Subject"]
    second = review_retention.delay()
    deadline = time.monotonic() + 30
    while not (first.id in worker.log() and f"{second.id}] succeeded" in worker.log()):
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.2)
    assert len(worker.mails()) == 1
    assert Incident.objects.get().description.startswith("Pupil reached")
