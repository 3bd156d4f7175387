"""Every write in training: parent accounts, sessions, bookings, induction, working party.

Each function is one transaction that writes an AuditEntry for what matters and queues
e-mail through the outbox, so it leaves only after the change commits.
"""

import csv
import datetime as dt
import io
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from overstone.models import MonitoredCategory
from overstone.monitored import monitored_counts_between
from overstone.outbox import outbox_enqueue
from overstone.roles import Role, group_for
from overstone.schoolyear import school_year_label, school_year_of
from training import tasks
from training.ics import session_ics
from training.models import (
    ACTIVE_BOOKING,
    BOOKING_TRANSITIONS,
    SEAT_HOLDING,
    SESSION_TRANSITIONS,
    ActionItem,
    Audience,
    AuditEntry,
    Booking,
    BookingNotice,
    BookingStatus,
    InductionRecord,
    MeetingAttendee,
    NoticeKind,
    ParentInvitation,
    ParentProfile,
    SessionStatus,
    Term,
    TermReminder,
    TrainingSession,
    WorkingPartyMeeting,
    term_of,
    term_start,
)

logger = logging.getLogger(__name__)
User = get_user_model()


class TrainingError(Exception):
    """A request the rules refuse; the message is meant for the person who asked."""


class InvalidTransition(TrainingError):
    pass


def audit(*, actor, action: str, subject, before: str = "", after: str = "", note: str = ""):
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        subject_type=type(subject).__name__,
        subject_id=subject.pk,
        before=before,
        after=after,
        note=note,
    )


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# ---------------------------------------------------------------------------
# Parent accounts
# ---------------------------------------------------------------------------
@dataclass
class ParentRow:
    line: int
    first_name: str
    last_name: str
    email: str
    year_group: str


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)


class ParentImportError(TrainingError):
    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__(f"{len(errors)} row(s) could not be imported")


HEADER_ALIASES = {
    "name": "name",
    "full_name": "name",
    "email": "email",
    "e-mail": "email",
    "email_address": "email",
    "year_group": "year_group",
    "child's_year_group": "year_group",
    "childs_year_group": "year_group",
    "child_year_group": "year_group",
    "year": "year_group",
}
REQUIRED_COLUMNS = ("name", "email", "year_group")


def split_name(name: str) -> tuple[str, str]:
    first, _, last = " ".join(name.split()).partition(" ")
    return first, last


