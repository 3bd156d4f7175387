"""Tasks and referrals for the home page's queue (see overstone.workqueue): a person's
open tasks (overdue, due within a week, then the rest, listed without counting towards
the badge) and the referrals they made that are still
waiting for an answer after their expected date."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from cases.selectors import open_tasks_for, overdue_referrals_q, referral_list
from overstone.roles import Capability, can
from overstone.workqueue import Urgency, WorkItem, register

DUE_SOON = timedelta(days=7)


@register
def tasks_owned(user) -> list[WorkItem]:
    if not can(user, Capability.WORK_ON_CASES):
        return []
    today = timezone.localdate()
    counts = open_tasks_for(user).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + DUE_SOON)),
        later=Count("pk", filter=Q(due_on__gt=today + DUE_SOON)),
    )
    url = reverse("cases:my_tasks")
    return [
        WorkItem(
            "Your tasks past their due date", counts["overdue"], Urgency.OVERDUE, url, "Open them"
        ),
        WorkItem(
            "Your tasks due within a week", counts["soon"], Urgency.DUE_SOON, url, "Open them"
        ),
        WorkItem("Your tasks due later", counts["later"], Urgency.NOTE, url, "Open them"),
    ]


@register
def referrals_unanswered(user) -> list[WorkItem]:
    if not can(user, Capability.WORK_ON_CASES):
        return []
    mine = referral_list(user=user).filter(referred_by=user)
    late = mine.filter(overdue_referrals_q(timezone.localdate())).count()
    url = f"{reverse('cases:referral_list')}?overdue=1"
    return [
        WorkItem("Referrals with no answer by their date", late, Urgency.OVERDUE, url, "Chase them")
    ]
