"""Subject-access requests due, for the home page's queue (see overstone.workqueue)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from overstone.roles import Capability, can
from overstone.workqueue import Urgency, WorkItem, register
from privacy.models import SubjectAccessRequest
from privacy.selectors import sar_list

DUE_SOON_DAYS = 7


@register
def subject_access_requests_due(user) -> list[WorkItem]:
    if not can(user, Capability.MANAGE_DATA_PROTECTION):
        return []
    today = timezone.localdate()
    status = SubjectAccessRequest.Status.OPEN
    open_requests = sar_list(status=status)
    late = open_requests.filter(due_on__lt=today).count()
    soon = open_requests.filter(
        due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)
    ).count()
    url = f"{reverse('privacy:sar_list')}?{urlencode({'status': status})}"
    return [
        WorkItem("Subject-access requests overdue", late, Urgency.OVERDUE, url, "Answer them"),
        WorkItem(
            "Subject-access requests due this week", soon, Urgency.DUE_SOON, url, "Answer them"
        ),
    ]
