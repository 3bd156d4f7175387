"""The incident log's work for the home page's queue (see overstone.workqueue)."""

from django.urls import reverse
from django.utils.http import urlencode

from incidents.models import Incident
from incidents.selectors import incident_list
from overstone.roles import Capability, can
from overstone.workqueue import Urgency, WorkItem, register


@register
def incidents_to_report(user) -> list[WorkItem]:
    if not can(user, Capability.MANAGE_INCIDENTS):
        return []
    status = Incident.Status.OPEN
    waiting = incident_list(user=user).filter(status=status).count()
    url = f"{reverse('incidents:list')}?{urlencode({'status': status})}"
    return [
        WorkItem(
            "Incidents waiting to be reported to the principal",
            waiting,
            Urgency.WAITING,
            url,
            "Open them",
        )
    ]
