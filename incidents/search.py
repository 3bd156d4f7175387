"""What incidents make searchable (see overstone.search): the incident list's own records,
so staff find only the incidents they logged."""

from incidents.selectors import incident_list
from overstone.roles import Capability
from overstone.search import Hit, SearchSource, register

register(
    SearchSource(
        name="incidents",
        label="e-Safety incidents",
        capabilities=(Capability.LOG_INCIDENT, Capability.VIEW_ALL_INCIDENTS),
        records=lambda user: incident_list(user=user),
        references=("reference", "isp_reference", "police_reference"),
        fields=(
            "description",
            "location_detail",
            "outcome",
            "pupils__name",
            # A picked pupil's name as the pupil records have it now (renamed since).
            "pupils__pupil__first_name",
            "pupils__pupil__last_name",
            "reported_by__first_name",
            "reported_by__last_name",
            "staff_involved__first_name",
            "staff_involved__last_name",
        ),
        describe=lambda incident: Hit(
            title=f"{incident.reference} · {incident.category_label}",
            summary=incident.description,
            url=incident.get_absolute_url(),
            on=incident.occurred_at,
        ),
    )
)
