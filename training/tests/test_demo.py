from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.selectors import school_calendar
from overstone.management.commands.seed_demo import demo_people
from overstone.roles import Role
from training import demo
from training.models import (
    Booking,
    BookingStatus,
    TrainingSession,
    WorkingPartyMeeting,
    WorkingPartyMember,
)


def test_demo_has_past_upcoming_full_sessions_and_three_terms_of_minutes(db):
    people = demo_people("pw-for-this-test")
    demo.seed(people)
    demo.seed(people)
    assert TrainingSession.objects.count() == len(demo.SESSIONS) + len(demo.STAFF_SESSIONS) == 9
    assert Booking.objects.filter(status=BookingStatus.WAITLISTED).count() == 2
    assert Booking.objects.filter(status=BookingStatus.ATTENDED).exists()
    meetings = WorkingPartyMeeting.objects.all()
    assert meetings.count() == 3
    assert all(meeting.minutes for meeting in meetings)
    assert len({(m.school_year, m.term) for m in meetings}) == 3


@pytest.mark.parametrize(
    "today", [date(2026, 12, 1), date(2026, 12, 19), date(2027, 7, 20), date(2027, 3, 13)]
)
def test_demo_sessions_are_on_school_days_past_ones_past_and_upcoming_ones_upcoming(
    db, monkeypatch, today
):
    """Whatever day the demo is seeded on: no session on a weekend or in the holidays of
    the school's calendar (complaints' term calendar, with its default closures)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: today)
    demo.seed(demo_people("pw-for-this-test"))
    calendar = school_calendar()
    for session in TrainingSession.objects.all():
        day = timezone.localtime(session.starts_at).date()
        assert calendar.is_school_day(day), (session.title, day)
        [(_, days, *_)] = [s for s in demo.SESSIONS + demo.STAFF_SESSIONS if s[0] == session.title]
        assert (day < today) == (days < 0), (session.title, day)


def test_demo_working_party_members_are_accounts_and_the_parent_reads_their_minutes(db, client):
    """The demo parent is the parent representative since the second meeting: the working
    party's pages open to them with the two later meetings' minutes, not the first's."""
    people = demo_people("pw-for-this-test")
    demo.seed(people)
    demo.seed(people)
    places = dict(WorkingPartyMember.objects.values_list("place", "user__username"))
    assert places == {
        "principal": "principal",
        "coordinator": "coordinator",
        "governor": "governor",
        "parent_representative": "parent",
    }
    first, *later = WorkingPartyMeeting.objects.order_by("held_on")
    assert not first.attendees.filter(user=people[Role.PARENT]).exists()
    assert all(m.attendees.filter(user__isnull=True).count() == 0 for m in later + [first])
    client.force_login(people[Role.PARENT])
    listing = client.get(reverse("training:meeting_list")).text
    assert listing.count('data-testid="meeting-row"') == 2
    for meeting in later:
        assert client.get(reverse("training:meeting_detail", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("training:meeting_detail", args=[first.pk])).status_code == 404


def test_demo_staff_find_a_staff_session_the_principal_organised_and_book_it(db, client):
    people = demo_people("pw-for-this-test")
    demo.seed(people)
    session = TrainingSession.objects.get(audience="staff")
    assert session.created_by == people[Role.PRINCIPAL] and session.starts_at > timezone.now()
    client.force_login(people[Role.STAFF])
    assert session.title in client.get(reverse("training:upcoming")).text
    client.post(reverse("training:book", args=[session.pk]), {"guests": "0"})
    assert Booking.objects.get(parent=people[Role.STAFF]).session == session
