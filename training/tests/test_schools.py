"""Training is each school's own: its sessions and bookings, parents, induction records
and working party. A parent of children at two schools has one account, a parent at each."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopeError, scope

from overstone.models import Membership, OutboxMessage, School
from overstone.roles import Role
from overstone.schools import default_school, membership_add, school_scope, schools_of
from overstone.schoolyear import school_year_of
from overstone.tests.factories import person_at
from training import tasks
from training.models import (
    Booking,
    InductionRecord,
    ParentInvitation,
    ParentProfile,
    TermReminder,
    TrainingSession,
    WorkingPartyMeeting,
    WorkingPartyMember,
    term_of,
    term_start,
)
from training.services import parents
from training.tests.factories import (
    ActionItemFactory,
    BookingFactory,
    InductionRecordFactory,
    MeetingFactory,
    MemberFactory,
    ParentFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def one():
    return default_school()


@pytest.fixture
def two(one):
    return School.objects.create(trust=one.trust, name="Two Park Academy", code="TWO")


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def records_of_two(two):
    """One of each of training's records at school TWO, with words to search for."""
    with school_scope(two):
        session = SessionFactory(title="Kestrel evening", place="Kestrel hall")
        parent = ParentFactory(first_name="Wren", last_name="Kestrel")
        booking = BookingFactory(session=session, parent=parent)
        meeting = MeetingFactory(minutes="Kestrel minutes")
        action = ActionItemFactory(meeting=meeting, owner=person_at(Role.COORDINATOR, two))
        member = MemberFactory(user=parent)
        record = InductionRecordFactory(staff=person_at(Role.STAFF, two, last_name="Kestrel"))
    return {
        "session": session,
        "parent": parent,
        "profile": ParentProfile.objects.get(user=parent),
        "booking": booking,
        "meeting": meeting,
        "action": action,
        "member": member,
        "record": record,
    }


def test_a_coordinator_of_one_school_sees_none_of_anothers_on_the_lists(
    client, one, records_of_two
):
    with school_scope(one):
        SessionFactory(title="Osprey morning")
        MeetingFactory(minutes="Osprey minutes")
    coordinator = person_at(Role.COORDINATOR, one)
    logged_in(client, coordinator)
    sessions = client.get(reverse("training:session_list"), {"when": "all"}).text
    assert "Osprey morning" in sessions and "Kestrel" not in sessions
    for url_name in ("parent_list", "induction_matrix", "meeting_list", "member_list"):
        page = client.get(reverse(f"training:{url_name}"))
        assert page.status_code == 200 and "Kestrel" not in page.text, url_name
    meetings = client.get(reverse("training:meeting_list")).context["meetings"]
    assert [meeting.minutes for meeting in meetings] == ["Osprey minutes"]
    assert client.get(reverse("search"), {"q": "Kestrel"}).context["total"] == 0
    found = client.get(reverse("search"), {"q": "Osprey"}).context
    assert [group.count for group in found["groups"] if group.count] == [1, 1]


