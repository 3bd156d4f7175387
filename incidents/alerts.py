"""Who is told of a new incident, and when: no critical incident goes unseen.

- A new incident is announced to everyone with ``Capability.RECEIVE_INCIDENT_ALERTS``
  (the e-Safety coordinator and the principal), except whoever logged it.
- The severities in ``OVERSTONE_ALERT_IMMEDIATE_SEVERITIES`` (high and critical) are
  e-mailed at once and nobody can move them to the digest. For the others each person
  chooses: at once, or in their daily digest (the default).
- Incidents imported from the web filter in bulk are never e-mailed one by one: each goes
  into the next daily digest, whatever its severity. They are what the filter has already
  logged (and mostly blocked), read after the fact; one import of thousands of rows is
  summarised there by category and severity.
- An incident whose severity is raised after it was logged (medium to critical) is
  announced then to those who hear of the new severity at once and were not told of it
  at once yet, even if their digest listed it at its old severity.
- An ``IncidentAlert`` per person, incident and mode records what was sent. It is unique,
  so a digest never repeats an incident, nobody is told of one at once twice, and a task
  run twice sends nothing twice.

E-mails carry references, categories and severities with a link, never a description or
a pupil's name.
"""

from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from incidents.models import AlertMode, AlertPreference, Incident, IncidentAlert, Severity
from overstone.audit import audit_change
from overstone.models import School
from overstone.notify import email_link, notify
from overstone.outbox import outbox_enqueue
from overstone.roles import CAPABILITIES, Capability, can
from overstone.schools import current_school_id, users_with_roles
from overstone.workflow import Refused

# The most incidents a digest lists one by one; the rest are counted.
DIGEST_LISTED = 100


class AlertLocked(Refused):
    """Moving an immediate severity to the digest."""


class NoAlerts(Refused):
    """Alert preferences for someone whose role receives no incident alerts."""


def immediate_severities() -> frozenset[str]:
    return frozenset(settings.OVERSTONE_ALERT_IMMEDIATE_SEVERITIES)


def alert_recipients() -> QuerySet:
    """Everyone new incidents of the school in scope are announced to: active, with an
    address, holding a role that receives them at this school (or across the trust)."""
    roles = CAPABILITIES[Capability.RECEIVE_INCIDENT_ALERTS]
    return users_with_roles(roles).exclude(email="").order_by("pk")


def alert_modes(*, user) -> dict[str, str]:
    """Each severity's mode for this person: the immediate ones always at once, the
    others as they chose, the digest by default."""
    chosen = dict(AlertPreference.objects.filter(user=user).values_list("severity", "mode"))
    locked = immediate_severities()
    return {
        severity: AlertMode.IMMEDIATE
        if severity in locked
        else chosen.get(severity, AlertMode.DIGEST)
        for severity in Severity.values
    }


def alert_list(*, user) -> QuerySet[IncidentAlert]:
    """The alerts sent to this person, newest first."""
    return IncidentAlert.objects.filter(user=user).select_related("incident")


@transaction.atomic
def alert_preferences_set(*, user, modes: dict[str, str], actor) -> dict[str, str]:
    """Change when ``user`` hears of new incidents of each severity; audited. An immediate
    severity can only stay at once (``AlertLocked``)."""
    if not can(user, Capability.RECEIVE_INCIDENT_ALERTS):
        raise NoAlerts("New incidents are not announced to your role.")
    locked = immediate_severities()
    for severity, mode in modes.items():
        if severity in locked and mode != AlertMode.IMMEDIATE:
            raise AlertLocked(
                f"{Severity(severity).label} incidents are always announced at once: they "
                "cannot be moved to the digest."
            )
    before = alert_modes(user=user)
    for severity, mode in modes.items():
        if severity not in locked:
            AlertPreference.objects.update_or_create(
                user=user, severity=Severity(severity), defaults={"mode": AlertMode(mode)}
            )
    after = alert_modes(user=user)
    changes = {
        f"{severity} incidents": [before[severity], after[severity]]
        for severity in after
        if before[severity] != after[severity]
    }
    if changes:
        audit_change(actor=actor, obj=user, changes=changes, reference="incident alerts")
    return after


