"""Every read the training views make, already limited to what the user may see."""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from overstone.roles import SCHOOL_PERSONNEL, Capability, Role, can
from overstone.schools import users_with_roles
from overstone.selectors import school_personnel
from training.models import (
    ACTIVE_BOOKING,
    SEAT_HOLDING,
    ActionItem,
    Booking,
    BookingStatus,
    InductionRecord,
    InductionTopic,
    InductionValidity,
    MeetingAttendee,
    ParentInvitation,
    ParentProfile,
    SessionEvent,
    SessionStatus,
    TrainingSession,
    WorkingPartyMeeting,
    WorkingPartyMember,
    WorkingPartyRole,
)
from training.permissions import bookable_audiences, reads_all_minutes

User = get_user_model()


def _bookings_of_each(**filters) -> QuerySet[Booking]:
    return Booking.objects.filter(session=OuterRef("pk"), **filters).order_by().values("session")


def _with_seats(sessions: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    """Seats taken (bookings and their guests), left and waitlisted, per session.

    Correlated subqueries rather than a join and GROUP BY: the database counts the
    bookings of the sessions a page shows, not of every session the filter matches, and
    a count of the sessions leaves them out."""
    holding = _bookings_of_each(status__in=SEAT_HOLDING)
    waiting = _bookings_of_each(status=BookingStatus.WAITLISTED)
    return sessions.annotate(
        seats_taken=Coalesce(
            Subquery(holding.annotate(n=Count("pk") + Sum("guests")).values("n")), Value(0)
        ),
        waitlisted=Coalesce(Subquery(waiting.annotate(n=Count("pk")).values("n")), Value(0)),
    ).annotate(seats_left=F("capacity") - F("seats_taken"))


def session_list(*, when: str = "upcoming") -> QuerySet[TrainingSession]:
    """The coordinator's list: every session, upcoming first or past latest first."""
    now = timezone.now()
    sessions = _with_seats(TrainingSession.objects.all())
    if when == "past":
        return sessions.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
    if when == "all":
        return sessions.order_by("-starts_at", "-pk")
    return sessions.filter(starts_at__gte=now).order_by("starts_at", "pk")


def session_get(*, pk: int) -> TrainingSession:
    return get_object_or_404(_with_seats(TrainingSession.objects.all()), pk=pk)


def session_bookings(*, session: TrainingSession) -> QuerySet[Booking]:
    """With the year group of the parent's child at this school (``child_year_group``)."""
    profile = ParentProfile.objects.filter(user=OuterRef("parent"))
    return (
        session.bookings.select_related("parent")
        .annotate(child_year_group=Subquery(profile.values("child_year_group")[:1]))
        .order_by("status", "created_at", "pk")
        .exclude(status=BookingStatus.CANCELLED)
    )


def upcoming_sessions_for_parent(*, user) -> QuerySet[TrainingSession]:
    """Upcoming sessions of the audiences this user books (parents', staff, or both)."""
    mine = Booking.objects.filter(parent=user, status__in=ACTIVE_BOOKING)
    return (
        _with_seats(
            TrainingSession.objects.filter(
                audience__in=bookable_audiences(user),
                status=SessionStatus.SCHEDULED,
                starts_at__gt=timezone.now(),
            )
        )
        .prefetch_related(Prefetch("bookings", queryset=mine, to_attr="my_bookings"))
        .order_by("starts_at", "pk")
    )


def bookable_session_get(*, user, pk: int) -> TrainingSession:
    return get_object_or_404(
        _with_seats(
            TrainingSession.objects.filter(
                audience__in=bookable_audiences(user), status=SessionStatus.SCHEDULED
            )
        ),
        pk=pk,
    )


def bookings_for_parent(*, user) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(parent=user)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("session")
        .order_by("-session__starts_at", "-pk")
    )


def booking_for_parent(*, user, pk: int) -> Booking:
    return get_object_or_404(Booking.objects.select_related("session"), pk=pk, parent=user)


def booking_get(*, pk: int) -> Booking:
    return get_object_or_404(Booking.objects.select_related("session"), pk=pk)


