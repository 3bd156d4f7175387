"""The complaint e-mails through a real Celery worker (CI: on Redis)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints import services
from complaints.models import About, StageReminder
from complaints.tasks import remind_overdue_complaints
from complaints.tests.factories import ComplaintFactory
from overstone.models import MonitoredCategory
from overstone.roles import Role
from overstone.tests.factories import UserFactory

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_new_complaint_about_pupils_emails_the_principal_without_names(worker):
    principal = UserFactory(roles=[Role.PRINCIPAL])
    complaint = services.complaint_create(
        actor=UserFactory(roles=[Role.SLT]),
        platform="facebook",
        posted_at=timezone.now() - timedelta(hours=1),
        content="Tommy Atkins in Year 5 is a thief",
        about=About.PUPILS,
        pupils_about="Tommy Atkins",
        category=MonitoredCategory.ALLEGATION_PUPILS,
    )
    [mail] = worker.wait_for_mails(1)
    assert mail["To"] == principal.email
    assert complaint.reference in mail["Subject"]
    body = mail.get_content()
    assert "Tommy" not in body and "Atkins" not in body
    assert complaint.get_absolute_url() in body


def test_daily_reminder_task_reminds_once(worker):
    principal = UserFactory(roles=[Role.PRINCIPAL])
    complaint = ComplaintFactory(stage_due=timezone.localdate() - timedelta(days=1))
    remind_overdue_complaints.delay()
    [mail] = worker.wait_for_mails(1)
    assert mail["To"] == principal.email and "Overdue" in mail["Subject"]
    remind_overdue_complaints.delay()
    remind_overdue_complaints.delay()
    with pytest.raises(AssertionError):
        worker.wait_for_mails(2, timeout=4)
    assert StageReminder.objects.filter(complaint=complaint).count() == 1


def test_a_concern_is_announced_and_its_overdue_reminder_sent_once(worker):
    from complaints.models import Concern
    from complaints.tasks import remind_overdue_concerns

    principal = UserFactory(roles=[Role.PRINCIPAL])
    concern = services.concern_create(
        actor=UserFactory(roles=[Role.PARENT]), subject="Trip", details="Too dear."
    )
    mails = worker.wait_for_mails(2)  # the parent's acknowledgement and the principal's
    assert principal.email in [mail["To"] for mail in mails]
    Concern.objects.filter(pk=concern.pk).update(
        answer_due=timezone.localdate() - timedelta(days=1)
    )
    remind_overdue_concerns.delay()
    remind_overdue_concerns.delay()
    mails = worker.wait_for_mails(3)  # in whatever order the worker's mail files sort
    [reminder] = [mail for mail in mails if "Overdue" in mail["Subject"]]
    assert reminder["To"] == principal.email
    with pytest.raises(AssertionError):
        worker.wait_for_mails(4, timeout=4)
