import datetime as dt

import pytest
from django.utils import timezone

from incidents.tests.factories import IncidentFactory
from overstone.markdown import render_markdown
from overstone.models import AuditLogEntry, OutboxMessage
from overstone.roles import Role, user_roles
from overstone.schools import school_scope
from overstone.workflow import InvalidTransition, RecordFinished
from training import services
from training.models import (
    Booking,
    BookingNotice,
    BookingStatus,
    InductionTopic,
    NoticeKind,
    ParentInvitation,
    ParentProfile,
    SessionStatus,
    Term,
    TermReminder,
    TrainingSession,
)
from training.services import bookings, induction, parents, working_party
from training.tests.factories import (
    ActionItemFactory,
    BookingFactory,
    InductionRecordFactory,
    MeetingFactory,
    ParentFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def queued(kind: str) -> list[int]:
    return [
        m.args[0]
        for m in OutboxMessage.objects.filter(task_name="training.tasks.send_booking_notice")
        if m.args[1] == kind
    ]


# ---------------------------------------------------------------------------
# Booking, waitlist, promotion
# ---------------------------------------------------------------------------
def test_booking_confirms_until_full_then_waitlists():
    session = SessionFactory(capacity=3)
    a, b, c = ParentFactory(), ParentFactory(), ParentFactory()
    first = bookings.booking_create(session=session, parent=a, guests=1, actor=a)
    second = bookings.booking_create(session=session, parent=b, guests=1, actor=b)
    third = bookings.booking_create(session=session, parent=c, guests=0, actor=c)
    assert first.status == BookingStatus.CONFIRMED
    assert second.status == BookingStatus.WAITLISTED  # 2 + 2 > 3
    assert third.status == BookingStatus.CONFIRMED  # 2 + 1 fits
    assert bookings.seats_taken(session) == 3
    assert queued("confirmed") == [first.pk, third.pk]
    assert queued("waitlisted") == [second.pk]
    created = AuditLogEntry.objects.filter(object_type="booking", changes__status__0="")
    assert sorted(created.values_list("object_reference", "changes__status__1")) == sorted(
        [(str(first.pk), "confirmed"), (str(second.pk), "waitlisted"), (str(third.pk), "confirmed")]
    )


def test_a_parent_cannot_book_the_same_session_twice():
    session = SessionFactory()
    parent = ParentFactory()
    bookings.booking_create(session=session, parent=parent, guests=0, actor=parent)
    with pytest.raises(services.TrainingError, match="already booked"):
        bookings.booking_create(session=session, parent=parent, guests=0, actor=parent)


def test_after_cancelling_a_parent_may_book_again():
    session = SessionFactory()
    parent = ParentFactory()
    booking = bookings.booking_create(session=session, parent=parent, guests=0, actor=parent)
    bookings.booking_cancel(booking=booking, actor=parent)
    again = bookings.booking_create(session=session, parent=parent, guests=0, actor=parent)
    assert again.status == BookingStatus.CONFIRMED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"guests": 3}, "up to 2 other adult"),
        ({"booking_open": False}, "closed"),
        ({"status": SessionStatus.CANCELLED}, "cancelled"),
        ({"audience": "staff"}, "not open to you: it is for school personnel"),
    ],
)
def test_booking_refusals_say_why(change, message):
    guests = change.pop("guests", 0)
    session = SessionFactory(**change)
    parent = ParentFactory()
    with pytest.raises(services.TrainingError, match=message):
        bookings.booking_create(session=session, parent=parent, guests=guests, actor=parent)
    assert not Booking.objects.exists()


def test_cancelling_promotes_the_first_waitlisted_booking_that_fits():
    session = SessionFactory(capacity=2)
    holder = BookingFactory(session=session, guests=1)
    too_big = BookingFactory(session=session, guests=2, status=BookingStatus.WAITLISTED)
    fits = BookingFactory(session=session, guests=0, status=BookingStatus.WAITLISTED)
    also_fits = BookingFactory(session=session, guests=0, status=BookingStatus.WAITLISTED)
    bookings.booking_cancel(booking=holder, actor=holder.parent)
    for booking in (holder, too_big, fits, also_fits):
        booking.refresh_from_db()
    assert holder.status == BookingStatus.CANCELLED
    assert too_big.status == BookingStatus.WAITLISTED
    assert fits.status == BookingStatus.CONFIRMED
    assert also_fits.status == BookingStatus.CONFIRMED
    assert queued("promoted") == [fits.pk, also_fits.pk]
    assert bookings.seats_taken(session) == 2


