"""Issue 13, training and the working party: who organises and books sessions, induction
topics that expire, working-party members and what a parent representative may read."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from overstone.roles import Role
from training.models import (
    Booking,
    BookingStatus,
    InductionValidity,
    MeetingAttendee,
    TrainingSession,
)
from training.selectors import staff_for_matrix
from training.services import TrainingError, bookings, working_party
from training.tests.factories import (
    InductionRecordFactory,
    MeetingFactory,
    MemberFactory,
    ParentFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# The principal and SLT organise training; staff book staff sessions
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.SLT])
def test_principal_and_slt_create_a_session(client, user_with_role, role):
    user = user_with_role(role)
    client.force_login(user)
    assert "Training programme" in client.get("/").text
    response = client.post(
        reverse("training:session_create"),
        {
            "title": "Parents online",
            "topics": ["benefits"],
            "audience": "parents",
            "starts_at": (dt.datetime.now() + dt.timedelta(days=9)).strftime("%Y-%m-%dT10:00"),
            "ends_at": (dt.datetime.now() + dt.timedelta(days=9)).strftime("%Y-%m-%dT11:00"),
            "place": "Hall",
            "capacity": "20",
            "max_guests": "1",
            "booking_open": "on",
        },
    )
    assert response.status_code == 302
    assert TrainingSession.objects.get(title="Parents online").created_by == user


def test_staff_see_and_book_staff_sessions_only(client, user_with_role):
    staff = user_with_role(Role.STAFF)
    for_staff = SessionFactory(title="Policy for staff", audience="staff")
    for_parents = SessionFactory(title="Parents evening", audience="parents")
    client.force_login(staff)
    page = client.get(reverse("training:upcoming")).text
    assert "Policy for staff" in page and "Parents evening" not in page
    assert client.get(reverse("training:book", args=[for_parents.pk])).status_code == 404
    client.post(reverse("training:book", args=[for_staff.pk]), {"guests": "0"})
    booking = Booking.objects.get(parent=staff)
    assert booking.status == BookingStatus.CONFIRMED and booking.session == for_staff


def test_parents_cannot_book_staff_sessions_and_staff_cannot_book_parents_ones(user_with_role):
    staff, parent = user_with_role(Role.STAFF), ParentFactory()
    with pytest.raises(TrainingError, match="for parents and carers"):
        bookings.booking_create(session=SessionFactory(), parent=staff, guests=0, actor=staff)
    with pytest.raises(TrainingError, match="for school personnel"):
        bookings.booking_create(
            session=SessionFactory(audience="staff"), parent=parent, guests=0, actor=parent
        )


def test_staff_bookings_have_the_same_waitlist(user_with_role):
    session = SessionFactory(audience="staff", capacity=1)
    first, second = user_with_role(Role.STAFF), user_with_role(Role.COORDINATOR)
    bookings.booking_create(session=session, parent=first, guests=0, actor=first)
    waiting = bookings.booking_create(session=session, parent=second, guests=0, actor=second)
    assert waiting.status == BookingStatus.WAITLISTED
    bookings.booking_cancel(booking=Booking.objects.get(parent=first), actor=first)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED


# ---------------------------------------------------------------------------
# Induction topics that expire
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(("days_later", "expired"), [(1, False), (0, True)])
def test_an_annual_topic_expires_a_year_after_it_was_completed(
    client, user_with_role, days_later, expired
):
    today = timezone.localdate()
    completed_on = today - relativedelta(months=12) + dt.timedelta(days=days_later)
    expires_on = completed_on + relativedelta(months=12)
    InductionValidity.objects.create(topic="e_safety", valid_months=12)
    staff = user_with_role(Role.STAFF, first_name="Kim", last_name="Ash")
    InductionRecordFactory(staff=staff, topic="e_safety", completed_on=completed_on)

    client.force_login(staff)
    page = client.get(reverse("training:induction_mine")).text
    said = ("Expired on " if expired else "Expires on ") + f"{expires_on:%-d %b %Y}"
    assert said in page

    client.force_login(user_with_role(Role.COORDINATOR))
    matrix = client.get(reverse("training:induction_matrix")).text
    assert ('aria-label="expired"' in matrix) is expired
    assert 'aria-label="gap"' in matrix  # the topics never done are shown apart


def test_an_expired_topic_is_a_gap_and_a_current_one_is_not(user_with_role):
    InductionValidity.objects.create(topic="e_safety", valid_months=12)
    staff = user_with_role(Role.STAFF)
    for topic in ("this_policy", "social_networking", "complaints", "home_school_agreement",
                  "communications", "allegations", "equal_opportunities", "inclusion"):  # fmt: skip
        InductionRecordFactory(staff=staff, topic=topic, completed_on=dt.date(2020, 1, 1))
    InductionRecordFactory(staff=staff, topic="e_safety", completed_on=dt.date(2025, 12, 1))
    assert staff not in staff_for_matrix(gaps_only=True, today=dt.date(2026, 11, 30))
    assert staff in staff_for_matrix(gaps_only=True, today=dt.date(2026, 12, 1))


def test_the_coordinator_sets_how_long_a_topic_counts(client, user_with_role):
    client.force_login(user_with_role(Role.COORDINATOR))
    response = client.post(reverse("training:induction_validity"), {"e_safety": "12"})
    assert response.status_code == 302
    assert InductionValidity.objects.get(topic="e_safety").valid_months == 12
    response = client.post(reverse("training:induction_validity"), {"e_safety": "0"})
    assert response.status_code == 200 and "greater than or equal to 1" in response.text


# ---------------------------------------------------------------------------
# Working-party members
# ---------------------------------------------------------------------------
def test_the_principal_adds_a_parent_representative_and_ends_it(client, user_with_role):
    client.force_login(user_with_role(Role.PRINCIPAL))
    parent = ParentFactory(first_name="Pat", last_name="Shah")
    client.post(
        reverse("training:member_list"),
        {"user": parent.pk, "place": "parent_representative", "from_date": "2025-09-01"},
    )
    member = parent.working_party_places.get()
    assert "Pat Shah" in client.get(reverse("training:member_list")).text
    client.post(reverse("training:member_end", args=[member.pk]), {"to_date": "2025-08-01"})
    member.refresh_from_db()
    assert member.to_date is None  # before it started: refused
    client.post(reverse("training:member_end", args=[member.pk]), {"to_date": "2026-07-20"})
    member.refresh_from_db()
    assert member.to_date == dt.date(2026, 7, 20)


def test_a_place_needs_the_matching_role(user_with_role):
    staff = user_with_role(Role.STAFF)
    with pytest.raises(TrainingError, match="cannot be the parent representative"):
        working_party.working_party_member_add(
            user=staff, place="parent_representative", from_date=dt.date(2025, 9, 1), actor=staff
        )


def test_attendees_are_picked_from_members_and_guests_stay_free_text(client, user_with_role):
    client.force_login(user_with_role(Role.COORDINATOR))
    member = MemberFactory(from_date=dt.date(2025, 9, 1), to_date=dt.date(2025, 12, 31))
    data = {
        "school_year": "2025",
        "term": "spring",
        "held_on": "2026-02-04",  # after the membership ended
        "members": [member.pk],
        "others": "Guest Speaker",
    }
    response = client.post(reverse("training:meeting_create"), data)
    assert "was not on the working party" in response.text
    client.post(
        reverse("training:meeting_create"), data | {"term": "autumn", "held_on": "2025-10-08"}
    )
    attendees = MeetingAttendee.objects.order_by("role")
    assert [(a.user, a.role) for a in attendees] == [
        (None, "other"),
        (member.user, "parent_representative"),
    ]


# ---------------------------------------------------------------------------
# A parent representative reads the minutes of their meetings, nothing else
# ---------------------------------------------------------------------------
def test_a_parent_representative_reads_only_their_meetings(client):
    member = MemberFactory()
    theirs = MeetingFactory(minutes="Theirs")
    MeetingAttendee.objects.create(
        meeting=theirs, user=member.user, name="Rep", role="parent_representative"
    )
    other = MeetingFactory(minutes="Not theirs")
    client.force_login(member.user)
    home = client.get("/").text  # the home page and the navigation lead them to it
    assert home.count(f'href="{reverse("training:meeting_list")}"') >= 1
    listing = client.get(reverse("training:meeting_list")).text
    assert str(theirs.pk) in listing and listing.count('data-testid="meeting-row"') == 1
    assert "Theirs" in client.get(reverse("training:meeting_detail", args=[theirs.pk])).text
    assert client.get(reverse("training:meeting_detail", args=[other.pk])).status_code == 404
    for name in ("meeting_update", "action_create"):
        assert client.get(reverse(f"training:{name}", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("training:member_list")).status_code == 403
    assert client.get(reverse("incidents:list")).status_code == 403


def test_a_parent_who_is_not_a_representative_sees_no_minutes(client):
    meeting = MeetingFactory()
    client.force_login(ParentFactory())
    assert reverse("training:meeting_list") not in client.get("/").text
    assert client.get(reverse("training:meeting_list")).status_code == 403
    assert client.get(reverse("training:meeting_detail", args=[meeting.pk])).status_code == 403
