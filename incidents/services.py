"""Every write to the incident log. Each change writes a chronology event."""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from incidents.models import Evidence, Incident, IncidentEvent, PupilInvolved, Severity
from overstone.audit import audit_change_many
from overstone.evidence import (
    CheckedFile,
    evidence_atomic,
    evidence_create_many,
    evidence_erase,
)
from overstone.models import ANONYMISED_TEXT
from overstone.notify import email_link, emails_in_role, notify
from overstone.outbox import outbox_enqueue
from overstone.references import reference_next
from overstone.roles import Role
from overstone.workflow import Move, Refused, Workflow, transition
from pupils.models import Pupil, name_key

logger = logging.getLogger(__name__)
Status = Incident.Status
Kind = IncidentEvent.Kind

# Fields an edit may change, in the order the chronology lists them.
EDITABLE_FIELDS = [
    "occurred_at",
    "category",
    "severity",
    "location",
    "location_detail",
    "description",
]


class IncidentOpen(Refused):
    """Anonymising an incident that is still open."""


def _event(incident: Incident, kind: str, actor, summary: str = "", changes=None) -> None:
    IncidentEvent.objects.create(
        incident=incident, kind=kind, actor=actor, summary=summary, changes=changes or {}
    )


def _status_event(move: Move) -> None:
    kind = Kind.REPORTED if move.after == Status.REPORTED_TO_PRINCIPAL else Kind.CLOSED
    _event(move.record, kind, move.actor, move.note, move.changes)


WORKFLOW = Workflow(
    transitions={
        Status.OPEN: {Status.REPORTED_TO_PRINCIPAL},
        Status.REPORTED_TO_PRINCIPAL: {Status.CLOSED},
        Status.CLOSED: set(),
    },
    chronicle=_status_event,
)


def _add_evidence(
    incident: Incident, files: list[CheckedFile], actor, captured_url: str, captured_at
) -> list[Evidence]:
    added = evidence_create_many(
        model=Evidence,
        files=files,
        actor=actor,
        incident=incident,
        captured_url=captured_url,
        captured_at=captured_at,
    )
    for evidence in added:
        _event(incident, Kind.EVIDENCE_ADDED, actor, evidence.chronology_line)
    return added


def _pupils_text(pupils) -> str:
    return "; ".join(f"{p['name']} ({p['year_group']})" for p in pupils) or "none"


def _names(users) -> str:
    return ", ".join(sorted(user.get_full_name() or user.username for user in users)) or "none"


@evidence_atomic()
def incident_create(
    *,
    actor,
    occurred_at: datetime,
    category: str,
    severity: str,
    location: str,
    location_detail: str = "",
    description: str,
    pupils: list[dict] = (),
    staff_involved=(),
    evidence: list[CheckedFile] = (),
    captured_url: str = "",
    captured_at: datetime | None = None,
    filter_alert_key: str | None = None,
) -> Incident:
    incident = Incident.objects.create(
        reference=reference_next(prefix="INC"),
        reported_by=actor,
        occurred_at=occurred_at,
        category=category,
        severity=severity,
        location=location,
        location_detail=location_detail,
        description=description,
        filter_alert_key=filter_alert_key,
    )
    PupilInvolved.objects.bulk_create(PupilInvolved(incident=incident, **p) for p in pupils)
    incident.staff_involved.set(staff_involved)
    _event(incident, Kind.CREATED, actor, f"{incident.category_label}, {severity}")
    _add_evidence(incident, list(evidence), actor, captured_url, captured_at)
    outbox_enqueue("incidents.tasks.announce_incident", incident.pk)  # incidents.alerts
    return incident


@transaction.atomic
def incident_update(
    *, incident: Incident, actor, data: dict, pupils: list[dict], staff_involved
) -> Incident:
    """Apply an edit; the chronology records each field's value before and after."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    WORKFLOW.check_open(incident)
    changes = {}
    for field in EDITABLE_FIELDS:
        before, after = getattr(incident, field), data[field]
        if before != after:
            changes[field] = [str(before), str(after)]
            setattr(incident, field, after)

    old_pupils = list(incident.pupils.values("pupil_id", "name", "year_group"))
    if old_pupils != list(pupils):
        changes["pupils"] = [_pupils_text(old_pupils), _pupils_text(pupils)]
        incident.pupils.all().delete()
        PupilInvolved.objects.bulk_create(PupilInvolved(incident=incident, **p) for p in pupils)

    old_staff = {user.pk: user for user in incident.staff_involved.all()}
    new_staff = {user.pk: user for user in staff_involved}
    if set(old_staff) != set(new_staff):
        changes["staff_involved"] = [_names(old_staff.values()), _names(new_staff.values())]
        incident.staff_involved.set(new_staff.values())

    if changes:
        incident.save()
        _event(incident, Kind.EDITED, actor, ", ".join(changes), changes)
    if "severity" in changes and _raised(*changes["severity"]):
        # Those who hear of the new severity at once and were not told yet are told now.
        outbox_enqueue("incidents.tasks.announce_incident_raised", incident.pk, actor.pk)
    return incident


def _raised(before: str, after: str) -> bool:
    return Severity.values.index(after) > Severity.values.index(before)


@evidence_atomic()
def incident_add_evidence(
    *,
    incident: Incident,
    actor,
    files: list[CheckedFile],
    captured_url: str = "",
    captured_at: datetime | None = None,
) -> list[Evidence]:
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    WORKFLOW.check_open(incident)
    return _add_evidence(incident, files, actor, captured_url, captured_at)


def incident_transition(
    *, incident: Incident, to_status: str, actor, note: str = "", expected_status: str = ""
) -> Incident:
    """The one place an incident's status changes; closing records the outcome."""

    def close(incident: Incident) -> None:
        if to_status == Status.CLOSED:
            incident.outcome, incident.closed_at = note, timezone.now()

    return transition(
        incident,
        to=to_status,
        actor=actor,
        workflow=WORKFLOW,
        expected=expected_status,
        note=note,
        apply=close,
    )


