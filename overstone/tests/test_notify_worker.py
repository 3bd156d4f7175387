"""E-mails through the real Celery worker while its mail server is down (issue 12's
"Done when"): each is delivered once when the server recovers, and one that never gets
through is listed for the principal."""

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from complaints import services as complaints
from complaints.models import About
from overstone.celery import app as celery_app
from overstone.models import Email, MonitoredCategory
from overstone.notify import MAX_TRIES, emails_retry_due
from overstone.roles import Role
from overstone.tests.factories import UserFactory
from training.models import ParentInvitation
from training.services import bookings, parents
from training.tests.factories import ParentFactory, SessionFactory

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def wait_for(worker, what: str, predicate, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"waited for {what}; worker log:\n{worker.log()}"
        time.sleep(0.2)


def retry_now() -> int:
    """The beat task's sweep, as if the back-off were over."""
    with transaction.atomic():
        return emails_retry_due(now=timezone.now() + timedelta(days=1))


def test_booking_invitation_and_complaint_emails_are_each_delivered_once_smtp_recovers(
    worker,
):
    worker.smtp_failures(1_000_000)
    UserFactory(roles=[Role.PRINCIPAL], email="head@school.example")
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    parent = ParentFactory(email="booker@home.example")
    session = SessionFactory(title="Staying safe online")
    booking = bookings.booking_create(session=session, parent=parent, guests=0, actor=parent)
    invited, _ = parents.parent_create(
        first_name="Nia",
        last_name="Hale",
        email="nia@home.example",
        year_group="Year 2",
        actor=coordinator,
    )
    complaint = complaints.complaint_create(
        actor=UserFactory(roles=[Role.SLT]),
        platform="facebook",
        posted_at=timezone.now() - timedelta(hours=1),
        content="The school is a disgrace",
        about=About.SCHOOL,
        category=MonitoredCategory.COMPLAINT_SCHOOL,
    )
    tried = Email.objects.filter(tries__gte=1)
    wait_for(worker, "three failed tries", lambda: tried.count() == 3)
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.PENDING}
    assert worker.mails() == []

    worker.smtp_failures(0)
    assert retry_now() == 3
    mails = worker.wait_for_mails(3)
    by_address = {mail["To"]: mail for mail in mails}
    assert set(by_address) == {"booker@home.example", "nia@home.example", "head@school.example"}
    assert (
        by_address["booker@home.example"]["Subject"] == "Your place is booked: Staying safe online"
    )
    [ics] = by_address["booker@home.example"].iter_attachments()
    assert ics.get_filename() == "overstone-training.ics"
    assert "choose a password" in by_address["nia@home.example"]["Subject"]
    assert complaint.reference in by_address["head@school.example"]["Subject"]

    # Sent once: neither the sweep, nor each e-mail's task delivered again, nor the
    # deciding tasks run again send anything more.
    assert retry_now() == 0
    for email in Email.objects.all():
        celery_app.send_task("overstone.tasks.send_email", args=[email.pk])
    invitation = ParentInvitation.objects.get(user=invited)
    celery_app.send_task("training.tasks.send_booking_notice", args=[booking.pk, "confirmed"])
    celery_app.send_task("training.tasks.send_parent_invitation", args=[invitation.pk])
    celery_app.send_task("complaints.tasks.email_complaint_reported", args=[complaint.pk])
    with pytest.raises(AssertionError):
        worker.wait_for_mails(4, timeout=6)
    assert list(Email.objects.values_list("status", "tries")) == [(Email.Status.SENT, 2)] * 3


def test_an_email_that_never_gets_through_is_listed_for_the_principal(worker, client):
    worker.smtp_failures(1_000_000)
    # Without an address the principal is not told of the concern: only the parent's
    # acknowledgement is queued.
    principal = UserFactory(roles=[Role.PRINCIPAL], email="")
    parent = ParentFactory(email="worried@home.example")
    complaints.concern_create(actor=parent, subject="Photos", details="Of my child online.")
    wait_for(worker, "the acknowledgement", lambda: Email.objects.filter(tries=1).exists())
    for tries in range(2, MAX_TRIES + 1):
        assert retry_now() == 1
        wait_for(worker, f"try {tries}", lambda n=tries: Email.objects.filter(tries=n).exists())
    email = Email.objects.get()
    assert email.status == Email.Status.FAILED and worker.mails() == []
    assert retry_now() == 0

    client.force_login(principal)
    page = client.get(reverse("failed_emails")).text
    assert "worried@home.example" in page and email.subject in page
    assert "1 e-mail</strong> could not be sent" in client.get(reverse("reporting:dashboard")).text
