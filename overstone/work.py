"""The kernel's own work for the home page's queue (see overstone.workqueue)."""

from django.urls import reverse

from overstone.roles import Capability, can
from overstone.selectors import email_failed_list
from overstone.workqueue import Urgency, WorkItem, register


@register
def emails_failed(user) -> list[WorkItem]:
    if not can(user, Capability.VIEW_FAILED_EMAILS):
        return []
    failed = email_failed_list(user=user).count()
    return [
        WorkItem(
            "E-mails that could not be sent",
            failed,
            Urgency.WAITING,
            reverse("failed_emails"),
            "Follow them up",
        )
    ]
