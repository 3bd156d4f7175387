"""The complaints' work for the home page's queue (see overstone.workqueue)."""

from django.urls import reverse

from complaints.models import Concern
from complaints.selectors import complaint_list, concern_list
from overstone.roles import Capability, can
from overstone.workqueue import Urgency, WorkItem, register


@register
def complaint_stages_overdue(user) -> list[WorkItem]:
    if not can(user, Capability.VIEW_COMPLAINTS):
        return []
    overdue = complaint_list(user=user).filter(overdue=True).count()
    url = "complaints:board" if can(user, Capability.MANAGE_COMPLAINTS) else "complaints:escalated"
    return [
        WorkItem(
            "Complaint stages overdue", overdue, Urgency.OVERDUE, reverse(url), "Open the board"
        )
    ]


@register
def concerns_to_answer(user) -> list[WorkItem]:
    if not can(user, Capability.MANAGE_COMPLAINTS):
        return []
    waiting = concern_list(user=user).exclude(status=Concern.Status.ANSWERED).count()
    return [
        WorkItem(
            "Concerns from parents to answer",
            waiting,
            Urgency.WAITING,
            reverse("complaints:concern_manage"),
            "Answer them",
        )
    ]


@register
def my_concerns_open(user) -> list[WorkItem]:
    if not can(user, Capability.RAISE_CONCERN):
        return []
    open_concerns = concern_list(user=user).exclude(status=Concern.Status.ANSWERED).count()
    return [
        WorkItem(
            "Your concerns being looked into",
            open_concerns,
            Urgency.NOTE,
            reverse("complaints:concern_list"),
            "See your concerns",
        )
    ]