def test_cancelling_a_waitlisted_booking_promotes_nobody():
    session = SessionFactory(capacity=1)
    BookingFactory(session=session)
    waiting = BookingFactory(session=session, status=BookingStatus.WAITLISTED)
    other = BookingFactory(session=session, status=BookingStatus.WAITLISTED)
    bookings.booking_cancel(booking=waiting, actor=waiting.parent)
    other.refresh_from_db()
    assert other.status == BookingStatus.WAITLISTED


def test_raising_the_capacity_promotes_and_lowering_below_confirmed_is_refused(
    user_with_role,
):
    coordinator = user_with_role(Role.COORDINATOR)
    session = SessionFactory(capacity=1)
    BookingFactory(session=session)
    waiting = BookingFactory(session=session, status=BookingStatus.WAITLISTED)
    fields = {name: getattr(session, name) for name in bookings.SESSION_FIELDS}
    bookings.session_update(session=session, actor=coordinator, **(fields | {"capacity": 2}))
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED
    with pytest.raises(services.TrainingError, match="2 seats are already confirmed"):
        bookings.session_update(session=session, actor=coordinator, **(fields | {"capacity": 1}))


def test_cancelling_a_session_cancels_every_booking_and_tells_them(user_with_role, sent_mail):
    coordinator = user_with_role(Role.COORDINATOR)
    session = SessionFactory(capacity=1)
    booked = BookingFactory(session=session)
    waiting = BookingFactory(session=session, status=BookingStatus.WAITLISTED)
    bookings.session_cancel(session=session, actor=coordinator, reason="Snow")
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert set(session.bookings.values_list("status", flat=True)) == {BookingStatus.CANCELLED}
    assert sorted(queued("session_cancelled")) == sorted([booked.pk, waiting.pk])
    assert bookings.booking_notice_send(booking_id=booked.pk, kind="session_cancelled")
    assert "The reason: Snow" in sent_mail[-1].body
    with pytest.raises(RecordFinished, match="“.*” is cancelled and can no longer be changed"):
        bookings.session_cancel(session=session, actor=coordinator)
    assert list(session.events.values_list("kind", "summary")) == [("cancelled", "Snow")]


def test_a_session_title_with_a_line_break_is_refused(user_with_role):
    from django.core.exceptions import ValidationError

    coordinator = user_with_role(Role.COORDINATOR)
    session = SessionFactory(title="Evening session")
    fields = {name: getattr(session, name) for name in bookings.SESSION_FIELDS}
    with pytest.raises(ValidationError, match="no line breaks"):
        bookings.session_update(session=session, actor=coordinator, **(fields | {"title": "A\nB"}))
    with pytest.raises(ValidationError, match="no line breaks"):
        bookings.session_create(actor=coordinator, **(fields | {"title": "Evening\rsession"}))
    bookings.session_create(actor=coordinator, **(fields | {"title": "Evening session 2"}))
    assert sorted(TrainingSession.objects.values_list("title", flat=True)) == [
        "Evening session",
        "Evening session 2",
    ]


def test_a_notice_about_a_session_titled_on_two_lines_has_a_one_line_subject(sent_mail):
    """Issue 14 point 8: such a title, saved before titles were checked, made the
    confirmation raise at every try."""
    booking = BookingFactory(session__title="Staying safe\non social media")
    assert bookings.booking_notice_send(booking_id=booking.pk, kind="confirmed") is True
    [notice] = sent_mail
    assert notice.subject == "Your place is booked: Staying safe on social media"


