import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from incidents.models import Evidence, Incident
from overstone.roles import Role, user_roles
from pupils.models import Pupil
from reporting.models import AnnualReport, PolicyDocument

DEMO_MODELS = [Incident, Evidence, PolicyDocument, AnnualReport, Pupil]


def references_in(text: str) -> set[str]:
    """The whole references a text names (with a school's code, if it has one)."""
    return set(re.findall(r"[A-Z]+(?:-[A-Z0-9]+)+", text))


def test_seed_demo_is_idempotent_and_gives_every_role_a_login(db):
    call_command("seed_demo", password="pw-for-this-test")
    counts = {model: model.objects.count() for model in DEMO_MODELS}
    call_command("seed_demo", password="pw-for-this-test")
    assert {model: model.objects.count() for model in DEMO_MODELS} == counts
    assert all(counts.values())
    users = get_user_model().objects.filter(username__in=Role.values)
    assert users.count() == len(Role)
    for user in users:
        assert user.check_password("pw-for-this-test")
        assert user_roles(user) == {Role(user.username)}


def test_demo_complaints_finish_after_they_were_posted_and_long_finished_ones_ask_no_one(db):
    from django.db.models import F

    from complaints.models import OnlineComplaint
    from overstone.celery import app as celery_app
    from overstone.models import Email, OutboxMessage

    call_command("seed_demo", password="pw-for-this-test")
    finished = OnlineComplaint.objects.filter(finished_at__isnull=False)
    assert finished.count() >= 10
    assert not finished.filter(finished_at__lt=F("posted_at")).exists()
    assert not finished.filter(finished_at__lt=F("created_at")).exists()

    celery_app.loader.import_default_modules()  # run the queued e-mails, as the worker would
    for message in OutboxMessage.objects.filter(task_name__startswith="complaints.tasks.email"):
        task = celery_app.tasks[message.task_name]  # in the school that queued it
        task.apply(args=message.args, headers={"school_id": message.school_id}).get()
    subjects = list(Email.objects.values_list("subject", flat=True))
    needs_you = " ".join(s for s in subjects if "needs you" in s)
    escalated = " ".join(s for s in subjects if "has reached the chair of governors" in s)
    long_finished = finished.exclude(finished_at__date=F("created_at__date"))
    assert long_finished.filter(escalated_at__isnull=False).exists()
    named = references_in(needs_you + " " + escalated)  # KMS-CMP-… is not CMP-…
    for complaint in finished:  # long finished, or finished as it was seeded
        assert complaint.reference not in named
    assert needs_you  # the demo's open complaints still reach the principal
    assert escalated  # and those open at the chair's meeting the chair


def test_demo_incidents_are_closed_after_they_occurred(db):
    from django.db.models import F

    call_command("seed_demo", password="pw-for-this-test")
    closed = Incident.objects.filter(status=Incident.Status.CLOSED)
    assert closed.count() > 100
    assert not closed.filter(closed_at__lt=F("occurred_at")).exists()


def test_closed_demo_incidents_alert_no_one_the_open_ones_still_do(db):
    from datetime import timedelta

    from django.utils import timezone

    from incidents.alerts import alert_digest_send
    from overstone.celery import app as celery_app
    from overstone.models import Email, OutboxMessage
    from overstone.schools import school_scope

    call_command("seed_demo", password="pw-for-this-test")
    celery_app.loader.import_default_modules()  # run the queued alerts, as the worker would
    for message in OutboxMessage.objects.filter(task_name="incidents.tasks.announce_incident"):
        task = celery_app.tasks[message.task_name]  # in the school that queued it
        task.apply(args=message.args, headers={"school_id": message.school_id}).get()
    principal = get_user_model().objects.get(username=Role.PRINCIPAL)
    with school_scope(message.school_id):
        alert_digest_send(user_id=principal.pk, now=timezone.now() + timedelta(hours=1))
    sent = " ".join(Email.objects.values_list("subject", flat=True))
    sent += " ".join(Email.objects.values_list("body", flat=True))
    closed = Incident.objects.filter(status=Incident.Status.CLOSED)
    assert closed.count() > 100
    named = references_in(sent)  # RVA-INC-… is not INC-…
    assert not [incident.reference for incident in closed if incident.reference in named]
    still_open = Incident.objects.exclude(status=Incident.Status.CLOSED)
    assert any(incident.reference in named for incident in still_open)


def test_what_the_demo_makes_while_seeding_names_the_demo_school(db):
    """The demo school is named before the apps seed: the annual report made while seeding
    does not print the default name in its footer."""
    import io

    from pypdf import PdfReader

    call_command("seed_demo", password="pw-for-this-test")
    report = AnnualReport.objects.get()
    assert report.school.name == "Overstone Park School"
    with report.pdf.open("rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Overstone Park School" in text
    assert "Overstone School" not in text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics of PostgreSQL's planner")
def test_the_demo_is_seeded_with_statistics_to_plan_with(db):
    call_command("seed_demo", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'pupils_pupil'")
        assert cursor.fetchone()[0] > 0  # -1: never analysed
