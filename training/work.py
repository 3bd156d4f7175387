"""Training's work for the home page's queue (see overstone.workqueue): working-party
actions a person owns, and a parent's next booking."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from overstone.roles import Capability, can
from overstone.workqueue import Urgency, WorkItem, register
from training.models import ActionItem, SessionStatus
from training.selectors import bookings_for_parent


@register
def actions_assigned(user) -> list[WorkItem]:
    """Anyone may own an action; the meetings page is for those who read the minutes."""
    open_actions = ActionItem.objects.filter(owner=user, done_at=None)
    today = timezone.localdate()
    late = open_actions.filter(due_on__lt=today).count()
    later = open_actions.filter(due_on__gte=today).count()
    url = reverse("training:meeting_list") if can(user, Capability.READ_MINUTES) else None
    return [
        WorkItem("Working-party actions overdue", late, Urgency.OVERDUE, url, "See the meetings"),
        WorkItem("Working-party actions for you", later, Urgency.DUE_SOON, url, "See the meetings"),
    ]


@register
def next_booking(user) -> list[WorkItem]:
    if not can(user, Capability.BOOK_TRAINING):
        return []
    booking = (
        bookings_for_parent(user=user)
        .filter(session__starts_at__gte=timezone.now(), session__status=SessionStatus.SCHEDULED)
        .order_by("session__starts_at", "pk")
        .first()
    )
    if booking is None:
        return []
    session = booking.session
    when = date_format(timezone.localtime(session.starts_at), "l j F, H:i")
    return [
        WorkItem(
            f"Your next training: {session.title}",
            1,
            Urgency.NOTE,
            reverse("training:upcoming"),
            "See your bookings",
            detail=f"{when} · {booking.get_status_display()}",
        )
    ]
