"""Policies due for review, for the home page's queue (see overstone.workqueue)."""

from django.urls import reverse
from django.utils import timezone

from overstone.roles import Capability, can
from overstone.workqueue import Urgency, WorkItem, register
from reporting.selectors import policies_due


@register
def policies_to_review(user) -> list[WorkItem]:
    if not can(user, Capability.MANAGE_POLICIES):
        return []
    due = policies_due()
    today = timezone.localdate()
    late = due.filter(review_due__lt=today).count()
    soon = due.filter(review_due__gte=today).count()
    url = reverse("reporting:policy_list")
    return [
        WorkItem("Policies overdue for review", late, Urgency.OVERDUE, url, "Review them"),
        WorkItem("Policies due for review soon", soon, Urgency.DUE_SOON, url, "Review them"),
    ]
