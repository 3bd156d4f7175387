"""The kernel's own records are kept per school: the audit log, the e-mails (and the
failed e-mails page), the imports and the record links."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopeError, scope

from overstone.models import (
    AppendOnlyError,
    AuditLogEntry,
    Email,
    ImportJob,
    OutboxMessage,
    RecordLink,
    School,
)
from overstone.roles import Role
from overstone.schools import default_school, school_scope
from overstone.tasks import report_evidence_orphans, retry_emails
from overstone.tests.factories import UserFactory
from reporting.models import AnnualReport
from reporting.tests.factories import AnnualReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools() -> tuple[School, School]:
    one = default_school()
    return one, School.objects.create(trust=one.trust, name="Two", code="TWO")


def person(role: Role, school: School, **fields):
    with school_scope(school):
        return UserFactory(roles=[role], **fields)


def add_policy(client, owner, title: str) -> None:
    form = {"title": title, "version": "1.0", "owner": owner.pk, "review_due": "2027-09-01"}
    form["review_every_months"] = 6
    response = client.post(reverse("reporting:policy_create"), form, follow=True)
    assert f"{title} saved." in response.text


def test_each_principal_reads_the_audit_log_of_their_school(client, schools):
    one, two = schools
    ours, theirs = person(Role.PRINCIPAL, one), person(Role.PRINCIPAL, two)
    client.force_login(theirs)
    add_policy(client, theirs, "Written At Two")
    [entry] = AuditLogEntry.objects.filter(user=theirs)
    assert entry.school == two  # written in the request: its school's

    client.force_login(ours)
    add_policy(client, ours, "Written At One")
    page = client.get(reverse("audit_log"))
    assert "Written At One" in page.text and "Written At Two" not in page.text
    people = set(page.context["filter"].form.fields["user"].queryset)
    assert people == {ours}


def test_the_audit_log_stays_append_only(schools):
    with school_scope(schools[1]):
        UserFactory()
        entries = AuditLogEntry.objects.all()
        with pytest.raises(AppendOnlyError):
            entries.update(username="someone else")
        with pytest.raises(AppendOnlyError):
            entries.delete()


def failed_email(school: School, subject: str) -> Email:
    with school_scope(school):
        return Email.objects.create(
            template="t", to=["x@example.org"], subject=subject, body="", tries=8,
            status=Email.Status.FAILED, failed_at=timezone.now(), next_try_at=timezone.now(),
        )  # fmt: skip


def test_each_principal_lists_the_failed_emails_of_their_school(client, schools):
    one, two = schools
    failed_email(one, "Lost At One")
    failed_email(two, "Lost At Two")
    client.force_login(person(Role.PRINCIPAL, two))
    page = client.get(reverse("failed_emails")).text
    assert "Lost At Two" in page and "Lost At One" not in page
    dashboard = client.get(reverse("reporting:dashboard")).text
    assert "1 e-mail</strong> could not be sent" in dashboard


def test_emails_are_tried_again_in_their_own_school(schools):
    one, two = schools
    for school in schools:
        with school_scope(school):
            Email.objects.create(
                template="t", to=["x@example.org"], subject="Again", body="b",
                next_try_at=timezone.now() - timezone.timedelta(minutes=1),
            )  # fmt: skip
    OutboxMessage.objects.all().delete()

    assert retry_emails() == 2

    queued = OutboxMessage.objects.filter(task_name="overstone.tasks.send_email")
    assert sorted(message.school_id for message in queued) == [one.pk, two.pk]


def test_another_schools_import_is_not_found_and_does_not_block_ours(client, schools):
    one, two = schools
    with school_scope(two):
        theirs = ImportJob.objects.create(kind=ImportJob.Kind.FILTER_ALERTS)
    with school_scope(one):
        ours = ImportJob.objects.create(kind=ImportJob.Kind.FILTER_ALERTS)  # both unfinished
    client.force_login(person(Role.PRINCIPAL, one))
    assert client.get(reverse("incidents:import_job", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("incidents:import_job", args=[ours.pk])).status_code == 200


def test_a_file_of_any_schools_record_is_no_orphan_and_every_principal_is_told(
    settings, tmp_path, schools, sent_mail
):
    settings.MEDIA_ROOT = media = tmp_path / "media"
    one, two = schools
    person(Role.PRINCIPAL, one, email="head@one.example")
    person(Role.PRINCIPAL, two, email="head@two.example")
    for name in ("reports/theirs.pdf", "reports/left-behind.pdf"):
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        Path(media / name).write_bytes(b"%PDF")
    with school_scope(two):
        AnnualReportFactory(status=AnnualReport.Status.DONE, pdf="reports/theirs.pdf")

    assert report_evidence_orphans() == 1

    assert sorted(message.to[0] for message in sent_mail) == [
        "head@one.example",
        "head@two.example",
    ]


def test_kernel_records_are_not_read_outside_a_school(schools):
    for model in (AuditLogEntry, Email, ImportJob, RecordLink):
        with pytest.raises(ScopeError), scope():
            model.objects.count()