def test_attendance_follows_the_transition_map(user_with_role):
    coordinator = user_with_role(Role.COORDINATOR)
    booking = BookingFactory()
    bookings.attendance_mark(booking=booking, attended=True, actor=coordinator)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED
    bookings.attendance_mark(booking=booking, attended=False, actor=coordinator)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW
    waiting = BookingFactory(status=BookingStatus.WAITLISTED)
    with pytest.raises(
        InvalidTransition,
        match="The booking is “On the waitlist”; it cannot move to “Attended”. Next it can go to "
        "“Confirmed”, “Cancelled”.",
    ):
        bookings.attendance_mark(booking=waiting, attended=True, actor=coordinator)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.WAITLISTED
    entry = AuditLogEntry.objects.filter(object_type="booking", object_reference=booking.pk)[0]
    assert (entry.changes, entry.user) == ({"status": ["attended", "no_show"]}, coordinator)


# ---------------------------------------------------------------------------
# E-mails
# ---------------------------------------------------------------------------
def test_a_notice_is_sent_once_with_a_calendar_file(sent_mail):
    booking = BookingFactory()
    assert bookings.booking_notice_send(booking_id=booking.pk, kind="confirmed") is True
    assert bookings.booking_notice_send(booking_id=booking.pk, kind="confirmed") is False
    assert len(sent_mail) == 1
    message = sent_mail[0]
    assert message.to == [booking.parent.email]
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("overstone-training.ics", "text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in text and booking.session.title in text.replace("\r\n ", "")


def test_the_calendar_entry_names_the_school_whose_session_it_is(schools, sent_mail):
    _, two = schools
    with school_scope(two):
        booking = BookingFactory(session__title="Apps and games")
        bookings.booking_notice_send(booking_id=booking.pk, kind="confirmed")
    text = sent_mail[0].attachments[0][1]
    text = (text.decode() if isinstance(text, bytes) else text).replace("\r\n ", "")
    assert "SUMMARY:Apps and games (Two Oaks Academy)" in text
    assert "PRODID:-//Overstone//Training sessions//EN" in text


def test_a_stale_notice_is_not_sent(sent_mail):
    booking = BookingFactory(status=BookingStatus.CANCELLED)
    assert bookings.booking_notice_send(booking_id=booking.pk, kind="confirmed") is False
    assert bookings.booking_notice_send(booking_id=999999, kind="confirmed") is False
    assert len(sent_mail) == 0


def test_reminders_go_to_tomorrows_confirmed_bookings_once():
    now = timezone.now()
    tomorrow = timezone.make_aware(
        dt.datetime.combine(timezone.localdate(now) + dt.timedelta(days=1), dt.time(18))
    )
    session = SessionFactory(starts_at=tomorrow, ends_at=tomorrow + dt.timedelta(hours=1))
    confirmed = BookingFactory(session=session)
    BookingFactory(session=session, status=BookingStatus.WAITLISTED)
    BookingFactory()  # next week
    assert bookings.session_reminders_queue(now=now) == 1
    bookings.booking_notice_send(booking_id=confirmed.pk, kind="reminder")
    assert bookings.session_reminders_queue(now=now) == 0
    assert BookingNotice.objects.get().kind == NoticeKind.REMINDER


# ---------------------------------------------------------------------------
# Parent accounts
# ---------------------------------------------------------------------------
GOOD_CSV = (
    "name,email,year_group\nAnna Smith,anna@example.org,Year 2\nBen Ode,BEN@example.org,Reception\n"
)


def test_import_creates_parents_with_invitations_and_twice_creates_nothing_twice(
    user_with_role,
):
    coordinator = user_with_role(Role.COORDINATOR)
    result = parents.parents_import(csv_text=GOOD_CSV, actor=coordinator)
    assert len(result.created) == 2
    anna = ParentProfile.objects.get(user__email="anna@example.org")
    assert (anna.user.first_name, anna.user.last_name, anna.child_year_group) == (
        "Anna",
        "Smith",
        "Year 2",
    )
    assert not anna.user.has_usable_password()
    assert user_roles(anna.user) == {Role.PARENT}
    assert ParentInvitation.objects.count() == 2
    again = parents.parents_import(csv_text=GOOD_CSV, actor=coordinator)
    assert again.created == [] and sorted(again.already_present) == [
        "anna@example.org",
        "ben@example.org",
    ]
    assert ParentProfile.objects.count() == 2
    shouting = parents.parents_import(
        csv_text=GOOD_CSV.replace("anna@", "ANNA@"), actor=coordinator
    )
    assert shouting.created == [] and ParentProfile.objects.count() == 2


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(user_with_role):
    coordinator = user_with_role(Role.COORDINATOR)
    text = (
        "name,email,year_group\n"
        "Good Parent,good@example.org,Year 1\n"
        "No Email,,Year 2\n"
        ",nobody@example.org,\n"
        "Twice,good@example.org,Year 3\n"
        "Too,many,values,here\n"
    )
    with pytest.raises(parents.ParentImportError) as caught:
        parents.parents_import(csv_text=text, actor=coordinator)
    lines = dict(caught.value.errors)
    assert sorted(lines) == [3, 4, 5, 6]
    assert "not an e-mail address" in lines[3]
    assert "name is empty" in lines[4] and "year group is empty" in lines[4]
    assert "same e-mail address is on line 2" in lines[5]
    assert "Expected 3 values" in lines[6]
    assert not ParentProfile.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_import_refuses_a_header_without_the_columns(user_with_role):
    with pytest.raises(parents.ParentImportError, match="1 row"):
        parents.parents_import(csv_text="who,where\n", actor=user_with_role(Role.COORDINATOR))


def test_import_refuses_a_staff_email(user_with_role):
    staff = user_with_role(Role.STAFF, email="Teacher@Example.org")  # case differs
    with pytest.raises(parents.ParentImportError) as caught:
        parents.parents_import(
            csv_text="name,email,year_group\nT,teacher@example.org,Year 1\n", actor=staff
        )
    assert "not a parent's" in caught.value.errors[0][1]


def test_the_invitation_link_sets_a_password_once(client, user_with_role, sent_mail):
    coordinator = user_with_role(Role.COORDINATOR)
    user, _ = parents.parent_create(
        first_name="Cara",
        last_name="Lee",
        email="cara@example.org",
        year_group="Year 6",
        actor=coordinator,
    )
    invitation = ParentInvitation.objects.get(user=user)
    assert parents.invitation_send(invitation_id=invitation.pk) is True
    assert parents.invitation_send(invitation_id=invitation.pk) is False
    assert len(sent_mail) == 1
    link = next(line for line in sent_mail[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.strip().removeprefix("http://127.0.0.1:8000")
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-long-parent-pw-42", "new_password2": "a-long-parent-pw-42"},
    )
    user.refresh_from_db()
    assert user.check_password("a-long-parent-pw-42")
    assert not client.get(path, follow=True).context["validlink"]


def test_adding_a_known_email_is_refused(user_with_role):
    ParentFactory(email="x@example.org")
    with pytest.raises(services.TrainingError, match="already an account"):
        parents.parent_create(
            first_name="X",
            last_name="Y",
            email="X@example.org",
            year_group="Year 1",
            actor=user_with_role(Role.COORDINATOR),
        )


# ---------------------------------------------------------------------------
# Induction
# ---------------------------------------------------------------------------
def test_staff_record_and_coordinator_confirms(user_with_role):
    staff, coordinator = user_with_role(Role.STAFF), user_with_role(Role.COORDINATOR)
    day = timezone.localdate() - dt.timedelta(days=2)
    record = induction.induction_record(
        staff=staff, topic=InductionTopic.E_SAFETY, completed_on=day, actor=staff
    )
    induction.induction_confirm(record=record, actor=coordinator)
    record.refresh_from_db()
    assert record.confirmed_by == coordinator
    with pytest.raises(services.TrainingError, match="already confirmed"):
        induction.induction_confirm(record=record, actor=coordinator)
    # A new date needs confirming again.
    induction.induction_record(
        staff=staff, topic=InductionTopic.E_SAFETY, completed_on=day - dt.timedelta(1), actor=staff
    )
    record.refresh_from_db()
    assert not record.is_confirmed
    with pytest.raises(services.TrainingError, match="future"):
        induction.induction_record(
            staff=staff,
            topic=InductionTopic.INCLUSION,
            completed_on=timezone.localdate() + dt.timedelta(1),
            actor=staff,
        )


def test_nine_induction_topics_from_the_policy():
    assert len(InductionTopic.values) == 9
    assert InductionTopic.ALLEGATIONS.label.startswith("Dealing with Allegations")


# ---------------------------------------------------------------------------
# Working party
# ---------------------------------------------------------------------------
def test_the_agenda_carries_open_actions_and_the_monitored_counts():
    earlier = MeetingFactory(held_on=dt.date(2025, 10, 8))
    for day in (dt.date(2025, 10, 7), dt.date(2025, 11, 3), dt.date(2026, 1, 20)):
        IncidentFactory(
            category="racist_homophobic",
            occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
        )
    ActionItemFactory(meeting=earlier, description="Open one")
    ActionItemFactory(meeting=earlier, description="Done one", done_at=timezone.now())
    agenda = working_party.meeting_agenda_draft(held_on=dt.date(2026, 2, 1))
    assert "Open one" in agenda and "Done one" not in agenda
    assert "since the last meeting (08 October 2025)" in agenda
    assert "Racist or homophobic comment: 2" in agenda  # the one before the last meeting is not
    assert "Comment threatening violence: 0" in agenda


def test_markdown_minutes_are_sanitised():
    html = render_markdown(
        "# Minutes\n<script>alert('x')</script>\n\n[link](javascript:alert(1)) "
        '<img src=x onerror="alert(2)"> **agreed**'
    )
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "<h3>Minutes</h3>" in html and "<strong>agreed</strong>" in html


def test_markdown_headings_stay_below_the_page_title():
    html = render_markdown("# One\n\n## Two\n\n##### Five\n\n###### Six")
    assert "<h3>One</h3>" in html and "<h4>Two</h4>" in html
    assert "<h6>Five</h6>" in html and "<h6>Six</h6>" in html
    assert "<h1" not in html and "<h2" not in html


@pytest.mark.parametrize(
    ("today", "reminded"),
    [
        (dt.date(2025, 9, 15), False),  # two weeks into autumn
        (dt.date(2025, 9, 23), True),  # three weeks in
        (dt.date(2026, 1, 25), True),  # spring
        (dt.date(2026, 5, 10), True),  # summer (from 15 April)
    ],
)
def test_term_reminder_three_weeks_in(user_with_role, today, reminded, sent_mail):
    user_with_role(Role.COORDINATOR)
    assert working_party.term_meeting_reminder_send(today=today) is reminded
    assert len(sent_mail) == int(reminded)
    assert working_party.term_meeting_reminder_send(today=today) is False  # once per term


def test_no_term_reminder_when_a_meeting_is_scheduled(user_with_role):
    user_with_role(Role.COORDINATOR)
    MeetingFactory(school_year=2025, term=Term.AUTUMN, held_on=dt.date(2025, 11, 20))
    assert working_party.term_meeting_reminder_send(today=dt.date(2025, 10, 1)) is False
    assert not TermReminder.objects.exists()


def test_action_complete_once(user_with_role):
    principal = user_with_role(Role.PRINCIPAL)
    action = ActionItemFactory()
    working_party.action_complete(action=action, actor=principal)
    with pytest.raises(services.TrainingError):
        working_party.action_complete(action=action, actor=principal)


def test_induction_record_factory_is_unconfirmed():
    assert not InductionRecordFactory().is_confirmed


def test_beat_schedule_names_registered_tasks_and_they_run(user_with_role):
    from django.conf import settings

    from overstone.celery import app
    from training import tasks

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
    assert tasks.queue_session_reminders() == 0
    assert tasks.remind_unscheduled_term_meeting() in (True, False)
    booking = BookingFactory()
    assert tasks.send_booking_notice(booking.pk, "confirmed") is True
    assert tasks.send_booking_notice(booking.pk, "confirmed") is False
