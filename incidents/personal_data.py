"""What incidents hold about people, for data protection (see overstone.personal_data).

The records and their visibility are the incident pages' own (``incident_list``)."""

from django.db.models import F

from incidents.models import Incident
from incidents.selectors import incident_list
from incidents.services import incident_anonymise
from overstone.personal_data import Mention, NotPersonal, RecordKind, SubjectAccessSource, register


def _visible(user):
    return incident_list(user=user)


register(
    RecordKind(
        name="incident",
        label="e-Safety incident",
        model=Incident,
        records=_visible,
        finished=lambda incidents: incidents.filter(status=Incident.Status.CLOSED).annotate(
            finished=F("closed_at")
        ),
        anonymise=lambda incident, actor: incident_anonymise(incident=incident, actor=actor),
        retention_key="incident",
        url_name="incidents:detail",
        finished_label="e-Safety incidents, after they are closed,",
    ),
    SubjectAccessSource(
        label="e-Safety incident",
        model=Incident,
        records=_visible,
        text_fields=(
            "description",
            "location_detail",
            "outcome",
            "pupils__name",
            "events__summary",
            "evidence__original_name",
        ),
        account_fields=("reported_by", "staff_involved"),
        date_field="occurred_at",
        describe=lambda incident: Mention(
            "e-Safety incident",
            incident.reference,
            incident.occurred_at,
            f"{incident.category_label}. {incident.description}",
            incident.get_absolute_url(),
        ),
    ),
    NotPersonal(
        "incidents.Evidence",
        ("uploaded_by",),
        "Who attached a file: the incident's chronology, erased with it on anonymisation.",
    ),
    NotPersonal(
        "incidents.IncidentEvent",
        ("actor",),
        "Who moved the incident on: the school's record of its staff at work (what each "
        "line says is searched, with the incident).",
    ),
)

register(
    NotPersonal(
        "incidents.IncidentAlert",
        ("user",),
        "Which incident was announced to which coordinator or principal, and when: the "
        "school's record of its staff being told; it holds no text about anyone.",
    ),
    NotPersonal(
        "incidents.AlertPreference",
        ("user",),
        "When a coordinator or principal wants to hear of new incidents: a setting of "
        "their account, deleted with it.",
    ),
)