def _count_of_each_parent(records: QuerySet, parent: str) -> Coalesce:
    """How many of ``records`` (this school's) each parent has."""
    per_parent = records.filter(**{parent: OuterRef("user")}).order_by().values(parent)
    return Coalesce(Subquery(per_parent.annotate(n=Count("pk")).values("n")), Value(0))


def parent_list(*, search: str = "", year_group: str = "") -> QuerySet[ParentProfile]:
    """This school's parents, with their bookings and invitations here (a parent of two
    schools has others there)."""
    profiles = ParentProfile.objects.select_related("user").annotate(
        active_bookings=_count_of_each_parent(
            Booking.objects.filter(status__in=SEAT_HOLDING), "parent"
        ),
        invitations_sent=_count_of_each_parent(
            ParentInvitation.objects.filter(sent_at__isnull=False), "user"
        ),
    )
    if search:
        profiles = profiles.filter(
            Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
            | Q(user__email__icontains=search)
        )
    if year_group:
        profiles = profiles.filter(child_year_group__iexact=year_group)
    return profiles.order_by("user__last_name", "user__first_name", "pk")


def parent_profile_get(*, pk: int) -> ParentProfile:
    return get_object_or_404(ParentProfile.objects.select_related("user"), pk=pk)


# ---------------------------------------------------------------------------
# Induction
# ---------------------------------------------------------------------------
def induction_records_for(*, user) -> dict[str, InductionRecord]:
    return {r.topic: r for r in InductionRecord.objects.filter(staff=user)}


def induction_validity() -> dict[str, int | None]:
    """Months each topic counts for; a topic missing here never expires."""
    return dict(InductionValidity.objects.values_list("topic", "valid_months"))


@dataclass(frozen=True)
class InductionStanding:
    """One topic for one person: their record (if any), when it stops counting, and
    whether it already has."""

    topic: InductionTopic
    record: InductionRecord | None
    expires_on: dt.date | None
    expired: bool


def induction_standing(
    records: dict[str, InductionRecord], *, validity: dict[str, int | None], today: dt.date
) -> list[InductionStanding]:
    standing = []
    for topic in InductionTopic:
        record = records.get(topic.value)
        expires_on = record.expires_on(validity.get(topic.value)) if record else None
        standing.append(
            InductionStanding(
                topic, record, expires_on, expires_on is not None and today >= expires_on
            )
        )
    return standing


def _expired_records(validity: dict[str, int | None], today: dt.date) -> Q:
    """Records whose topic has expired by ``today``."""
    expired = Q(pk__in=[])
    for topic, months in validity.items():
        if not months:
            continue
        cutoff = today - relativedelta(months=months)
        if (today + dt.timedelta(days=1)).day == 1:
            # On a month's last day, later days of the cutoff month have expired too
            # (31 August + 6 months is 28 February).
            cutoff += relativedelta(day=31)
        expired |= Q(topic=topic, completed_on__lte=cutoff)
    return expired


def induction_records_current(*, today: dt.date | None = None) -> QuerySet[InductionRecord]:
    """Induction records that still count on ``today``: not of a topic that has expired
    (the annual report counts these, as the matrix shows them)."""
    return InductionRecord.objects.exclude(
        _expired_records(induction_validity(), today or timezone.localdate())
    )


def staff_for_matrix(
    *, search: str = "", gaps_only: bool = False, today: dt.date | None = None
) -> QuerySet:
    """School personnel with their induction records, for the staff × topic matrix. A gap
    is a topic never recorded or one that has expired."""
    expired = _expired_records(induction_validity(), today or timezone.localdate())
    # This school's records: someone on the staff of two schools has an induction at each.
    done = (
        InductionRecord.objects.filter(staff=OuterRef("pk"))
        .exclude(expired)
        .order_by()
        .values("staff")
        .annotate(n=Count("pk"))
        .values("n")
    )
    staff = (
        school_personnel()
        .annotate(topics_done=Coalesce(Subquery(done), Value(0)))
        .prefetch_related(
            Prefetch(
                "induction_records",
                queryset=InductionRecord.objects.all(),
                to_attr="induction_list",
            )
        )
        .order_by("last_name", "first_name", "pk")
    )
    if search:
        staff = staff.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(username__icontains=search)
        )
    if gaps_only:
        staff = staff.filter(topics_done__lt=len(InductionTopic.values))
    return staff


