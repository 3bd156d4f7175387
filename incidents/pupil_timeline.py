"""The incidents that name a pupil, for the pupil's page (see pupils.timeline)."""

from incidents.selectors import incident_list
from pupils.timeline import TimelineEntry, register, register_seen


@register
def incidents_naming(pupil, user):
    incidents = incident_list(user=user).filter(pupils__pupil=pupil).distinct()
    for incident in incidents:
        yield TimelineEntry(
            on=incident.occurred_at,
            kind="e-Safety incident",
            reference=incident.reference,
            summary=f"{incident.category_label} ({incident.get_status_display().lower()}). "
            f"{incident.description}",
            url=incident.get_absolute_url(),
        )


@register_seen
def pupils_in_incidents(user):
    return incident_list(user=user).filter(pupils__pupil__isnull=False).values("pupils__pupil")
