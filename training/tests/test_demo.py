from datetime import date

import pytest
from django.utils import timezone

from complaints.selectors import school_calendar
from overstone.management.commands.seed_demo import demo_people
from training import demo
from training.models import Booking, BookingStatus, TrainingSession, WorkingPartyMeeting


def test_demo_has_past_upcoming_full_sessions_and_three_terms_of_minutes(db):
    people = demo_people("pw-for-this-test")
    demo.seed(people)
    demo.seed(people)
    assert TrainingSession.objects.count() == len(demo.SESSIONS) == 8
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
        [(_, days, *_)] = [s for s in demo.SESSIONS if s[0] == session.title]
        assert (day < today) == (days < 0), (session.title, day)
