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