def test_another_schools_records_are_not_found_nor_changed(client, one, records_of_two):
    logged_in(client, person_at(Role.COORDINATOR, one))
    session, booking = records_of_two["session"], records_of_two["booking"]
    for url in (
        reverse("training:session_detail", args=[session.pk]),
        reverse("training:session_update", args=[session.pk]),
        reverse("training:attendance_csv", args=[session.pk]),
        reverse("training:meeting_detail", args=[records_of_two["meeting"].pk]),
        reverse("training:meeting_update", args=[records_of_two["meeting"].pk]),
        reverse("training:action_create", args=[records_of_two["meeting"].pk]),
    ):
        assert client.get(url).status_code == 404, url
    posts = {
        reverse("training:session_cancel", args=[session.pk]): {"reason": "x"},
        reverse("training:attendance_mark", args=[booking.pk]): {"attended": "yes"},
        reverse("training:parent_invite", args=[records_of_two["profile"].pk]): {},
        reverse("training:induction_confirm", args=[records_of_two["record"].pk]): {},
        reverse("training:action_done", args=[records_of_two["action"].pk]): {},
        reverse("training:member_end", args=[records_of_two["member"].pk]): {
            "to_date": "2026-01-01"
        },
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    session.refresh_from_db()
    booking.refresh_from_db()
    assert (session.status, booking.status) == ("scheduled", "confirmed")
    assert not ParentInvitation.objects.filter(user=records_of_two["parent"]).exists()
    assert InductionRecord.objects.get().confirmed_at is None
    assert WorkingPartyMember.objects.get().to_date is None


def test_a_parent_books_only_their_schools_sessions(client, one, records_of_two):
    with school_scope(one):
        parent = ParentFactory()
        ours = SessionFactory(title="Osprey morning")
    logged_in(client, parent)
    page = client.get(reverse("training:upcoming")).text
    assert "Osprey morning" in page and "Kestrel" not in page
    theirs = records_of_two["session"]
    assert client.get(reverse("training:book", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("training:book", args=[theirs.pk]), {"guests": 0}).status_code == 404
    assert not theirs.bookings.filter(parent=parent).exists()
    assert client.post(reverse("training:book", args=[ours.pk]), {"guests": 0}).status_code == 302
    booking = records_of_two["booking"]
    other = Booking.objects.get(session=ours)
    logged_in(client, booking.parent)
    response = client.post(reverse("training:booking_cancel", args=[booking.pk]))
    assert response.status_code == 302  # their own booking, in their school
    assert client.post(reverse("training:booking_cancel", args=[other.pk])).status_code == 404


def test_records_made_in_a_request_belong_to_its_school(client, two):
    coordinator = person_at(Role.COORDINATOR, two)
    logged_in(client, coordinator)
    starts = timezone.localtime() + dt.timedelta(days=3)
    response = client.post(
        reverse("training:session_create"),
        {
            "title": "Heron evening",
            "topics": ["benefits"],
            "audience": "parents",
            "starts_at": f"{starts:%Y-%m-%dT%H:%M}",
            "ends_at": f"{starts + dt.timedelta(hours=1):%Y-%m-%dT%H:%M}",
            "place": "Hall",
            "capacity": 10,
            "max_guests": 1,
            "booking_open": "on",
        },
    )
    assert response.status_code == 302
    assert TrainingSession.objects.get().school == two
    client.post(
        reverse("training:parent_create"),
        {"first_name": "A", "last_name": "B", "email": "ab@example.org", "year_group": "Y1"},
    )
    assert ParentProfile.objects.get().school == two
    assert ParentInvitation.objects.get().school == two
    assert Membership.objects.get(user__email="ab@example.org").school == two
    staff = person_at(Role.STAFF, two)
    logged_in(client, staff)
    client.post(
        reverse("training:induction_mine"),
        {"topic": "e_safety", "completed_on": timezone.localdate().isoformat()},
    )
    assert InductionRecord.objects.get().school == two
    assert OutboxMessage.objects.filter(school_id=two.pk).exists()
    assert not OutboxMessage.objects.exclude(school_id=two.pk).exists()


def test_each_school_has_its_own_working_party(client, one, two):
    with school_scope(one):
        parent = ParentFactory()
        MemberFactory(user=parent)
    membership_add(parent, Role.PARENT, two)
    logged_in(client, person_at(Role.COORDINATOR, two))
    assert not client.get(reverse("training:member_list")).context["members"]
    response = client.post(
        reverse("training:member_list"),
        {"user": parent.pk, "place": "parent_representative", "from_date": "2025-09-01"},
    )
    assert response.status_code == 302  # no overlap with their place at school ONE
    assert sorted(WorkingPartyMember.objects.values_list("school__code", flat=True)) == [
        "",
        "TWO",
    ]


def test_training_records_cannot_be_read_outside_a_school():
    for model in (TrainingSession, Booking, ParentProfile, WorkingPartyMeeting, InductionRecord):
        with scope(), pytest.raises(ScopeError):
            model.objects.count()


# ---------------------------------------------------------------------------
# A parent at two schools
# ---------------------------------------------------------------------------
def test_importing_a_parent_of_another_school_makes_them_a_parent_here_too(one, two):
    with school_scope(one):
        parent = ParentFactory(email="sam@example.org")
        person_at(Role.STAFF, one, email="teacher@example.org")
    coordinator = person_at(Role.COORDINATOR, two)
    csv = "name,email,year_group\nSam Two,SAM@example.org,Year 5\nNew One,new@example.org,Y1\n"
    with school_scope(two):
        result = parents.parents_import(csv_text=csv, actor=coordinator)
        again = parents.parents_import(csv_text=csv, actor=coordinator)
        with pytest.raises(parents.ParentImportError) as staff_only:
            parents.parents_import(
                csv_text="name,email,year_group\nT,teacher@example.org,Y1\n", actor=coordinator
            )
    assert "not a parent's" in staff_only.value.errors[0][1]
    assert result.joined == ["sam@example.org"] and len(result.created) == 1
    assert again.joined == [] and sorted(again.already_present) == [
        "new@example.org",
        "sam@example.org",
    ]
    # One account, a parent at each school, with each school's year group.
    assert {s.pk for s in schools_of(parent)} == {one.pk, two.pk}
    profiles = ParentProfile.objects.filter(user=parent).order_by("school_id")
    assert [(p.school, p.child_year_group) for p in profiles] == [(one, "Year 4"), (two, "Year 5")]
    # They have a password already: only the new account is invited.
    assert list(ParentInvitation.objects.values_list("user__email", flat=True)) == [
        "new@example.org"
    ]


def test_adding_a_parent_of_another_school_by_hand(client, one, two):
    with school_scope(one):
        parent = ParentFactory(email="kit@example.org", first_name="Kit", last_name="Moss")
        session = SessionFactory(title="Osprey morning")
    with school_scope(two):
        theirs = SessionFactory(title="Kestrel evening")
    logged_in(client, person_at(Role.COORDINATOR, two))
    data = {"first_name": "Kit", "last_name": "Moss", "email": "KIT@example.org"}
    response = client.post(reverse("training:parent_create"), data | {"year_group": "Y3"})
    assert response.status_code == 302
    assert "now a parent&#x27;s here too" in client.get(response.url).text
    again = client.post(reverse("training:parent_create"), data | {"year_group": "Y3"})
    assert "already an account" in again.text
    assert ParentProfile.objects.filter(user=parent).count() == 2
    assert "Kit" in client.get(reverse("training:parent_list")).text
    # The parent works in either school with the switcher, and books in each.
    logged_in(client, parent)
    assert "Osprey morning" in client.get(reverse("training:upcoming")).text
    client.post(reverse("school_switch"), {"school": two.pk})
    page = client.get(reverse("training:upcoming")).text
    assert "Kestrel evening" in page and "Osprey" not in page
    client.post(reverse("training:book", args=[theirs.pk]), {"guests": 0})
    assert client.get(reverse("training:book", args=[session.pk])).status_code == 404
    assert Booking.objects.get(parent=parent).session == theirs


def test_a_parent_invited_by_another_school_sets_their_password_without_logging_in(
    client, one, two, sent_mail
):
    coordinator = person_at(Role.COORDINATOR, two)
    with school_scope(two):  # the request, then its queued task
        parents.parents_import(
            csv_text="name,email,year_group\nAva Lane,ava@example.org,Year 1\n", actor=coordinator
        )
        parents.invitation_send(invitation_id=ParentInvitation.objects.get().pk)
    assert len(sent_mail) == 1
    link = re.search(r"https?://\S+(/accounts/reset/\S+)", sent_mail[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-long-parent-pw-42", "new_password2": "a-long-parent-pw-42"},
    )
    ava = ParentProfile.objects.get(user__email="ava@example.org").user
    assert ava.check_password("a-long-parent-pw-42")
    assert schools_of(ava) == [two]


# ---------------------------------------------------------------------------
# Beat tasks walk the schools
# ---------------------------------------------------------------------------
def test_session_reminders_are_queued_in_each_booking_school(one, two):
    tomorrow = timezone.now() + dt.timedelta(days=1)
    with school_scope(one):
        in_one = BookingFactory(session=SessionFactory(starts_at=tomorrow))
    with school_scope(two):
        in_two = BookingFactory(session=SessionFactory(starts_at=tomorrow))
    assert tasks.queue_session_reminders() == 2
    queued = {
        (*args, school) for args, school in OutboxMessage.objects.values_list("args", "school_id")
    }
    assert queued == {(in_one.pk, "reminder", one.pk), (in_two.pk, "reminder", two.pk)}


def test_the_term_meeting_reminder_goes_to_the_school_without_a_meeting(one, two, sent_mail):
    today = timezone.localdate()
    school_year, term = school_year_of(today), term_of(today)
    three_weeks_in = today >= term_start(school_year, term) + dt.timedelta(weeks=3)
    person_at(Role.COORDINATOR, one, email="coordinator@one.example")
    person_at(Role.COORDINATOR, two, email="coordinator@two.example")
    with school_scope(one):
        MeetingFactory(school_year=school_year, term=term, held_on=today)
    assert tasks.remind_unscheduled_term_meeting() == int(three_weeks_in)
    assert [m.to for m in sent_mail] == ([["coordinator@two.example"]] if three_weeks_in else [])
    assert all(m.body.startswith("Two Park Academy: the ") for m in sent_mail)
    assert list(TermReminder.objects.values_list("school", flat=True)) == (
        [two.pk] if three_weeks_in else []
    )
    assert tasks.remind_unscheduled_term_meeting() == 0  # once a term