def parse_parent_csv(text: str) -> list[ParentRow]:
    """Rows of a parents CSV (name, email, year group); every bad row is reported."""
    reader = csv.reader(io.StringIO(text))
    errors: list[tuple[int, str]] = []
    try:
        header = next(reader)
    except StopIteration:
        raise ParentImportError([(1, "The file is empty.")]) from None
    columns = [HEADER_ALIASES.get(h.strip().lower().replace(" ", "_"), "") for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ParentImportError(
            [(1, f"The header must name the columns name, email, year_group (missing: "
                 f"{', '.join(missing)}).")]
        )  # fmt: skip
    rows: list[ParentRow] = []
    seen: dict[str, int] = {}
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors.append((number, f"Expected {len(header)} values, found {len(values)}."))
            continue
        record = {col: v.strip() for col, v in zip(columns, values, strict=True) if col}
        reasons = []
        if not record["name"]:
            reasons.append("the name is empty")
        email = record["email"].lower()
        try:
            validate_email(email)
        except ValidationError:
            reasons.append(f"“{record['email']}” is not an e-mail address")
        if not record["year_group"]:
            reasons.append("the child's year group is empty")
        elif len(record["year_group"]) > 30:
            reasons.append("the year group is longer than 30 characters")
        if email in seen:
            reasons.append(f"the same e-mail address is on line {seen[email]}")
        if reasons:
            errors.append((number, "; ".join(reasons).capitalize() + "."))
            continue
        seen[email] = number
        first, last = split_name(record["name"])
        rows.append(ParentRow(number, first, last, email, record["year_group"]))
    if errors:
        raise ParentImportError(errors)
    if not rows:
        raise ParentImportError([(2, "The file has a header but no parents.")])
    return rows


@transaction.atomic
def parents_import(*, csv_text: str, actor) -> ImportResult:
    """All rows or none. A parent already known (same e-mail) is left as they are."""
    rows = parse_parent_csv(csv_text)
    emails = [row.email for row in rows]
    # E-mail addresses are compared without case: J.Smith@ and j.smith@ are one person.
    known = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    existing = {u.email_lower: u for u in known.select_related("parent_profile")}
    existing_profiles = {
        email for email, user in existing.items() if hasattr(user, "parent_profile")
    }
    errors = [
        (row.line, f"{row.email} belongs to an account that is not a parent's.")
        for row in rows
        if row.email in existing and row.email not in existing_profiles
    ]
    if errors:
        raise ParentImportError(errors)
    result = ImportResult()
    for row in rows:
        if row.email in existing:
            result.already_present.append(row.email)
            continue
        result.created.append(
            _parent_create(
                first_name=row.first_name,
                last_name=row.last_name,
                email=row.email,
                year_group=row.year_group,
                actor=actor,
            )
        )
    audit(
        actor=actor,
        action="parents_imported",
        subject=actor,
        after=f"{len(result.created)} created, {len(result.already_present)} already present",
    )
    return result


@transaction.atomic
def parent_create(*, first_name: str, last_name: str, email: str, year_group: str, actor):
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise TrainingError(f"There is already an account with the e-mail address {email}.")
    return _parent_create(
        first_name=first_name, last_name=last_name, email=email, year_group=year_group, actor=actor
    )


def _parent_create(*, first_name, last_name, email, year_group, actor):
    if User.objects.filter(username=email).exists():
        raise TrainingError(f"There is already an account named {email}.")
    user = User(username=email, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save()
    user.groups.add(group_for(Role.PARENT))
    ParentProfile.objects.create(user=user, child_year_group=year_group, created_by=actor)
    audit(actor=actor, action="parent_created", subject=user, after=email)
    parent_invite(user=user, actor=actor)
    return user


@transaction.atomic
def parent_invite(*, user, actor) -> ParentInvitation:
    invitation = ParentInvitation.objects.create(user=user, created_by=actor)
    audit(actor=actor, action="parent_invited", subject=user, after=user.email)
    outbox_enqueue(tasks.send_parent_invitation, invitation.pk)
    return invitation


def set_password_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return _absolute(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


@transaction.atomic
def invitation_send(*, invitation_id: int) -> bool:
    """E-mail the set-password link, once."""
    invitation = (
        ParentInvitation.objects.select_for_update().select_related("user").get(pk=invitation_id)
    )
    if invitation.sent_at:
        return False
    user = invitation.user
    context = {"user": user, "url": set_password_url(user), "site_url": settings.SITE_URL}
    EmailMessage(
        subject="Your Overstone account: choose a password",
        body=render_to_string("training/emails/invitation.txt", context),
        to=[user.email],
    ).send()
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    return True


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


@transaction.atomic
def session_create(*, actor, **fields) -> TrainingSession:
    session = TrainingSession.objects.create(
        created_by=actor, **{name: fields[name] for name in SESSION_FIELDS}
    )
    audit(actor=actor, action="session_created", subject=session, after=session.title)
    return session


@transaction.atomic
def session_update(*, session: TrainingSession, actor, **fields) -> TrainingSession:
    session = _locked(session)
    if session.is_cancelled:
        raise TrainingError("A cancelled session cannot be changed.")
    taken = seats_taken(session)
    if fields["capacity"] < taken:
        raise TrainingError(
            f"{taken} seats are already confirmed; the capacity cannot be lower than that."
        )
    changed = [name for name in SESSION_FIELDS if getattr(session, name) != fields[name]]
    for name in changed:
        setattr(session, name, fields[name])
    session.save(update_fields=changed or None)
    audit(actor=actor, action="session_updated", subject=session, note=", ".join(changed))
    waitlist_promote(session=session, actor=actor)
    return session


@transaction.atomic
def session_cancel(*, session: TrainingSession, actor, reason: str = "") -> TrainingSession:
    session = _locked(session)
    _session_transition(session, SessionStatus.CANCELLED, actor=actor, note=reason)
    session.cancel_reason = reason
    session.save(update_fields=["cancel_reason"])
    for booking in session.bookings.filter(
        status__in=(BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)
    ):
        booking_transition(
            booking=booking, to=BookingStatus.CANCELLED, actor=actor, note="session cancelled"
        )
        outbox_enqueue(tasks.send_booking_notice, booking.pk, NoticeKind.SESSION_CANCELLED.value)
    return session


def _session_transition(session, to: SessionStatus, *, actor, note: str = "") -> None:
    if to not in SESSION_TRANSITIONS[session.status]:
        raise InvalidTransition(
            f"A {session.get_status_display().lower()} session cannot become {to.label.lower()}."
        )
    before = session.status
    session.status = to
    session.save(update_fields=["status"])
    audit(actor=actor, action="session_status", subject=session, before=before, after=to, note=note)


# ---------------------------------------------------------------------------
# Bookings
# ---------------------------------------------------------------------------
def booking_transition(*, booking: Booking, to: BookingStatus, actor, note: str = "") -> Booking:
    """The one place a booking's status changes. Callers hold the session's lock."""
    if to not in BOOKING_TRANSITIONS[booking.status]:
        raise InvalidTransition(
            f"A booking that is {booking.get_status_display().lower()} cannot become "
            f"{BookingStatus(to).label.lower()}."
        )
    before = booking.status
    booking.status = to
    booking.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="booking_status", subject=booking, before=before, after=to, note=note)
    return booking


@transaction.atomic
def booking_create(*, session: TrainingSession, parent, guests: int, actor) -> Booking:
    """Confirm if the seats are free, else join the waitlist. The session row is locked
    (on SQLite the IMMEDIATE transaction holds the write lock), so concurrent requests
    queue here and confirmed seats never exceed the capacity."""
    session = _locked(session)
    if session.is_cancelled:
        raise TrainingError("This session has been cancelled.")
    if session.audience != Audience.PARENTS:
        raise TrainingError("This session is not open to parents.")
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
    audit(actor=actor, action="booking_created", subject=booking, after=status)
    kind = NoticeKind.CONFIRMED if fits else NoticeKind.WAITLISTED
    outbox_enqueue(tasks.send_booking_notice, booking.pk, kind.value)
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, actor) -> Booking:
    session = _locked(booking.session)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if session.starts_at <= timezone.now():
        raise TrainingError("The session has started; the booking can no longer be cancelled.")
    held_seats = booking.status == BookingStatus.CONFIRMED
    booking_transition(booking=booking, to=BookingStatus.CANCELLED, actor=actor)
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
            booking_transition(
                booking=booking, to=BookingStatus.CONFIRMED, actor=actor, note="from the waitlist"
            )
            outbox_enqueue(tasks.send_booking_notice, booking.pk, NoticeKind.PROMOTED.value)
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


NOTICE_TEMPLATES = {
    NoticeKind.CONFIRMED: ("Your place is booked: {title}", True),
    NoticeKind.WAITLISTED: ("You are on the waitlist: {title}", False),
    NoticeKind.PROMOTED: ("A place came free, you are booked: {title}", True),
    NoticeKind.REMINDER: ("Tomorrow: {title}", True),
    NoticeKind.SESSION_CANCELLED: ("Cancelled: {title}", False),
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
    """Send one kind of e-mail about a booking, at most once."""
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
    subject, with_calendar = NOTICE_TEMPLATES[kind]
    session = booking.session
    context = {
        "booking": booking,
        "session": session,
        "kind": kind.value,
        "url": _absolute(reverse("training:upcoming")),
    }
    message = EmailMessage(
        subject=subject.format(title=session.title),
        body=render_to_string("training/emails/booking_notice.txt", context),
        to=[booking.parent.email],
    )
    if with_calendar:
        message.attach("overstone-training.ics", session_ics(session), "text/calendar")
    elif kind == NoticeKind.SESSION_CANCELLED:
        message.attach(
            "overstone-training.ics", session_ics(session, cancelled=True), "text/calendar"
        )
    message.send()
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
            outbox_enqueue(tasks.send_booking_notice, pk, NoticeKind.REMINDER.value)
    return len(pks)


# ---------------------------------------------------------------------------
# Staff induction
# ---------------------------------------------------------------------------
@transaction.atomic
def induction_record(*, staff, topic: str, completed_on: dt.date, actor) -> InductionRecord:
    if completed_on > timezone.localdate():
        raise TrainingError("The completion date cannot be in the future.")
    record = InductionRecord.objects.select_for_update().filter(staff=staff, topic=topic).first()
    if record is None:
        record = InductionRecord.objects.create(staff=staff, topic=topic, completed_on=completed_on)
        audit(actor=actor, action="induction_recorded", subject=record, after=str(completed_on))
        return record
    before = str(record.completed_on)
    record.completed_on = completed_on
    # A changed date needs confirming again.
    record.confirmed_at = None
    record.confirmed_by = None
    record.save(update_fields=["completed_on", "confirmed_at", "confirmed_by"])
    audit(
        actor=actor,
        action="induction_recorded",
        subject=record,
        before=before,
        after=str(completed_on),
    )
    return record


@transaction.atomic
def induction_confirm(*, record: InductionRecord, actor) -> InductionRecord:
    record = InductionRecord.objects.select_for_update().get(pk=record.pk)
    if record.is_confirmed:
        raise TrainingError("This record is already confirmed.")
    record.confirmed_at = timezone.now()
    record.confirmed_by = actor
    record.save(update_fields=["confirmed_at", "confirmed_by"])
    audit(
        actor=actor,
        action="induction_confirmed",
        subject=record,
        before="recorded",
        after="confirmed",
    )
    return record


# ---------------------------------------------------------------------------
# Working party
# ---------------------------------------------------------------------------
def working_party_monitored_counts(*, since: dt.date | None, until: dt.date) -> dict[str, int]:
    """The policy's monitored counts between two meetings, for the agenda."""
    counts = monitored_counts_between(since=since, until=until)
    return {MonitoredCategory(value).label: n for value, n in counts.items()}


def meeting_agenda_draft(*, held_on: dt.date) -> str:
    """The agenda a new meeting starts with: standing items, the monitored counts since
    the last meeting and every open action carried over."""
    previous = WorkingPartyMeeting.objects.filter(held_on__lt=held_on).order_by("-held_on").first()
    counts = working_party_monitored_counts(
        since=previous.held_on if previous else None, until=held_on
    )
    open_actions = (
        ActionItem.objects.filter(done_at=None, meeting__held_on__lt=held_on)
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")
    )
    since = f" ({previous.held_on:%d %B %Y})" if previous else ""
    lines = [
        "1. Apologies and minutes of the last meeting",
        "2. Social media awareness training for parents",
        f"3. Monitored counts since the last meeting{since}",
        *(f"    - {label}: {count}" for label, count in counts.items()),
    ]
    lines.append("4. Actions carried over")
    if open_actions:
        lines += [
            f"    - {a.description} ({a.owner.get_full_name() or a.owner}, due {a.due_on:%d %b %Y})"
            for a in open_actions
        ]
    else:
        lines.append("    - None open.")
    lines += [
        "5. Further development of the use of social media for the benefit of the school",
        "6. Any other business",
    ]
    return "\n".join(lines)


MEETING_FIELDS = ("school_year", "term", "held_on", "agenda", "minutes", "decisions")


def _set_attendees(meeting, attendees: list[tuple[str, str]]) -> None:
    meeting.attendees.all().delete()
    MeetingAttendee.objects.bulk_create(
        MeetingAttendee(meeting=meeting, name=name, role=role) for name, role in attendees
    )


@transaction.atomic
def meeting_create(*, actor, attendees: list[tuple[str, str]], **fields) -> WorkingPartyMeeting:
    meeting = WorkingPartyMeeting.objects.create(
        created_by=actor, **{name: fields[name] for name in MEETING_FIELDS}
    )
    _set_attendees(meeting, attendees)
    audit(actor=actor, action="meeting_created", subject=meeting, after=str(meeting))
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: WorkingPartyMeeting, actor, attendees: list[tuple[str, str]], **fields
) -> WorkingPartyMeeting:
    meeting = WorkingPartyMeeting.objects.select_for_update().get(pk=meeting.pk)
    changed = [name for name in MEETING_FIELDS if getattr(meeting, name) != fields[name]]
    for name in changed:
        setattr(meeting, name, fields[name])
    meeting.save()
    _set_attendees(meeting, attendees)
    audit(actor=actor, action="meeting_updated", subject=meeting, note=", ".join(changed))
    return meeting


@transaction.atomic
def action_create(
    *, meeting: WorkingPartyMeeting, description: str, owner, due_on: dt.date, actor
) -> ActionItem:
    action = ActionItem.objects.create(
        meeting=meeting, description=description, owner=owner, due_on=due_on
    )
    audit(actor=actor, action="action_created", subject=action, after=description[:200])
    return action


@transaction.atomic
def action_complete(*, action: ActionItem, actor) -> ActionItem:
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    if action.is_done:
        raise TrainingError("This action is already done.")
    action.done_at = timezone.now()
    action.done_by = actor
    action.save(update_fields=["done_at", "done_by"])
    audit(actor=actor, action="action_done", subject=action, before="open", after="done")
    return action


REMINDER_AFTER = dt.timedelta(weeks=3)


@transaction.atomic
def term_meeting_reminder_send(*, today: dt.date | None = None) -> bool:
    """Three weeks into a term with no meeting scheduled, remind the coordinator(s), once."""
    today = today or timezone.localdate()
    school_year, term = school_year_of(today), term_of(today)
    if today < term_start(school_year, term) + REMINDER_AFTER:
        return False
    if WorkingPartyMeeting.objects.filter(school_year=school_year, term=term).exists():
        return False
    recipients = list(
        User.objects.filter(groups__name=Role.COORDINATOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        # Not recorded as reminded: once a coordinator has an address, they are told.
        logger.warning("No coordinator to remind about the %s term meeting", term)
        return False
    reminder, created = TermReminder.objects.get_or_create(school_year=school_year, term=term)
    if not created:
        return False
    context = {
        "term": Term(term).label,
        "school_year": school_year_label(school_year),
        "url": _absolute(reverse("training:meeting_create")),
    }
    EmailMessage(
        subject=f"No working party meeting scheduled this {Term(term).label.lower()} term",
        body=render_to_string("training/emails/term_reminder.txt", context),
        to=recipients,
    ).send()
    return True
