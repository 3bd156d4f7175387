"""Awareness sessions, bookings, the waitlist and the e-mails about them."""

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from overstone.audit import audit_change, field_changes
from overstone.notify import email_link, notify
from overstone.outbox import outbox_enqueue
from overstone.validators import validate_single_line
from overstone.workflow import Move, Workflow, transition
from training.ics import session_ics
from training.models import (
    ACTIVE_BOOKING,
    BOOKING_TRANSITIONS,
    SEAT_HOLDING,
    SESSION_TRANSITIONS,
    Booking,
    BookingNotice,
    BookingStatus,
    NoticeKind,
    SessionEvent,
    SessionStatus,
    TrainingSession,
)
from training.permissions import may_book
from training.services import TrainingError

logger = logging.getLogger(__name__)
User = get_user_model()
NOTICE_TASK = "training.tasks.send_booking_notice"


# ---------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------
SESSION_FIELDS = (
    "title",
    "topics",
    "audience",
    "starts_at",
    "ends_at",
    "place",
    "online_link",
    "capacity",
    "max_guests",
    "booking_open",
)


def seats_taken(session: TrainingSession) -> int:
    booked = session.bookings.filter(status__in=SEAT_HOLDING).aggregate(
        guests=Sum("guests"), count=Count("pk")
    )
    return (booked["count"] or 0) + (booked["guests"] or 0)


def _locked(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def _session_event(session, kind: str, actor, summary: str = "", changes=None) -> None:
    SessionEvent.objects.create(
        session=session, kind=kind, actor=actor, summary=summary, changes=changes or {}
    )


def _session_name(session: TrainingSession) -> str:
    return f"“{session.title}”"


SESSION_WORKFLOW = Workflow(
    transitions=SESSION_TRANSITIONS,
    chronicle=lambda move: _session_event(
        move.record, SessionEvent.Kind.CANCELLED, move.actor, move.note, move.changes
    ),
    name=_session_name,
)


def _booking_audit(move: Move) -> None:
    changes = move.changes | ({"note": ["", move.note]} if move.note else {})
    audit_change(actor=move.actor, obj=move.record, changes=changes)


BOOKING_WORKFLOW = Workflow(
    transitions=BOOKING_TRANSITIONS,
    chronicle=_booking_audit,
    name=lambda booking: "The booking",
)


@transaction.atomic
def session_create(*, actor, **fields) -> TrainingSession:
    validate_single_line(fields["title"])
    session = TrainingSession.objects.create(
        created_by=actor, **{name: fields[name] for name in SESSION_FIELDS}
    )
    _session_event(session, SessionEvent.Kind.CREATED, actor, session.title)
    return session


@transaction.atomic
def session_update(*, session: TrainingSession, actor, **fields) -> TrainingSession:
    validate_single_line(fields["title"])
    session = _locked(session)
    SESSION_WORKFLOW.check_open(session)
    taken = seats_taken(session)
    if fields["capacity"] < taken:
        raise TrainingError(
            f"{taken} seats are already confirmed; the capacity cannot be lower than that."
        )
    changed = [name for name in SESSION_FIELDS if getattr(session, name) != fields[name]]
    before = {name: getattr(session, name) for name in changed}
    for name in changed:
        setattr(session, name, fields[name])
    session.save(update_fields=changed or None)
    if changed:
        changes = field_changes(before, {name: fields[name] for name in changed})
        _session_event(session, SessionEvent.Kind.EDITED, actor, ", ".join(changed), changes)
    waitlist_promote(session=session, actor=actor)
    return session


@transaction.atomic
def session_cancel(*, session: TrainingSession, actor, reason: str = "") -> TrainingSession:

    def give_reason(session: TrainingSession) -> None:
        session.cancel_reason = reason

    session = transition(
        session,
        to=SessionStatus.CANCELLED,
        actor=actor,
        workflow=SESSION_WORKFLOW,
        note=reason,
        apply=give_reason,
    )
    for booking in session.bookings.filter(
        status__in=(BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)
    ):
        booking_transition(
            booking=booking, to=BookingStatus.CANCELLED, actor=actor, note="session cancelled"
        )
        outbox_enqueue(NOTICE_TASK, booking.pk, NoticeKind.SESSION_CANCELLED.value)
    return session


# ---------------------------------------------------------------------------
# Bookings
# ---------------------------------------------------------------------------
def booking_transition(*, booking: Booking, to: BookingStatus, actor, note: str = "") -> Booking:
    """The one place a booking's status changes. Callers hold the session's lock."""
    return transition(booking, to=to, actor=actor, workflow=BOOKING_WORKFLOW, note=note)


@transaction.atomic
def booking_create(*, session: TrainingSession, parent, guests: int, actor) -> Booking:
    """Book ``parent`` (whoever books: a parent, or staff for a staff session) a place.

    Confirm if the seats are free, else join the waitlist. The session row is locked
    (on SQLite the IMMEDIATE transaction holds the write lock), so concurrent requests
    queue here and confirmed seats never exceed the capacity."""
    session = _locked(session)
    if session.is_cancelled:
        raise TrainingError("This session has been cancelled.")
    if not may_book(parent, session.audience):
        audience = session.get_audience_display().lower()
        raise TrainingError(f"This session is not open to you: it is for {audience}.")
    if not session.booking_open:
        raise TrainingError("Booking for this session is closed.")
    if session.starts_at <= timezone.now():
        raise TrainingError("This session has already started.")
    if guests < 0 or guests > session.max_guests:
        raise TrainingError(f"You can bring up to {session.max_guests} other adult(s).")
    if session.bookings.filter(parent=parent, status__in=ACTIVE_BOOKING).exists():
        raise TrainingError("You have already booked this session.")
    fits = seats_taken(session) + 1 + guests <= session.capacity
    status = BookingStatus.CONFIRMED if fits else BookingStatus.WAITLISTED
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                session=session, parent=parent, guests=guests, status=status
            )
    except IntegrityError:
        raise TrainingError("You have already booked this session.") from None
    audit_change(actor=actor, obj=booking, changes={"status": ["", status]})
    kind = NoticeKind.CONFIRMED if fits else NoticeKind.WAITLISTED
    outbox_enqueue(NOTICE_TASK, booking.pk, kind.value)
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, actor) -> Booking:
    session = _locked(booking.session)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if session.starts_at <= timezone.now():
        raise TrainingError("The session has started; the booking can no longer be cancelled.")
    held_seats = booking.status == BookingStatus.CONFIRMED
    booking = booking_transition(booking=booking, to=BookingStatus.CANCELLED, actor=actor)
    if held_seats:
        waitlist_promote(session=session, actor=actor)
    return booking


