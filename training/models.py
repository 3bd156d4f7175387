"""Awareness training for parents, staff induction records and the termly working party.

Topic lists are the policy's own words (Principal's role: "organise social media
awareness training for parents outlining ..."; Training: "receive training on
induction which specifically covers ...").
"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q

from overstone.models import AppendOnlyModel
from overstone.schools import SchoolField, scoped_manager
from overstone.schoolyear import school_year_label
from overstone.validators import validate_single_line


class AwarenessTopic(models.TextChoices):
    BENEFITS = "benefits", "The benefits of social media"
    NEGATIVE_USE = "negative_use", "The negative and inappropriate use of social media by parents"
    ACCEPTABLE_POSTS = "acceptable_posts", "What is acceptable to post online"
    SCHOOL_REPUTATION = (
        "school_reputation",
        "How adverse comments posted online can affect the reputation of the school",
    )
    STAFF_REPUTATION = (
        "staff_reputation",
        "How adverse comments posted online can affect the reputation of individual "
        "members of the school personnel",
    )
    SCHOOL_TO_HOME = (
        "school_to_home",
        "How social media can be used to communicate between school and home",
    )
    HOME_TO_SCHOOL = (
        "home_to_school",
        "How social media can be used to communicate between home and school",
    )
    EXPLAIN_TO_CHILDREN = (
        "explain_to_children",
        "How parents can explain to their children what is acceptable to post online",
    )
    MONITOR_CHILDREN = (
        "monitor_children",
        "How parents can monitor how their children are using social media",
    )
    INAPPROPRIATE_USE = (
        "inappropriate_use",
        "How we deal with the inappropriate use of social media by parents against the school",
    )
    COMPLAINTS_PROCESS = (
        "complaints_process",
        "How parents must use the 'traditional' complaints process rather than making a "
        "complaint by using social media",
    )


class InductionTopic(models.TextChoices):
    THIS_POLICY = "this_policy", "All aspects of this policy"
    SOCIAL_NETWORKING = "social_networking", "Internet Social Networking"
    E_SAFETY = "e_safety", "E-safety"
    COMPLAINTS = "complaints", "Complaints"
    HOME_SCHOOL_AGREEMENT = "home_school_agreement", "Home School Agreement"
    COMMUNICATIONS = "communications", "Communications"
    ALLEGATIONS = (
        "allegations",
        "Dealing with Allegations against School Personnel, Volunteers, Principal or Pupils",
    )
    EQUAL_OPPORTUNITIES = "equal_opportunities", "Equal opportunities"
    INCLUSION = "inclusion", "Inclusion"


# ---------------------------------------------------------------------------
# Parent accounts
# ---------------------------------------------------------------------------
class ParentProfile(models.Model):
    """A parent at one school; a parent of children at two schools has a profile at each
    (one account)."""

    school = SchoolField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="parent_profiles"
    )
    child_year_group = models.CharField(max_length=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "user"], name="one_parent_profile_a_school"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class ParentInvitation(models.Model):
    """One invitation e-mail with a set-password link; sent once (sent_at)."""

    school = SchoolField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_invitations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Invitation for {self.user}"


# ---------------------------------------------------------------------------
# Sessions and bookings
# ---------------------------------------------------------------------------
class Audience(models.TextChoices):
    PARENTS = "parents", "Parents and carers"
    STAFF = "staff", "School personnel"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


SESSION_TRANSITIONS: dict[str, frozenset[str]] = {
    SessionStatus.SCHEDULED: frozenset({SessionStatus.CANCELLED}),
    SessionStatus.CANCELLED: frozenset(),
}


class TrainingSession(models.Model):
    school = SchoolField()
    title = models.CharField(max_length=200, validators=[validate_single_line])
    topics = models.JSONField(default=list, help_text="AwarenessTopic values")
    audience = models.CharField(
        max_length=20, choices=Audience.choices, default=Audience.PARENTS, db_index=True
    )
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(blank=True)
    capacity = models.PositiveIntegerField()
    max_guests = models.PositiveIntegerField(
        default=1, help_text="How many other adults a parent may bring."
    )
    booking_open = models.BooleanField(default=True)
    cancel_reason = models.TextField(blank=True, help_text="Told to everyone booked.")
    status = models.CharField(
        max_length=20,
        choices=SessionStatus.choices,
        default=SessionStatus.SCHEDULED,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["school", "starts_at"], name="session_school_starts")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d %b %Y})"

    @property
    def topic_labels(self) -> list[str]:
        return [
            AwarenessTopic(value).label for value in self.topics if value in AwarenessTopic.values
        ]

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    def where(self) -> str:
        return " · ".join(part for part in (self.place, self.online_link) if part)


class SessionEvent(AppendOnlyModel):
    """One line of a session's history (created, changed, cancelled). Written once."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        EDITED = "edited", "Changed"
        CANCELLED = "cancelled", "Cancelled"

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)

    objects = scoped_manager(path="session__school")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.session_id} {self.kind} at {self.at:%Y-%m-%d %H:%M}"


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    WAITLISTED = "waitlisted", "On the waitlist"
    CANCELLED = "cancelled", "Cancelled"
    ATTENDED = "attended", "Attended"
    NO_SHOW = "no_show", "Did not attend"


