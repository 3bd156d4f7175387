"""overstone.notify: recipients, subjects, attachments, the outbox and the retry policy.

These run the delivery in this process (``sent_mail`` sends what is queued); the real
worker's side is in test_notify_worker.py.
"""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from celery.schedules import crontab
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from overstone.models import Email, OutboxMessage
from overstone.notify import (
    MAX_TRIES,
    email_send,
    emails_in_role,
    emails_purge,
    emails_retry_due,
    notify,
)
from overstone.roles import Role
from overstone.schools import school_scope
from overstone.tasks import purge_old_emails
from overstone.tests.factories import UserFactory, person_at

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db

# E-mail templates are text: each turns autoescaping off, as every app's do.
TEMPLATES = {
    "test/hello_subject.txt": (
        "{% autoescape off %}Hello {{ name }},\n  about\r\n{{ what }}\n{% endautoescape %}"
    ),
    "test/hello_body.txt": (
        "{% autoescape off %}Dear {{ name }}, see {{ what }}.{% endautoescape %}"
    ),
}


@pytest.fixture(autouse=True)
def test_templates(settings):
    """The templates above, besides the project's."""
    engine = {**settings.TEMPLATES[0], "APP_DIRS": False}
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "loaders": [
            ("django.template.loaders.locmem.Loader", TEMPLATES),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    }
    settings.TEMPLATES = [engine]


@pytest.fixture
def smtp_down(settings, tmp_path, monkeypatch):
    """This process's mail server, failing ``count`` times: ``smtp_down(count)``."""
    failures = tmp_path / "smtp-failures"
    monkeypatch.setenv("OVERSTONE_SMTP_FAILURES_FILE", str(failures))
    settings.EMAIL_BACKEND = "overstone.tests.mail.FlakyEmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    return lambda count: failures.write_text(str(count))


def hello(to, **kwargs) -> Email | None:
    return notify("test/hello", {"name": "Sam", "what": "the <policy>"}, to=to, **kwargs)


def test_recipients_by_role_user_and_address_skipping_inactive_and_empty(sent_mail):
    UserFactory(roles=[Role.PRINCIPAL], email="head@school.example")
    UserFactory(roles=[Role.PRINCIPAL], email="deputy@school.example")
    UserFactory(roles=[Role.PRINCIPAL], email="left@school.example", is_active=False)
    UserFactory(roles=[Role.PRINCIPAL], email="")
    UserFactory(roles=[Role.STAFF], email="teacher@school.example")
    parent = UserFactory(roles=[Role.PARENT], email="parent@home.example")
    gone = UserFactory(roles=[Role.PARENT], email="gone@home.example", is_active=False)
    no_address = UserFactory(roles=[Role.PARENT], email="")

    assert emails_in_role(Role.PRINCIPAL) == ["deputy@school.example", "head@school.example"]
    email = hello([Role.PRINCIPAL, parent, gone, no_address, " office@school.example ", "", parent])
    expected = [
        "deputy@school.example",
        "head@school.example",
        "parent@home.example",
        "office@school.example",
    ]
    assert email.to == expected
    [message] = sent_mail
    assert message.to == expected
    assert message.body == "Dear Sam, see the <policy>."  # text: nothing escaped


def test_a_role_is_its_schools_own_the_one_in_scope_or_the_one_named(schools, sent_mail):
    one, two = schools
    person_at(Role.PRINCIPAL, one, email="head@one.example")
    person_at(Role.PRINCIPAL, two, email="head@two.example")
    person_at(Role.STAFF, two, email="teacher@two.example")

    assert emails_in_role(Role.PRINCIPAL, one) == ["head@one.example"]
    assert emails_in_role(Role.PRINCIPAL, two.pk) == ["head@two.example"]
    with school_scope(two):
        assert emails_in_role(Role.PRINCIPAL) == ["head@two.example"]
        hello([Role.PRINCIPAL])
    assert [message.to for message in sent_mail] == [["head@two.example"]]


def test_nobody_to_send_to_queues_nothing(sent_mail):
    UserFactory(roles=[Role.PRINCIPAL], email="")
    assert hello([Role.PRINCIPAL, UserFactory(is_active=False), ""]) is None
    assert not Email.objects.exists() and not OutboxMessage.objects.exists()
    assert len(sent_mail) == 0


def test_line_breaks_never_reach_the_subject(sent_mail):
    email = hello(["a@school.example"])
    assert email.subject == "Hello Sam, about the <policy>"
    assert sent_mail[0].subject == "Hello Sam, about the <policy>"


def test_attachments_arrive_as_given(sent_mail):
    hello(
        ["a@school.example"],
        attachments=[
            ("session.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"),
            ("scan.png", b"\x89PNG\r\n\x1a\n\x00\xff", "image/png"),
        ],
    )
    [message] = sent_mail
    assert message.attachments == [
        ("session.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"),
        ("scan.png", b"\x89PNG\r\n\x1a\n\x00\xff", "image/png"),
    ]


def test_written_in_the_callers_transaction_and_queued_after_commit(
    django_capture_on_commit_callbacks,
):
    with pytest.raises(RuntimeError), transaction.atomic():
        hello(["a@school.example"])
        raise RuntimeError("the change fails")
    assert not Email.objects.exists() and not OutboxMessage.objects.exists()

    with django_capture_on_commit_callbacks() as callbacks:
        email = hello(["a@school.example"])
    assert len(callbacks) == 1  # the dispatch, once the caller commits
    message = OutboxMessage.objects.get()
    assert (message.task_name, message.args) == ("overstone.tasks.send_email", [email.pk])


