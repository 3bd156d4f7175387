"""Saving work never depends on the broker, and a crashed worker loses no work.

Each test runs its own redis-server on a spare port, so it can stop and start it.
"""

import json
import time
from textwrap import dedent

import pytest

from complaints.tests.factories import complaint_at
from conftest import WorkerProcess, run_django
from overstone.models import OutboxMessage
from overstone.roles import Role
from overstone.tests.factories import UserFactory
from reporting.models import AnnualReport
from training.tests.factories import ParentFactory, SessionFactory

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SAVE_WORK = dedent("""
    import json, time
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from complaints import services as complaints
    from complaints.models import OnlineComplaint
    from complaints.tests.factories import stage_details
    from incidents import services as incidents
    from training.services import bookings
    from training.models import TrainingSession

    people = {user.username: user for user in get_user_model().objects.all()}
    seconds = {}

    started = time.monotonic()
    incident = incidents.incident_create(
        actor=people["coordinator"], occurred_at=timezone.now(), category="gambling",
        severity="high", location="school_network", description="Betting site in ICT.",
    )
    incidents.incident_report_to_principal(incident=incident, actor=people["coordinator"])
    seconds["incident"] = time.monotonic() - started

    started = time.monotonic()
    complaints.complaint_transition(
        complaint=OnlineComplaint.objects.get(), to_stage="governors_meeting",
        actor=people["principal"], **stage_details("governors_meeting"),
    )
    seconds["complaint"] = time.monotonic() - started

    started = time.monotonic()
    bookings.booking_create(
        session=TrainingSession.objects.get(), parent=people["parent"], guests=0,
        actor=people["parent"],
    )
    seconds["booking"] = time.monotonic() - started
    print(json.dumps(seconds))
""")
DISPATCH = "from overstone.outbox import outbox_dispatch_pending; print(outbox_dispatch_pending())"


def test_with_redis_down_work_is_saved_at_once_and_mailed_once_when_it_is_back(
    redis_server, media_root, tmp_path
):
    coordinator = UserFactory(username="coordinator", roles=[Role.COORDINATOR])
    principal = UserFactory(username="principal", roles=[Role.PRINCIPAL], email="head@s.example")
    UserFactory(username="chair", roles=[Role.CHAIR_OF_GOVERNORS], email="chair@s.example")
    ParentFactory(username="parent", email="parent@s.example")
    complaint_at("legal_warning_given", actor=principal)
    SessionFactory(capacity=5)
    assert coordinator and not OutboxMessage.objects.filter(dispatched_at=None).exists()

    # Redis is not running: everything is saved, nothing waits on it.
    seconds = json.loads(run_django(SAVE_WORK, CELERY_BROKER_URL=redis_server.url))
    assert all(value < 3 for value in seconds.values()), seconds
    pending = OutboxMessage.objects.filter(dispatched_at=None)
    # The incident (high: the principal is alerted at once, then it is reported to them),
    # the complaint and the booking.
    assert pending.count() == 4 and all(m.last_error for m in pending)

    # Redis is back: the outbox is sent, and each e-mail goes once.
    redis_server.start()
    worker = WorkerProcess(tmp_path, media_root, CELERY_BROKER_URL=redis_server.url)
    worker.start()
    try:
        assert run_django(DISPATCH, CELERY_BROKER_URL=redis_server.url).strip() == "4"
        mails = worker.wait_for_mails(4)
        assert run_django(DISPATCH, CELERY_BROKER_URL=redis_server.url).strip() == "0"
        time.sleep(2)
        assert len(worker.mails()) == 4
    finally:
        worker.stop()
    assert sorted(mail["To"] for mail in mails) == [
        "chair@s.example",
        "head@s.example",
        "head@s.example",
        "parent@s.example",
    ]


def test_a_worker_killed_mid_report_leaves_it_to_another_which_makes_it_once(
    redis_server, media_root, tmp_path
):
    redis_server.start()
    env = {"CELERY_BROKER_URL": redis_server.url, "CELERY_VISIBILITY_TIMEOUT": "2"}
    first = WorkerProcess(tmp_path / "first", media_root, **env)
    (tmp_path / "first").mkdir()
    first.start()
    report = AnnualReport.objects.create(school_year=2025)
    run_django(DISPATCH_REPORT.format(pk=report.pk), CELERY_BROKER_URL=redis_server.url)

    deadline = time.monotonic() + 60
    while AnnualReport.objects.get(pk=report.pk).status != AnnualReport.Status.RUNNING:
        assert time.monotonic() < deadline, first.log()
        time.sleep(0.05)
    first.kill()
    assert AnnualReport.objects.get(pk=report.pk).status == AnnualReport.Status.RUNNING

    time.sleep(3)  # past the visibility timeout
    (tmp_path / "second").mkdir()
    second = WorkerProcess(tmp_path / "second", media_root, **env)
    second.start()
    try:
        while not AnnualReport.objects.get(pk=report.pk).is_finished:
            assert time.monotonic() < deadline + 60, second.log()
            time.sleep(0.2)
    finally:
        second.stop()
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DONE, report.error
    assert AnnualReport.objects.count() == 1
    assert report.pdf.read().startswith(b"%PDF")


DISPATCH_REPORT = (
    "from overstone.celery import app; "
    "app.send_task('reporting.tasks.generate_annual_report', args=[{pk}])"
)