BOOKING_TRANSITIONS: dict[str, frozenset[str]] = {
    BookingStatus.CONFIRMED: frozenset(
        {BookingStatus.CANCELLED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW}
    ),
    BookingStatus.WAITLISTED: frozenset({BookingStatus.CONFIRMED, BookingStatus.CANCELLED}),
    BookingStatus.ATTENDED: frozenset({BookingStatus.NO_SHOW}),
    BookingStatus.NO_SHOW: frozenset({BookingStatus.ATTENDED}),
    BookingStatus.CANCELLED: frozenset(),
}

# A booking in one of these holds the parent's place (or place in the queue).
ACTIVE_BOOKING = (
    BookingStatus.CONFIRMED,
    BookingStatus.WAITLISTED,
    BookingStatus.ATTENDED,
    BookingStatus.NO_SHOW,
)
# These count against the session's capacity.
SEAT_HOLDING = (BookingStatus.CONFIRMED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW)


class Booking(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="bookings")
    # Whoever booked: a parent for a parents' session, a member of staff for a staff one.
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_bookings"
    )
    guests = models.PositiveIntegerField(default=0, help_text="Other adults coming along.")
    status = models.CharField(max_length=20, choices=BookingStatus.choices, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager(path="session__school")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "parent"],
                condition=~Q(status="cancelled"),
                name="one_active_booking_per_parent_and_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent} · {self.session} · {self.get_status_display()}"

    @property
    def seats(self) -> int:
        return 1 + self.guests

    @property
    def can_be_cancelled_by_parent(self) -> bool:
        return self.status in (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)


class NoticeKind(models.TextChoices):
    CONFIRMED = "confirmed", "Place confirmed"
    WAITLISTED = "waitlisted", "Added to the waitlist"
    PROMOTED = "promoted", "Moved off the waitlist"
    REMINDER = "reminder", "Reminder the day before"
    SESSION_CANCELLED = "session_cancelled", "Session cancelled"


