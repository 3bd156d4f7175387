"""What training makes searchable (see overstone.search): working-party minutes for those
who read them; sessions, parent accounts and staff for the coordinator; a parent's own
bookings for the parent. Governors find minutes, never names of parents or staff."""

from urllib.parse import urlencode

from django.urls import reverse

from overstone.roles import Capability
from overstone.search import Hit, SearchSource, register
from overstone.selectors import school_personnel
from training.models import Booking, BookingStatus, ParentProfile, TrainingSession
from training.selectors import meeting_list


def _name(user) -> str:
    return user.get_full_name() or user.username


def _filtered(url_name: str, search: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'search': search})}"


register(
    SearchSource(
        name="minutes",
        label="Working-party meetings",
        capabilities=(Capability.READ_MINUTES, Capability.READ_OWN_MINUTES),
        records=lambda user: meeting_list(user=user),
        fields=("agenda", "minutes", "decisions", "attendees__name", "actions__description"),
        describe=lambda meeting: Hit(
            title=str(meeting),
            summary=meeting.minutes or meeting.agenda,
            url=reverse("training:meeting_detail", args=[meeting.pk]),
            on=meeting.held_on,
        ),
    ),
    SearchSource(
        name="sessions",
        label="Training sessions",
        capabilities=(Capability.MANAGE_TRAINING,),
        records=lambda user: TrainingSession.objects.order_by("-starts_at", "-pk"),
        fields=("title", "place"),
        describe=lambda session: Hit(
            title=session.title,
            summary=session.place,
            url=reverse("training:session_detail", args=[session.pk]),
            on=session.starts_at,
        ),
    ),
    SearchSource(
        name="bookings",
        label="My training bookings",
        capabilities=(Capability.BOOK_TRAINING, Capability.BOOK_STAFF_TRAINING),
        records=lambda user: (
            Booking.objects.filter(parent=user)
            .exclude(status=BookingStatus.CANCELLED)
            .select_related("session")
            .order_by("-session__starts_at", "-pk")
        ),
        fields=("session__title", "session__place"),
        describe=lambda booking: Hit(
            title=booking.session.title,
            summary=f"{booking.get_status_display()}. {booking.session.place}",
            url=reverse("training:upcoming"),
            on=booking.session.starts_at,
        ),
    ),
    SearchSource(
        name="parents",
        label="Parent accounts",
        capabilities=(Capability.MANAGE_TRAINING,),
        records=lambda user: ParentProfile.objects.select_related("user"),
        fields=("user__first_name", "user__last_name", "user__email"),
        describe=lambda profile: Hit(
            title=_name(profile.user),
            summary=f"{profile.user.email} · child in {profile.child_year_group}",
            url=_filtered("training:parent_list", profile.user.email),
        ),
    ),
    SearchSource(
        name="staff",
        label="School personnel",
        capabilities=(Capability.MANAGE_TRAINING,),
        records=lambda user: school_personnel(),
        fields=("first_name", "last_name", "username"),
        describe=lambda person: Hit(
            title=_name(person),
            summary="Induction training",
            url=_filtered("training:induction_matrix", person.username),
        ),
    ),
)