def waitlist_promote(*, session: TrainingSession, actor) -> list[Booking]:
    """Give freed seats to the waitlist in order, skipping a booking too big for them.
    Callers hold the session's lock."""
    if session.is_cancelled or session.starts_at <= timezone.now():
        return []
    free = session.capacity - seats_taken(session)
    promoted = []
    for booking in session.bookings.filter(status=BookingStatus.WAITLISTED).order_by(
        "created_at", "pk"
    ):
        if free <= 0:
            break
        if booking.seats <= free:
            booking = booking_transition(
                booking=booking, to=BookingStatus.CONFIRMED, actor=actor, note="from the waitlist"
            )
            outbox_enqueue(NOTICE_TASK, booking.pk, NoticeKind.PROMOTED.value)
            free -= booking.seats
            promoted.append(booking)
    return promoted


@transaction.atomic
def attendance_mark(*, booking: Booking, attended: bool, actor) -> Booking:
    _locked(booking.session)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    to = BookingStatus.ATTENDED if attended else BookingStatus.NO_SHOW
    if booking.status == to:
        return booking
    return booking_transition(booking=booking, to=to, actor=actor)


# Notices that carry the session as an .ics file for the parent's calendar.
NOTICE_WITH_CALENDAR = {
    NoticeKind.CONFIRMED,
    NoticeKind.PROMOTED,
    NoticeKind.REMINDER,
    NoticeKind.SESSION_CANCELLED,
}
# A notice is only worth sending while the booking is still in one of these.
NOTICE_NEEDS_STATUS = {
    NoticeKind.CONFIRMED: {BookingStatus.CONFIRMED},
    NoticeKind.WAITLISTED: {BookingStatus.WAITLISTED},
    NoticeKind.PROMOTED: {BookingStatus.CONFIRMED},
    NoticeKind.REMINDER: {BookingStatus.CONFIRMED},
    NoticeKind.SESSION_CANCELLED: {BookingStatus.CANCELLED},
}


@transaction.atomic
def booking_notice_send(*, booking_id: int, kind: str) -> bool:
    """Queue one kind of e-mail about a booking, at most once, if the booking is still in
    a status it fits."""
    kind = NoticeKind(kind)
    booking = (
        Booking.objects.select_for_update()
        .select_related("session", "parent")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or booking.status not in NOTICE_NEEDS_STATUS[kind]:
        return False
    if BookingNotice.objects.filter(booking=booking, kind=kind).exists():
        return False
    session = booking.session
    context = {
        "booking": booking,
        "session": session,
        "kind": kind.value,
        "url": email_link(reverse("training:upcoming")),
    }
    attachments = []
    if kind in NOTICE_WITH_CALENDAR:
        calendar = session_ics(session, cancelled=kind == NoticeKind.SESSION_CANCELLED)
        attachments.append(("overstone-training.ics", calendar, "text/calendar"))
    notify(
        "training/emails/booking_notice",
        context,
        to=[booking.parent.email],
        attachments=attachments,
    )
    BookingNotice.objects.create(booking=booking, kind=kind)
    return True


def session_reminders_queue(*, now: dt.datetime | None = None) -> int:
    """Queue the day-before reminder for every confirmed booking of tomorrow's sessions.
    Safe to run often: each booking is reminded once."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    bookings = (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__date=tomorrow,
        )
        .exclude(notices__kind=NoticeKind.REMINDER)
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        pks = list(bookings)
        for pk in pks:
            outbox_enqueue(NOTICE_TASK, pk, NoticeKind.REMINDER.value)
    return len(pks)
