"""The e-mail flows on a real Celery worker (CI: on Redis), through the outbox."""

import pytest

from training.models import BookingStatus
from training.services import bookings, parents
from training.tests.factories import ParentFactory, SessionFactory

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def calendar_attachment(message) -> str:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert parts, f"no .ics attached to {message['Subject']}"
    assert parts[0].get_filename() == "overstone-training.ics"
    return (
        parts[0].get_content()
        if isinstance(parts[0].get_content(), str)
        else (parts[0].get_content().decode())
    )


def mails_to(worker, address: str, count: int):
    worker.wait_for_mails(count)
    return [m for m in worker.mails() if m["To"] == address]


def test_confirmation_waitlist_and_promotion_emails(worker):
    session = SessionFactory(capacity=1, title="Evening awareness session")
    first, second = ParentFactory(), ParentFactory()
    booking_a = bookings.booking_create(session=session, parent=first, guests=0, actor=first)
    booking_b = bookings.booking_create(session=session, parent=second, guests=0, actor=second)
    assert (booking_a.status, booking_b.status) == (BookingStatus.CONFIRMED, "waitlisted")

    worker.wait_for_mails(2)
    (confirmation,) = mails_to(worker, first.email, 2)
    assert "Your place is booked" in confirmation["Subject"]
    ics = calendar_attachment(confirmation)
    assert "BEGIN:VEVENT" in ics and "Evening awareness session" in ics
    (waitlisted,) = mails_to(worker, second.email, 2)
    assert "waitlist" in waitlisted["Subject"]

    bookings.booking_cancel(booking=booking_a, actor=first)
    promoted = [m for m in mails_to(worker, second.email, 3) if "came free" in m["Subject"]]
    assert len(promoted) == 1
    assert "BEGIN:VEVENT" in calendar_attachment(promoted[0])


def test_invitation_email_from_the_worker(worker, user_with_role):
    coordinator = user_with_role("coordinator")
    parents.parents_import(
        csv_text="name,email,year_group\nNia Evans,nia@example.org,Year 3\n", actor=coordinator
    )
    (invitation,) = worker.wait_for_mails(1)
    assert invitation["To"] == "nia@example.org"
    assert "/accounts/reset/" in invitation.get_content()
