import time

import pytest
from django.db import transaction
from django.utils import timezone

from overstone.roles import Role
from overstone.tests.factories import UserFactory
from reporting.models import AnnualReport
from reporting.services import annual_report_request
from reporting.tasks import send_policy_reminders
from reporting.tests.factories import PolicyFactory


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_real_worker_generates_the_report(worker):
    with transaction.atomic():
        report = annual_report_request(school_year=2025, actor=UserFactory(roles=[Role.PRINCIPAL]))
    deadline = time.monotonic() + 60
    while not AnnualReport.objects.get(pk=report.pk).is_finished:
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.3)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DONE, report.error
    assert report.pdf.read().startswith(b"%PDF")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_beat_reminder_task_emails_the_owner_once(worker):
    policy = PolicyFactory(
        title="Complaints Policy",
        review_due=timezone.localdate() + timezone.timedelta(days=7),
        owner__email="owner@school.example",
    )
    first = send_policy_reminders.delay()
    [mail] = worker.wait_for_mails(1)
    assert mail["To"] == "owner@school.example"
    assert "Complaints Policy" in mail["Subject"] and "7 days" in mail["Subject"]
    second = send_policy_reminders.delay()
    deadline = time.monotonic() + 30
    while not (first.id in worker.log() and f"{second.id}] succeeded" in worker.log()):
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.2)
    assert len(worker.mails()) == 1
    assert policy.reminders.count() == 1
