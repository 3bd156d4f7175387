"""Demo data for training: parents, past and upcoming sessions (one full, with a
waitlist), induction records and the working party's last three terms.

Idempotent: everything is looked up by a natural key before it is created. Rows are
written directly, not through the services, so seeding sends no e-mail.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from overstone.roles import Role
from overstone.schools import membership_add
from overstone.schoolyear import is_school_day, school_year_of
from training.models import (
    ActionItem,
    Audience,
    AwarenessTopic,
    Booking,
    BookingStatus,
    InductionRecord,
    InductionTopic,
    MeetingAttendee,
    ParentProfile,
    Term,
    TrainingSession,
    WorkingPartyMeeting,
    WorkingPartyMember,
    WorkingPartyRole,
    term_of,
    term_start,
)

EXTRA_PARENTS = [
    ("Tom", "Baker", "Year 3"),
    ("Aisha", "Khan", "Year 5"),
    ("Gareth", "Jones", "Reception"),
    ("Lucy", "Nguyen", "Year 1"),
    ("Sam", "Okafor", "Year 6"),
]


def _parents(people) -> list:
    User = get_user_model()
    parents = [people[Role.PARENT]]
    ParentProfile.objects.get_or_create(
        user=people[Role.PARENT], defaults={"child_year_group": "Year 4"}
    )
    for first, last, year in EXTRA_PARENTS:
        username = f"{first}.{last}".lower()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@parents.overstone.example",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        membership_add(user, Role.PARENT)
        ParentProfile.objects.get_or_create(user=user, defaults={"child_year_group": year})
        parents.append(user)
    return parents


def _at(days: int, hour: int) -> dt.datetime:
    """About ``days`` from today, on a school day: moved away from today (a past session
    stays past, an upcoming one upcoming) off weekends and holidays."""
    step = dt.timedelta(days=-1 if days < 0 else 1)
    day = timezone.localdate() + dt.timedelta(days=days)
    while not is_school_day(day):
        day += step
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


ALL_ATTENDED = [(i, i % 2, BookingStatus.ATTENDED) for i in range(5)]
SESSIONS = [
    # title, days from today, hour, capacity, topics, bookings (parent index, guests, status)
    (
        "Welcome evening: social media at Overstone Park",
        -300,
        18,
        40,
        ["benefits", "school_to_home", "home_to_school"],
        [*ALL_ATTENDED, (5, 0, BookingStatus.NO_SHOW)],
    ),
    (
        "What is fine to post, and what is not",
        -230,
        18,
        30,
        ["acceptable_posts", "negative_use", "explain_to_children"],
        ALL_ATTENDED,
    ),
    (
        "Concerns and complaints: the traditional route",
        -160,
        9,
        25,
        ["complaints_process", "inappropriate_use", "school_reputation", "staff_reputation"],
        [*ALL_ATTENDED[:4], (4, 0, BookingStatus.NO_SHOW), (5, 1, BookingStatus.ATTENDED)],
    ),
    (
        "Social media and your child: an introduction",
        -40,
        18,
        20,
        ["benefits", "acceptable_posts", "explain_to_children"],
        [
            (0, 1, BookingStatus.ATTENDED),
            (1, 0, BookingStatus.ATTENDED),
            (2, 0, BookingStatus.NO_SHOW),
        ],
    ),
    (
        "Talking to the school, not about it",
        -10,
        9,
        15,
        ["complaints_process", "school_reputation", "staff_reputation"],
        [(3, 0, BookingStatus.ATTENDED), (4, 1, BookingStatus.ATTENDED)],
    ),
    (
        "Keeping an eye: monitoring your child's social media",
        12,
        18,
        4,
        ["monitor_children", "explain_to_children", "negative_use"],
        [
            (1, 1, BookingStatus.CONFIRMED),
            (2, 1, BookingStatus.CONFIRMED),
            (3, 0, BookingStatus.WAITLISTED),
            (5, 1, BookingStatus.WAITLISTED),
        ],
    ),
    (
        "School and home online: how we keep in touch",
        26,
        9,
        25,
        ["school_to_home", "home_to_school", "benefits"],
        [(4, 0, BookingStatus.CONFIRMED)],
    ),
    (
        "When things go wrong online",
        45,
        18,
        20,
        ["inappropriate_use", "complaints_process", "acceptable_posts"],
        [],
    ),
]


# Staff sessions the principal organises (the policy gives awareness training to the
# principal and SLT); the demo staff member can book one.
STAFF_SESSIONS = [
    (
        "Staff briefing: online allegations and how the school supports you",
        19,
        16,
        30,
        ["staff_reputation", "inappropriate_use", "complaints_process"],
    ),
]


def _staff_sessions(people) -> None:
    for title, days, hour, capacity, topics in STAFF_SESSIONS:
        TrainingSession.objects.get_or_create(
            title=title,
            defaults={
                "topics": topics,
                "audience": Audience.STAFF,
                "starts_at": _at(days, hour),
                "ends_at": _at(days, hour) + dt.timedelta(hours=1),
                "place": "Staff room",
                "capacity": capacity,
                "max_guests": 0,
                "created_by": people[Role.PRINCIPAL],
            },
        )


def _sessions(people, parents) -> int:
    _staff_sessions(people)
    for title, days, hour, capacity, topics, bookings in SESSIONS:
        assert all(t in AwarenessTopic.values for t in topics)
        session, _ = TrainingSession.objects.get_or_create(
            title=title,
            defaults={
                "topics": topics,
                "audience": Audience.PARENTS,
                "starts_at": _at(days, hour),
                "ends_at": _at(days, hour) + dt.timedelta(hours=1, minutes=30),
                "place": "School hall",
                "capacity": capacity,
                "max_guests": 1,
                "created_by": people[Role.COORDINATOR],
            },
        )
        for index, guests, status in bookings:
            Booking.objects.get_or_create(
                session=session,
                parent=parents[index],
                defaults={"guests": guests, "status": status},
            )
    return len(SESSIONS) + len(STAFF_SESSIONS)


TEACHERS = [
    ("Ruth", "Adeyemi"), ("Tom", "Baxter"), ("Nadia", "Chowdhury"), ("Owen", "Davies"),
    ("Grace", "Ellis"), ("Sam", "Fraser"), ("Leah", "Green"), ("Imran", "Hussain"),
    ("Chloe", "Irving"), ("Marek", "Jablonski"), ("Hannah", "Kerr"),
]  # fmt: skip


def _teachers(people) -> None:
    """More school personnel, so induction coverage has real numbers (no logins)."""
    User = get_user_model()
    for n, (first, last) in enumerate(TEACHERS):
        user, created = User.objects.get_or_create(
            username=f"{first}.{last}".lower(),
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{first}.{last}@overstone.example".lower(),
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            membership_add(user, Role.STAFF)
        # Most have finished induction; the last few are part-way through.
        for topic in list(InductionTopic)[: 9 if n < 8 else 4 + n % 3]:
            InductionRecord.objects.get_or_create(
                staff=user,
                topic=topic,
                defaults={
                    "completed_on": timezone.localdate() - dt.timedelta(days=200 + n),
                    "confirmed_by": people[Role.COORDINATOR],
                    "confirmed_at": timezone.now(),
                },
            )


def _induction(people) -> None:
    _teachers(people)
    staff = people[Role.STAFF]
    for days, topic in enumerate(list(InductionTopic)[:6]):
        record, created = InductionRecord.objects.get_or_create(
            staff=staff,
            topic=topic,
            defaults={"completed_on": timezone.localdate() - dt.timedelta(days=60 - days)},
        )
        if created and days < 4:
            record.confirmed_by = people[Role.COORDINATOR]
            record.confirmed_at = timezone.now()
            record.save(update_fields=["confirmed_by", "confirmed_at"])
    for topic in InductionTopic:
        InductionRecord.objects.get_or_create(
            staff=people[Role.COORDINATOR],
            topic=topic,
            defaults={"completed_on": timezone.localdate() - dt.timedelta(days=400)},
        )


def _last_three_terms() -> list[tuple[int, Term]]:
    order = [Term.AUTUMN, Term.SPRING, Term.SUMMER]
    year, term = school_year_of(timezone.localdate()), term_of(timezone.localdate())
    terms = []
    for _ in range(3):
        index = order.index(term) - 1
        if index < 0:
            year, index = year - 1, 2
        term = order[index]
        terms.append((year, term))
    return list(reversed(terms))


# The policy's working party: the principal, the e-Safety coordinator, a nominated
# governor and parent representatives, each an account with their place on it.
MEMBERS = [
    (Role.PRINCIPAL, WorkingPartyRole.PRINCIPAL),
    (Role.COORDINATOR, WorkingPartyRole.COORDINATOR),
    (Role.GOVERNOR, WorkingPartyRole.GOVERNOR),
    (Role.PARENT, WorkingPartyRole.PARENT_REPRESENTATIVE),
]


def _members(people, terms: list[tuple[int, Term]]) -> list[WorkingPartyMember]:
    """Members since the first meeting's term; the parent representative (the demo
    parent) joined for the second, so they read the minutes of the two later meetings
    only."""
    members = []
    for role, place in MEMBERS:
        year, term = terms[1] if place == WorkingPartyRole.PARENT_REPRESENTATIVE else terms[0]
        member, _ = WorkingPartyMember.objects.get_or_create(
            user=people[role],
            place=place,
            defaults={"from_date": term_start(year, term), "created_by": people[Role.PRINCIPAL]},
        )
        members.append(member)
    return members


def _meetings(people) -> int:
    terms = _last_three_terms()
    members = _members(people, terms)
    for number, (year, term) in enumerate(terms, start=1):
        held_on = term_start(year, term) + dt.timedelta(days=35)
        meeting, created = WorkingPartyMeeting.objects.get_or_create(
            school_year=year,
            term=term,
            defaults={
                "held_on": held_on,
                "agenda": "1. Minutes of the last meeting\n2. Awareness training\n"
                "3. Monitored counts\n4. Actions carried over\n5. Any other business",
                "minutes": (
                    f"## Meeting {number}\n\n"
                    "The working party reviewed the **awareness training** programme.\n\n"
                    "- Attendance at parent sessions was discussed.\n"
                    "- The school's Facebook page will post session dates.\n"
                ),
                "decisions": "Run two parent sessions next term\nAdd a session on monitoring",
                "created_by": people[Role.COORDINATOR],
            },
        )
        if not created:
            continue
        MeetingAttendee.objects.bulk_create(
            MeetingAttendee(
                meeting=meeting,
                user=member.user,
                name=member.user.get_full_name(),
                role=member.place,
            )
            for member in members
            if member.is_current(held_on)
        )
        ActionItem.objects.create(
            meeting=meeting,
            description=f"Post the term {number} session dates on the school Facebook page",
            owner=people[Role.COORDINATOR],
            due_on=held_on + dt.timedelta(days=14),
            done_at=timezone.now() if number < 3 else None,
            done_by=people[Role.COORDINATOR] if number < 3 else None,
        )
        if number == 2:
            ActionItem.objects.create(
                meeting=meeting,
                description="Update the Home-School Agreement's social media statement",
                owner=people[Role.PRINCIPAL],
                due_on=held_on + dt.timedelta(days=30),
            )
    return 3


def seed(people) -> str:
    parents = _parents(people)
    sessions = _sessions(people, parents)
    _induction(people)
    meetings = _meetings(people)
    return f"{len(parents)} parents, {sessions} sessions, {meetings} working-party meetings"