class BookingNotice(models.Model):
    """An e-mail sent about a booking; the unique pair makes sending idempotent."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=30, choices=NoticeKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(path="booking__session__school")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "kind"], name="one_notice_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · booking {self.booking_id}"


# ---------------------------------------------------------------------------
# Staff induction
# ---------------------------------------------------------------------------
class InductionValidity(models.Model):
    """How long a completed induction topic counts, where it must be renewed (e.g. e-safety
    every year), set by each school. A topic without a row, or with no months, never
    expires."""

    school = SchoolField()
    topic = models.CharField(max_length=40, choices=InductionTopic.choices)
    valid_months = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["topic"]
        verbose_name_plural = "induction validities"
        constraints = [
            models.UniqueConstraint(fields=["school", "topic"], name="one_validity_a_topic"),
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()}: {self.valid_months or 'no'} months"


def induction_expires_on(completed_on: dt.date, valid_months: int | None) -> dt.date | None:
    """The first day the topic no longer counts, or None if it never expires."""
    if not valid_months:
        return None
    return completed_on + relativedelta(months=valid_months)


class InductionRecord(models.Model):
    """A staff member's completion of one induction topic at one school; its coordinator
    confirms it."""

    school = SchoolField()
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="induction_records"
    )
    topic = models.CharField(max_length=40, choices=InductionTopic.choices)
    completed_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["staff", "topic"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "staff", "topic"], name="one_record_per_staff_topic"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} · {self.get_topic_display()}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def expires_on(self, valid_months: int | None) -> dt.date | None:
        return induction_expires_on(self.completed_on, valid_months)


# ---------------------------------------------------------------------------
# Working party
# ---------------------------------------------------------------------------
class Term(models.TextChoices):
    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"


# (month, day) each term starts; the school year starts with the autumn term.
TERM_STARTS = {Term.AUTUMN: (9, 1), Term.SPRING: (1, 1), Term.SUMMER: (4, 15)}


def term_of(day: dt.date) -> Term:
    if day.month >= 9:
        return Term.AUTUMN
    if (day.month, day.day) >= TERM_STARTS[Term.SUMMER]:
        return Term.SUMMER
    return Term.SPRING


def term_start(school_year: int, term: Term) -> dt.date:
    month, day = TERM_STARTS[term]
    return dt.date(school_year if term == Term.AUTUMN else school_year + 1, month, day)


class WorkingPartyRole(models.TextChoices):
    PRINCIPAL = "principal", "Principal"
    COORDINATOR = "coordinator", "e-Safety coordinator"
    GOVERNOR = "governor", "Nominated governor"
    PARENT_REPRESENTATIVE = "parent_representative", "Parent representative"
    OTHER = "other", "Other"


class WorkingPartyMeeting(models.Model):
    school = SchoolField()
    school_year = models.PositiveIntegerField(db_index=True)
    term = models.CharField(max_length=10, choices=Term.choices)
    held_on = models.DateField(db_index=True)
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True, help_text="Markdown")
    decisions = models.TextField(blank=True, help_text="One decision a line")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["school", "-held_on"], name="meeting_school_held_on")]

    def __str__(self) -> str:
        return f"{self.get_term_display()} term {school_year_label(self.school_year)}"

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)

    @property
    def decision_lines(self) -> list[str]:
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]


class WorkingPartyMember(models.Model):
    """An account's place on the working party, from one date to another (open-ended while
    it lasts). Meeting attendees are picked from the members. Each school has its own
    working party."""

    school = SchoolField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="working_party_places"
    )
    place = models.CharField(max_length=30, choices=WorkingPartyRole.choices)
    from_date = models.DateField()
    to_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["place", "user__last_name", "user__first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_date__isnull=True) | Q(to_date__gte=models.F("from_date")),
                name="membership_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_place_display()})"

    def is_current(self, on: dt.date) -> bool:
        return self.from_date <= on and (self.to_date is None or on <= self.to_date)


class MeetingAttendee(models.Model):
    """Who attended: a member's account (``user``), or a guest by name alone. The name and
    role are kept as they were on the day."""

    meeting = models.ForeignKey(
        WorkingPartyMeeting, on_delete=models.CASCADE, related_name="attendees"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="working_party_attendances",
    )
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=30, choices=WorkingPartyRole.choices)

    objects = scoped_manager(path="meeting__school")

    class Meta:
        ordering = ["role", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class ActionItem(models.Model):
    meeting = models.ForeignKey(
        WorkingPartyMeeting, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_actions"
    )
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = scoped_manager(path="meeting__school")

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class TermReminder(models.Model):
    """A school's coordinator was reminded that a term had no meeting; once per term."""

    school = SchoolField()
    school_year = models.PositiveIntegerField()
    term = models.CharField(max_length=10, choices=Term.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "term"], name="one_reminder_per_term"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.term} {school_year_label(self.school_year)}"
