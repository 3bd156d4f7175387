from incidents.models import Incident
from overstone.roles import Capability, can


def can_view_incident(user, incident: Incident) -> bool:
    """Leadership sees every incident; other school personnel only what they reported."""
    if can(user, Capability.VIEW_ALL_INCIDENTS):
        return True
    return can(user, Capability.LOG_INCIDENT) and incident.reported_by_id == user.pk


def can_edit_incident(user, incident: Incident) -> bool:
    """The coordinator and principal until it is closed; the reporter while it is open."""
    if incident.is_closed:
        return False
    if can(user, Capability.MANAGE_INCIDENTS):
        return True
    return incident.reported_by_id == user.pk and incident.status == Incident.Status.OPEN


def can_manage_incident(user, incident: Incident) -> bool:
    return can(user, Capability.MANAGE_INCIDENTS) and not incident.is_closed
