"""Parent A books the last seat, parent B is waitlisted, A cancels, B is promoted and
gets an e-mail with the .ics attached: real browser, real worker."""

import pytest
from playwright.sync_api import Page, expect

from conftest import browser_log_in
from training.models import Booking, BookingStatus
from training.tests.factories import BookingFactory, ParentFactory, SessionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page: Page, base_url: str, username: str) -> None:
    browser_log_in(page, username, url=f"{base_url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def log_out(page: Page) -> None:
    page.locator("#account-menu").click()
    page.get_by_role("button", name="Log out").click()


def test_last_seat_waitlist_and_promotion(page: Page, live_server, worker):
    session = SessionFactory(title="Keeping children safe online", capacity=3, max_guests=0)
    BookingFactory(session=session, guests=0)
    BookingFactory(session=session, guests=0)
    parent_a = ParentFactory(username="parent-a")
    parent_b = ParentFactory(username="parent-b")

    log_in(page, live_server.url, "parent-a")
    page.get_by_role("link", name="Social-media awareness training").first.click()
    card = page.get_by_test_id("session-card").filter(has_text=session.title)
    expect(card.get_by_test_id("seats-left")).to_have_text("1 seat left")
    card.get_by_role("link", name="Book a place").click()
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_role("status").first).to_contain_text("Your place is booked")
    expect(page.get_by_test_id("booking-status")).to_have_text("Confirmed")
    log_out(page)

    log_in(page, live_server.url, "parent-b")
    page.goto(f"{live_server.url}/training/")
    card = page.get_by_test_id("session-card").filter(has_text=session.title)
    expect(card.get_by_test_id("seats-left")).to_contain_text("Full")
    card.get_by_role("link", name="Join the waitlist").click()
    page.get_by_role("button", name="Join the waitlist").click()
    expect(page.get_by_test_id("booking-status")).to_have_text("On the waitlist")
    log_out(page)
    # B hears they are on the waitlist before a seat comes free (a notice that arrives
    # after the promotion is rightly not sent, and the pages are quick enough for that).
    worker.wait_for_mails(2)

    log_in(page, live_server.url, "parent-a")
    page.goto(f"{live_server.url}/training/")
    page.get_by_role("button", name="Cancel booking").click()
    expect(page.get_by_role("status").first).to_contain_text("is cancelled")
    log_out(page)

    log_in(page, live_server.url, "parent-b")
    page.goto(f"{live_server.url}/training/")
    expect(page.get_by_test_id("booking-status")).to_have_text("Confirmed")
    assert Booking.objects.get(parent=parent_b).status == BookingStatus.CONFIRMED

    # A: confirmed + (no cancellation mail); B: waitlisted + promoted.
    worker.wait_for_mails(3)
    promoted = [
        m for m in worker.mails() if m["To"] == parent_b.email and "came free" in m["Subject"]
    ]
    assert len(promoted) == 1
    (attachment,) = [a for a in promoted[0].iter_attachments()]
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename().endswith(".ics")
    content = attachment.get_content()
    text = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in text and "Keeping children safe online" in text
    assert parent_a.email in {m["To"] for m in worker.mails()}