def test_a_failed_try_is_retried_after_a_back_off_and_sent_once(smtp_down, tmp_path):
    smtp_down(2)
    email = hello(["a@school.example"])
    started = timezone.now()
    assert email_send(email_id=email.pk) is False
    email.refresh_from_db()
    assert (email.status, email.tries) == (Email.Status.PENDING, 1)
    assert "SMTPServerDisconnected" in email.last_error
    assert started + timedelta(seconds=50) < email.next_try_at < started + timedelta(seconds=70)

    # Not due yet: the sweep leaves it; due: it queues one more try.
    OutboxMessage.objects.all().delete()
    assert emails_retry_due(now=email.next_try_at - timedelta(seconds=1)) == 0
    assert emails_retry_due(now=email.next_try_at) == 1
    assert OutboxMessage.objects.get().args == [email.pk]

    assert email_send(email_id=email.pk) is False  # second failure: two minutes now
    email.refresh_from_db()
    assert email.tries == 2 and email.next_try_at > timezone.now() + timedelta(seconds=110)
    assert email_send(email_id=email.pk) is True  # the server is back
    email.refresh_from_db()
    assert (email.status, email.tries, email.last_error) == (Email.Status.SENT, 3, "")
    assert (email.body, email.attachments) == ("", [])  # no set-password link kept
    # A retry or a task delivered twice finds it sent.
    assert email_send(email_id=email.pk) is False
    assert emails_retry_due(now=timezone.now() + timedelta(days=1)) == 0
    [written] = (tmp_path / "mail").glob("*.log")
    assert written.read_text().count("Subject: Hello Sam") == 1


def test_after_max_tries_it_is_failed_and_listed_for_the_principal(
    smtp_down, client, user_with_role
):
    smtp_down(MAX_TRIES)
    email = hello(["parent@home.example"])
    for _ in range(MAX_TRIES - 1):
        assert email_send(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == Email.Status.PENDING and email.failed_at is None

    client.force_login(user_with_role("principal"))
    assert "Every e-mail has been sent" in client.get(reverse("failed_emails")).text
    assert 'data-testid="failed-emails"' not in client.get(reverse("reporting:dashboard")).text

    assert email_send(email_id=email.pk) is False
    email.refresh_from_db()
    assert (email.status, email.tries) == (Email.Status.FAILED, MAX_TRIES)
    assert emails_retry_due(now=timezone.now() + timedelta(days=1)) == 0
    page = client.get(reverse("failed_emails")).text
    assert "Hello Sam, about the &lt;policy&gt;" in page and "parent@home.example" in page
    assert "SMTPServerDisconnected" in page
    dashboard = client.get(reverse("reporting:dashboard")).text
    assert "1 e-mail</strong> could not be sent" in dashboard

    # SLT see the dashboard, not the count nor the list.
    client.force_login(user_with_role("slt"))
    assert "could not be sent" not in client.get(reverse("reporting:dashboard")).text
    assert client.get(reverse("failed_emails")).status_code == 403


def test_sent_emails_are_deleted_after_90_days_failed_ones_after_a_year(client, user_with_role):
    now = timezone.now()
    days = timedelta(days=1)
    emails = {name: hello([f"{name}@home.example"]) for name in (
        "sent89", "sent91", "failed364", "failed366", "pending"
    )}  # fmt: skip
    Email.objects.filter(pk=emails["sent89"].pk).update(status="sent", sent_at=now - 89 * days)
    Email.objects.filter(pk=emails["sent91"].pk).update(status="sent", sent_at=now - 91 * days)
    for name, age in (("failed364", 364), ("failed366", 366)):
        Email.objects.filter(pk=emails[name].pk).update(status="failed", failed_at=now - age * days)
    Email.objects.filter(pk=emails["pending"].pk).update(created_at=now - 400 * days)

    assert emails_purge(now=now) == 2
    kept = sorted(to for [to] in Email.objects.values_list("to", flat=True))
    assert kept == ["failed364@home.example", "pending@home.example", "sent89@home.example"]
    client.force_login(user_with_role("principal"))
    page = client.get(reverse("failed_emails")).text
    assert "failed364@home.example" in page and "failed366@home.example" not in page
    assert emails_purge(now=now) == 0


def test_the_periods_are_settings_and_the_purge_runs_daily(settings):
    settings.OVERSTONE_EMAIL_RETENTION_DAYS = {"sent": 10, "failed": 20}
    email = hello(["parent@home.example"])
    Email.objects.filter(pk=email.pk).update(
        status="sent", sent_at=timezone.now() - timedelta(days=11)
    )
    assert emails_purge() == 1
    beat = settings.CELERY_BEAT_SCHEDULE.values()
    schedule = {entry["task"]: entry["schedule"] for entry in beat}
    assert schedule[purge_old_emails.name] == crontab(hour=5, minute=30)


MAIL_MODULES = ("django.core.mail", "smtplib")


def test_email_is_only_sent_through_notify():
    """An e-mail sent another way would skip the outbox, the retries and the list of
    failed ones (issue 12): only overstone/notify.py imports Django's mail or smtplib."""
    senders = []
    folders = [path for path in ROOT.iterdir() if path.is_dir() and path.name[0] not in "._"]
    for path in (path for folder in folders for path in folder.rglob("*.py")):
        if "tests" in path.parts or path == ROOT / "overstone" / "notify.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            if any(name.startswith(MAIL_MODULES) for name in names):
                senders.append(str(path.relative_to(ROOT)))
    assert senders == []
