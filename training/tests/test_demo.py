from django.core.management import call_command

from training.models import Booking, BookingStatus, TrainingSession, WorkingPartyMeeting


def test_demo_has_past_upcoming_full_sessions_and_three_terms_of_minutes(db):
    call_command("seed_demo", password="pw-for-this-test")
    call_command("seed_demo", password="pw-for-this-test")
    assert TrainingSession.objects.count() == 5
    assert Booking.objects.filter(status=BookingStatus.WAITLISTED).count() == 2
    assert Booking.objects.filter(status=BookingStatus.ATTENDED).exists()
    meetings = WorkingPartyMeeting.objects.all()
    assert meetings.count() == 3
    assert all(meeting.minutes for meeting in meetings)
    assert len({(m.school_year, m.term) for m in meetings}) == 3
