import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from overstone.roles import Role
from overstone.tests.imports import import_through_the_page
from training.models import (
    ActionItem,
    Booking,
    BookingStatus,
    InductionRecord,
    InductionTopic,
    MeetingAttendee,
    ParentProfile,
    TrainingSession,
    WorkingPartyMeeting,
    WorkingPartyRole,
)
from training.tests.factories import (
    ActionItemFactory,
    BookingFactory,
    InductionRecordFactory,
    MeetingFactory,
    MemberFactory,
    ParentFactory,
    ParentProfileFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client, user_with_role):
    client.force_login(user_with_role(Role.COORDINATOR))
    return client


@pytest.fixture
def parent(user_with_role):
    return ParentFactory()


@pytest.fixture
def parent_client(client, parent):
    client.force_login(parent)
    return client


def test_parent_books_sees_it_and_cancels(parent_client, parent):
    session = SessionFactory(capacity=5)
    page = parent_client.get(reverse("training:upcoming"))
    assert "5 seats left" in page.content.decode()
    response = parent_client.post(reverse("training:book", args=[session.pk]), {"guests": "1"})
    assert response.status_code == 302
    booking = Booking.objects.get(parent=parent)
    assert (booking.status, booking.guests) == (BookingStatus.CONFIRMED, 1)
    page = parent_client.get(reverse("training:upcoming")).content.decode()
    assert "3 seats left" in page and "Cancel booking" in page
    parent_client.post(reverse("training:booking_cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_too_many_guests_keeps_the_form_and_says_why(parent_client):
    session = SessionFactory(max_guests=1)
    response = parent_client.post(reverse("training:book", args=[session.pk]), {"guests": "4"})
    assert response.status_code == 200
    assert "less than or equal to 1" in response.content.decode()
    assert response.context["form"].data["guests"] == "4"
    assert not Booking.objects.exists()


def test_booking_twice_is_told_on_the_form(parent_client, parent):
    session = SessionFactory()
    BookingFactory(session=session, parent=parent)
    response = parent_client.post(reverse("training:book", args=[session.pk]), {"guests": "0"})
    assert response.status_code == 200
    assert "already booked" in response.content.decode()


def test_a_full_session_offers_the_waitlist(parent_client):
    session = SessionFactory(capacity=1)
    BookingFactory(session=session)
    page = parent_client.get(reverse("training:book", args=[session.pk])).content.decode()
    assert "Join the waitlist" in page
    parent_client.post(reverse("training:book", args=[session.pk]), {"guests": "0"})
    assert Booking.objects.filter(status=BookingStatus.WAITLISTED).count() == 1


def test_a_parent_cannot_cancel_someone_elses_booking(parent_client):
    other = BookingFactory()
    response = parent_client.post(reverse("training:booking_cancel", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == BookingStatus.CONFIRMED


def test_parents_do_not_see_staff_or_cancelled_sessions(parent_client):
    SessionFactory(title="For staff", audience="staff")
    SessionFactory(title="Called off", status="cancelled")
    SessionFactory(title="For parents")
    page = parent_client.get(reverse("training:upcoming")).content.decode()
    assert "For parents" in page and "For staff" not in page and "Called off" not in page
    staff_only = TrainingSession.objects.get(title="For staff")
    assert parent_client.get(reverse("training:book", args=[staff_only.pk])).status_code == 404


def test_coordinator_creates_a_session_and_errors_keep_what_was_typed(coordinator_client):
    start = timezone.localtime() + dt.timedelta(days=10)
    data = {
        "title": "Evening session",
        "topics": ["benefits", "monitor_children"],
        "audience": "parents",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "",
        "online_link": "",
        "capacity": "12",
        "max_guests": "2",
        "booking_open": "on",
    }
    response = coordinator_client.post(reverse("training:session_create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "must end after it starts" in page and "Give a place" in page
    assert 'value="Evening session"' in page
    data |= {"ends_at": (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}
    data |= {"place": "Library"}
    response = coordinator_client.post(reverse("training:session_create"), data)
    session = TrainingSession.objects.get()
    assert response["Location"] == reverse("training:session_detail", args=[session.pk])
    assert session.topics == ["benefits", "monitor_children"]
    assert list(session.events.values_list("kind", "summary")) == [("created", "Evening session")]


def test_a_session_title_on_two_lines_is_a_form_error(coordinator_client):
    start = timezone.localtime() + dt.timedelta(days=10)
    data = {
        "title": "Evening\r\nsession",
        "topics": ["benefits"],
        "audience": "parents",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Library",
        "capacity": "12",
        "max_guests": "2",
    }
    response = coordinator_client.post(reverse("training:session_create"), data)
    assert response.status_code == 200
    assert "Use one line, with no line breaks." in response.text
    assert not TrainingSession.objects.exists()
    response = coordinator_client.post(
        reverse("training:session_create"), data | {"title": "Evening session"}
    )
    assert TrainingSession.objects.get().title == "Evening session"


def test_session_edit_below_confirmed_seats_is_a_form_error(coordinator_client):
    session = SessionFactory(capacity=3)
    BookingFactory(session=session, guests=1)
    start = timezone.localtime(session.starts_at)
    data = {
        "title": session.title,
        "topics": session.topics,
        "audience": "parents",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Hall",
        "capacity": "1",
        "max_guests": "2",
    }
    response = coordinator_client.post(reverse("training:session_update", args=[session.pk]), data)
    assert response.status_code == 200
    assert "2 seats are already confirmed" in response.content.decode()
    session.refresh_from_db()
    assert session.capacity == 3


def test_cancel_session_is_post_only_and_tells_everyone(coordinator_client):
    session = SessionFactory()
    BookingFactory(session=session)
    url = reverse("training:session_cancel", args=[session.pk])
    assert coordinator_client.get(url).status_code == 405
    coordinator_client.post(url, {"reason": "x" * 501})
    session.refresh_from_db()
    assert not session.is_cancelled  # a reason too long is an error, not a silent cancel
    coordinator_client.post(url, {"reason": "Heating broken"})
    session.refresh_from_db()
    assert session.is_cancelled
    assert not session.bookings.exclude(status=BookingStatus.CANCELLED).exists()


def test_attendance_marking_and_csv_export(coordinator_client):
    session = SessionFactory()
    came = BookingFactory(session=session, guests=1)
    missed = BookingFactory(session=session)
    BookingFactory(session=session, status=BookingStatus.CANCELLED)
    coordinator_client.post(
        reverse("training:attendance_mark", args=[came.pk]), {"attended": "yes"}
    )
    coordinator_client.post(
        reverse("training:attendance_mark", args=[missed.pk]), {"attended": "no"}
    )
    response = coordinator_client.get(reverse("training:attendance_csv", args=[session.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert {(r["email"], r["status"], r["adults"]) for r in rows} == {
        (came.parent.email, "Attended", "2"),
        (missed.parent.email, "Did not attend", "1"),
    }


def test_csv_import_through_the_form(coordinator_client):
    url = reverse("training:parent_import")
    bad = b"name,email,year_group\nA B,not-an-email,Year 1\n"
    response = import_through_the_page(coordinator_client, url, bad)
    assert "Nothing was imported" in response.text and "Line 2: " in response.text
    good = "name,email,year_group\nZoë Brontë,zoe@example.org,Year 1\n".encode()
    response = import_through_the_page(coordinator_client, url, good)
    assert "Imported. 1 parent(s) added" in response.text
    assert ParentProfile.objects.get().user.first_name == "Zoë"
    latin1 = "name,email,year_group\nZoë,z@x.org,1\n".encode("latin-1")
    response = import_through_the_page(coordinator_client, url, latin1)
    assert response.status_code == 200 and "not UTF-8" in response.text


def test_add_one_parent(coordinator_client):
    data = {"first_name": "Ada", "last_name": "King", "email": "ada@example.org"}
    response = coordinator_client.post(reverse("training:parent_create"), data)
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    coordinator_client.post(reverse("training:parent_create"), data | {"year_group": "Year 2"})
    response = coordinator_client.post(
        reverse("training:parent_create"), data | {"year_group": "Year 2"}
    )
    assert "already an account" in response.content.decode()
    assert ParentProfile.objects.count() == 1


def test_staff_record_induction_and_coordinator_confirms_in_the_matrix(client, user_with_role):
    staff = user_with_role(Role.STAFF, first_name="Kim", last_name="Staff")
    client.force_login(staff)
    day = timezone.localdate() - dt.timedelta(days=1)
    client.post(
        reverse("training:induction_mine"),
        {"topic": InductionTopic.COMPLAINTS, "completed_on": day.isoformat()},
    )
    record = InductionRecord.objects.get(staff=staff)
    future = {"topic": "inclusion", "completed_on": (day + dt.timedelta(days=5)).isoformat()}
    response = client.post(reverse("training:induction_mine"), future)
    assert "cannot be in the future" in response.content.decode()
    client.force_login(user_with_role(Role.COORDINATOR))
    page = client.get(reverse("training:induction_matrix") + "?gaps=1").content.decode()
    assert "Kim Staff" in page and "Confirm" in page
    client.post(
        reverse("training:induction_confirm", args=[record.pk]), {"next": "https://evil.example/"}
    )
    record.refresh_from_db()
    assert record.is_confirmed


def test_minutes_script_is_never_served_as_markup(client, user_with_role):
    meeting = MeetingFactory(
        minutes="Agreed **this**.\n\n<script>alert('minutes')</script>\n<b onclick=x()>b</b>"
    )
    client.force_login(user_with_role(Role.GOVERNOR))
    page = client.get(reverse("training:meeting_detail", args=[meeting.pk])).content.decode()
    assert "<strong>this</strong>" in page
    assert "<script>alert" not in page and "onclick" not in page


def test_meeting_create_with_prefilled_agenda_and_actions(client, user_with_role):
    principal = user_with_role(Role.PRINCIPAL)
    client.force_login(principal)
    earlier = MeetingFactory(held_on=dt.date(2025, 10, 8))
    ActionItemFactory(meeting=earlier, description="Still open")
    form_page = client.get(reverse("training:meeting_create"))
    assert "Still open" in form_page.context["form"].initial["agenda"]
    representatives = [MemberFactory(from_date=dt.date(2025, 9, 1)) for _ in range(2)]
    data = {
        "school_year": "2025",
        "term": "spring",
        "held_on": "2025-11-05",  # autumn: refused with a reason
        "members": [m.pk for m in representatives],
        "others": "",
        "agenda": "1. Training",
        "minutes": "# Notes",
        "decisions": "One\nTwo",
    }
    response = client.post(reverse("training:meeting_create"), data)
    assert response.status_code == 200 and "autumn term" in response.content.decode()
    client.post(reverse("training:meeting_create"), data | {"held_on": "2026-02-04"})
    meeting = WorkingPartyMeeting.objects.get(term="spring")
    assert (
        MeetingAttendee.objects.filter(
            meeting=meeting, role=WorkingPartyRole.PARENT_REPRESENTATIVE
        ).count()
        == 2
    )
    assert meeting.decision_lines == ["One", "Two"]
    detail = client.get(reverse("training:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Still open" in detail  # carried over
    client.post(
        reverse("training:action_create", args=[meeting.pk]),
        {"description": "Book the hall", "owner": principal.pk, "due_on": "2026-03-01"},
    )
    action = ActionItem.objects.get(description="Book the hall")
    client.post(reverse("training:action_done", args=[action.pk]))
    action.refresh_from_db()
    assert action.is_done


def test_governors_read_but_do_not_edit_minutes(client, user_with_role):
    meeting = MeetingFactory()
    client.force_login(user_with_role(Role.GOVERNOR))
    page = client.get(reverse("training:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Edit" not in page and "Add an action" not in page
    assert client.post(reverse("training:meeting_update", args=[meeting.pk])).status_code == 403


# ---------------------------------------------------------------------------
# Query counts do not grow with the rows on a page
# ---------------------------------------------------------------------------
def _sessions(n):
    for _ in range(n):
        session = SessionFactory()
        BookingFactory(session=session)
        BookingFactory(session=session, status=BookingStatus.WAITLISTED)


def _parents(n):
    for _ in range(n):
        BookingFactory(parent=ParentProfileFactory().user)


def _meetings(n):
    for _ in range(n):
        ActionItemFactory(meeting=MeetingFactory())


def _staff(n, user_with_role):
    for _ in range(n):
        InductionRecordFactory(staff=user_with_role(Role.STAFF))


LIST_PAGES = [
    ("training:session_list", Role.COORDINATOR, _sessions),
    ("training:upcoming", Role.PARENT, _sessions),
    ("training:parent_list", Role.COORDINATOR, _parents),
    ("training:meeting_list", Role.GOVERNOR, _meetings),
    ("training:induction_matrix", Role.COORDINATOR, None),
]


@pytest.mark.parametrize(("url_name", "role", "make"), LIST_PAGES)
def test_list_query_counts_do_not_grow_with_rows(
    client, user_with_role, django_assert_max_num_queries, url_name, role, make
):
    viewer = user_with_role(role)
    if role == Role.PARENT:
        ParentProfileFactory(user=viewer)
    client.force_login(viewer)
    counts = []
    for size in (2, 15):
        if make is None:
            _staff(size, user_with_role)
        else:
            make(size)
        with django_assert_max_num_queries(12) as captured:
            response = client.get(reverse(url_name))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_illegal_booking_and_session_moves_are_messages_on_the_session_page(coordinator_client):
    session = SessionFactory()
    waiting = BookingFactory(session=session, status=BookingStatus.WAITLISTED)
    page = reverse("training:session_detail", args=[session.pk])
    response = coordinator_client.post(
        reverse("training:attendance_mark", args=[waiting.pk]), {"attended": "yes"}, follow=True
    )
    assert response.redirect_chain[-1][0] == page
    assert [str(m) for m in response.context["messages"]] == [
        "The booking is “On the waitlist”; it cannot move to “Attended”. "
        "Next it can go to “Confirmed”, “Cancelled”."
    ]
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.WAITLISTED

    url = reverse("training:session_cancel", args=[session.pk])
    coordinator_client.post(url, {"reason": "Snow"})
    response = coordinator_client.post(url, {"reason": "Again"}, follow=True)
    assert response.redirect_chain[-1][0] == page
    assert [str(m) for m in response.context["messages"]][-1] == (
        f"“{session.title}” is cancelled and can no longer be changed."
    )
    history = response.content.decode()
    assert history.count("Cancelled · status: scheduled → cancelled · Snow") == 1