def induction_record_get(*, pk: int) -> InductionRecord:
    return get_object_or_404(InductionRecord, pk=pk)


def unconfirmed_induction_records() -> QuerySet[InductionRecord]:
    return (
        InductionRecord.objects.filter(confirmed_at=None)
        .select_related("staff")
        .order_by("recorded_at", "pk")
    )


# ---------------------------------------------------------------------------
# Working party
# ---------------------------------------------------------------------------
def meetings_readable(*, user) -> QuerySet[WorkingPartyMeeting]:
    """Every meeting for those who read the minutes; for a parent representative only the
    meetings they attended; none for anyone else."""
    if reads_all_minutes(user):
        return WorkingPartyMeeting.objects.all()
    if can(user, Capability.READ_OWN_MINUTES):
        return WorkingPartyMeeting.objects.filter(
            pk__in=MeetingAttendee.objects.filter(user=user).values("meeting")
        )
    return WorkingPartyMeeting.objects.none()


def may_open_minutes(*, user) -> bool:
    """Whether the working-party pages open at all: a parent only once they are, or were,
    a parent representative."""
    if reads_all_minutes(user):
        return True
    return can(user, Capability.READ_OWN_MINUTES) and (
        WorkingPartyMember.objects.filter(
            user=user, place=WorkingPartyRole.PARENT_REPRESENTATIVE
        ).exists()
        or MeetingAttendee.objects.filter(user=user).exists()
    )


def meeting_list(*, user, school_year: int | None = None) -> QuerySet[WorkingPartyMeeting]:
    meetings = meetings_readable(user=user).annotate(
        open_actions=Count("actions", filter=Q(actions__done_at=None), distinct=True),
        attendee_count=Count("attendees", distinct=True),
    )
    if school_year:
        meetings = meetings.filter(school_year=school_year)
    return meetings.order_by("-held_on", "-pk")


def meeting_school_years(*, user) -> list[int]:
    return list(
        meetings_readable(user=user)
        .order_by("-school_year")
        .values_list("school_year", flat=True)
        .distinct()
    )


def meeting_get(*, user, pk: int) -> WorkingPartyMeeting:
    return get_object_or_404(
        meetings_readable(user=user).prefetch_related(
            "attendees",
            Prefetch("actions", queryset=ActionItem.objects.select_related("owner", "done_by")),
        ),
        pk=pk,
    )


def actions_carried_over(*, meeting: WorkingPartyMeeting) -> QuerySet[ActionItem]:
    """Actions from earlier meetings that are still open: on this meeting's agenda."""
    return (
        ActionItem.objects.filter(done_at=None, meeting__held_on__lt=meeting.held_on)
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")
    )


def member_list() -> QuerySet[WorkingPartyMember]:
    """Current members first, by place; then past ones, latest first."""
    return WorkingPartyMember.objects.select_related("user").order_by(
        F("to_date").desc(nulls_first=True), "place", "user__last_name", "pk"
    )


def member_get(*, pk: int) -> WorkingPartyMember:
    return get_object_or_404(WorkingPartyMember.objects.select_related("user"), pk=pk)


def member_user_choices() -> QuerySet:
    """Accounts that can hold a place (everyone with a role but staff-only ones can be
    refused by place in the service)."""
    return users_with_roles(Role.values).order_by("last_name", "first_name", "pk")


def action_get(*, pk: int) -> ActionItem:
    return get_object_or_404(ActionItem.objects.select_related("meeting"), pk=pk)


def action_owner_choices() -> QuerySet:
    roles = [r.value for r in (*SCHOOL_PERSONNEL, Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS)]
    return users_with_roles(roles).order_by("last_name", "first_name")


def session_history(*, session: TrainingSession, limit: int = 20) -> list[SessionEvent]:
    """The latest lines of a session's history, newest first."""
    return list(session.events.select_related("actor").order_by("-at", "-pk")[:limit])