def incident_announce(*, incident_id: int, raised_by_id: int | None = None) -> int:
    """E-mail an incident, once, to everyone who hears of its severity at once: when it is
    logged (queued by incidents.services.incident_create), and again to those not told at
    once yet when its severity is raised (``raised_by_id``: who raised it, not told)."""
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None or incident.filter_alert_key is not None:
        return 0
    told = set(
        IncidentAlert.objects.filter(incident=incident, mode=AlertMode.IMMEDIATE).values_list(
            "user_id", flat=True
        )
    )
    not_told = raised_by_id if raised_by_id is not None else incident.reported_by_id
    users = [
        user
        for user in alert_recipients().exclude(pk=not_told)
        if user.pk not in told and alert_modes(user=user)[incident.severity] == AlertMode.IMMEDIATE
    ]
    if not users:
        return 0
    context = {
        "incident": incident,
        "raised": raised_by_id is not None,
        "url": email_link(incident.get_absolute_url()),
    }
    try:
        with transaction.atomic():
            IncidentAlert.objects.bulk_create(
                IncidentAlert(user=user, incident=incident, mode=AlertMode.IMMEDIATE)
                for user in users
            )
            notify("incidents/emails/alert", context, to=users)
    except IntegrityError:  # another worker announced it at the same moment
        return 0
    return len(users)


@transaction.atomic
def alert_digests_queue() -> int:
    """Daily (beat, for each school): one digest task per person of the school in scope;
    each sends what that person was not told of the school's incidents."""
    recipients = list(alert_recipients().values_list("pk", flat=True))
    for user_id in recipients:
        outbox_enqueue("incidents.tasks.send_alert_digest", user_id)
    return len(recipients)


def _digest_incidents(user, now: datetime) -> QuerySet[Incident]:
    digest = [
        severity for severity, mode in alert_modes(user=user).items() if mode == AlertMode.DIGEST
    ]
    since = now - timedelta(days=settings.OVERSTONE_ALERT_DIGEST_LOOKBACK_DAYS)
    return (
        Incident.objects.filter(created_at__gte=since, created_at__lte=now)
        .filter(Q(severity__in=digest) | Q(filter_alert_key__isnull=False))
        .exclude(alerts__user=user)
        .exclude(reported_by=user, filter_alert_key__isnull=True)
        .order_by("occurred_at", "pk")
    )


def _school_name() -> str:
    """The school in scope, named in a digest when there are several schools (someone
    at two gets two digests); a single school's digest reads as it always did."""
    if School.objects.count() < 2:
        return ""
    names = School.objects.filter(pk=current_school_id()).values_list("name", flat=True)
    return names.first() or ""


def alert_digest_send(*, user_id: int, now: datetime | None = None) -> int:
    """E-mail one person the incidents of the school in scope they have not been told of
    yet (their digest severities and every imported one), each once; the number listed."""
    now = now or timezone.now()
    user = alert_recipients().filter(pk=user_id).first()
    if user is None:
        return 0
    incidents = list(
        _digest_incidents(user, now).only(
            "pk", "reference", "category", "severity", "occurred_at", "filter_alert_key"
        )
    )
    if not incidents:
        return 0
    counts = Counter(
        (incident.category_label, incident.get_severity_display()) for incident in incidents
    )
    context = {
        "user": user,
        "school": _school_name(),
        "incidents": incidents[:DIGEST_LISTED],
        "more": max(0, len(incidents) - DIGEST_LISTED),
        "total": len(incidents),
        "counts": sorted(counts.items()),
        "list_url": email_link(reverse("incidents:list")),
        "alerts_url": email_link(reverse("incidents:alerts")),
    }
    try:
        with transaction.atomic():
            IncidentAlert.objects.bulk_create(
                (
                    IncidentAlert(user=user, incident=incident, mode=AlertMode.DIGEST, sent_at=now)
                    for incident in incidents
                ),
                batch_size=1000,
            )
            notify("incidents/emails/digest", context, to=[user])
    except IntegrityError:  # another worker sent this digest at the same moment
        return 0
    return len(incidents)