def incident_report_to_principal(*, incident: Incident, actor) -> Incident:
    with transaction.atomic():
        incident = incident_transition(
            incident=incident, to_status=Status.REPORTED_TO_PRINCIPAL, actor=actor
        )
        outbox_enqueue("incidents.tasks.email_principal_incident_reported", incident.pk)
    return incident


def incident_close(*, incident: Incident, actor, outcome: str) -> Incident:
    return incident_transition(
        incident=incident, to_status=Status.CLOSED, actor=actor, note=outcome
    )


@transaction.atomic
def incident_record_contact(
    *, incident: Incident, actor, who: str, contacted_at: datetime, reference: str
) -> Incident:
    """Record that the ISP (``who="isp"``) or the police (``who="police"``) were contacted."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    WORKFLOW.check_open(incident)
    kind = {"isp": Kind.ISP_CONTACTED, "police": Kind.POLICE_CONTACTED}[who]
    setattr(incident, f"{who}_contacted_at", contacted_at)
    setattr(incident, f"{who}_reference", reference)
    incident.save(update_fields=[f"{who}_contacted_at", f"{who}_reference", "updated_at"])
    when = timezone.localtime(contacted_at).strftime("%d %b %Y %H:%M")
    _event(incident, kind, actor, f"{when}, reference {reference or 'none given'}")
    return incident


def incident_evidence_tampered(*, evidence: Evidence, actor) -> None:
    logger.error("Evidence %s of %s failed its SHA-256 check", evidence.pk, evidence.incident)
    _event(
        evidence.incident,
        Kind.EVIDENCE_TAMPERED,
        actor,
        f"{evidence.original_name}: the stored file no longer matches SHA-256 {evidence.sha256}; "
        "download refused.",
    )


def incident_notify_principal(*, incident_id: int) -> int:
    """E-mail the principal(s) that an incident was reported to them; once only.

    The e-mail names the reference and links to it; it carries no pupil names.
    """
    with transaction.atomic():
        incident = Incident.objects.select_for_update().filter(pk=incident_id).first()
        if incident is None or incident.principal_notified_at is not None:
            return 0
        recipients = emails_in_role(Role.PRINCIPAL)
        context = {"incident": incident, "url": email_link(incident.get_absolute_url())}
        notify("incidents/emails/reported", context, to=recipients)
        incident.principal_notified_at = timezone.now()
        incident.save(update_fields=["principal_notified_at"])
    return len(recipients)


@transaction.atomic
def incident_anonymise(*, incident: Incident, actor) -> Incident:
    """Remove what identifies anyone from a closed incident, keeping what the annual
    report counts (category, severity, dates). Called only for a record the principal
    approved as past its retention period (privacy.services.retention_anonymise).

    The chronology keeps who did what and when; what its lines said is blanked.
    """
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not incident.is_closed:
        raise IncidentOpen(f"{incident.reference} is not closed; only closed records expire.")
    incident.description = ANONYMISED_TEXT
    incident.location_detail = ""
    incident.outcome = ANONYMISED_TEXT if incident.outcome else ""
    incident.save(update_fields=["description", "location_detail", "outcome", "updated_at"])
    incident.pupils.all().delete()
    incident.staff_involved.clear()
    evidence_erase(incident.evidence.all())
    incident.events.redact(summary="", changes={})
    _event(incident, Kind.ANONYMISED, actor, "Text, people and evidence files removed.")
    return incident


@transaction.atomic
def incident_pupils_match(*, actor) -> int:
    """Link the pupils typed as free text to the pupil records, where the name is
    unambiguous: exactly one pupil (on the roll or not) has that full name. Run after the
    first import of the pupils (``manage.py incident_pupils_match``); the migration that
    added the link did the same, but a new install has no pupils then. Returns how many
    names were linked; the others stay as text."""
    by_name: dict[str, list[tuple[int, str]]] = {}
    pupils = Pupil.objects.filter(anonymised_at__isnull=True)
    for pk, number, first, last in pupils.values_list("pk", "number", "first_name", "last_name"):
        by_name.setdefault(name_key(f"{first} {last}"), []).append((pk, number))
    linked, changes = [], []
    for involved in PupilInvolved.objects.filter(pupil__isnull=True).select_related("incident"):
        matches = by_name.get(name_key(involved.name), [])
        if len(matches) == 1:
            involved.pupil_id, number = matches[0]
            linked.append(involved)
            changes.append((involved.incident, {"pupil linked": [involved.name, number]}))
    PupilInvolved.objects.bulk_update(linked, ["pupil"], batch_size=1000)
    audit_change_many(actor=actor, changes=changes)
    return len(linked)
