"""The .ics calendar file attached to booking e-mails."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from training.models import TrainingSession


def session_ics(session: TrainingSession, *, cancelled: bool = False) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Overstone//Training sessions//EN")  # the program, not a school
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    event.add("uid", f"training-session-{session.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", f"{session.title} ({session.school.name})")  # whose session
    if session.place:
        event.add("location", session.place)
    if session.online_link:
        event.add("url", session.online_link)
    event.add("description", "\n".join(session.topic_labels))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", 1 if cancelled else 0)
    calendar.add_component(event)
    return calendar.to_ical()
