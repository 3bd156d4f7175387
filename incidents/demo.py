"""Demo incidents: a realistic spread over the last two school years."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from incidents import services
from incidents.alerts import alert_modes, alert_recipients
from incidents.imports import incidents_import_filter_alerts
from incidents.models import (
    AlertMode,
    FilteringCategory,
    Incident,
    IncidentAlert,
    Location,
    Severity,
)
from overstone.evidence import evidence_check
from overstone.models import MonitoredCategory
from overstone.roles import Role
from overstone.samples import PNG, upload

SCENARIOS = [
    (
        FilteringCategory.GAMBLING,
        Location.SCHOOL_DEVICE,
        "Pupil reached an online casino on {where}.",
    ),
    (
        FilteringCategory.NON_EDUCATIONAL,
        Location.SCHOOL_NETWORK,
        "Repeated attempts to open a social network on {where}.",
    ),
    (
        FilteringCategory.ADULT,
        Location.SCHOOL_DEVICE,
        "Filter alert for adult content on {where}; screen closed by the teacher.",
    ),
    (
        FilteringCategory.VIOLENT,
        Location.SCHOOL_DEVICE,
        "Graphic video found in browser history on {where}.",
    ),
    (
        FilteringCategory.HATE,
        Location.SCHOOL_NETWORK,
        "Search for extremist material flagged on {where}.",
    ),
    (
        FilteringCategory.ILLEGAL_DRUGS,
        Location.SCHOOL_DEVICE,
        "Pupil searched for where to buy drugs on {where}.",
    ),
    (
        MonitoredCategory.OFFENSIVE_PUPILS,
        Location.ONLINE_PLATFORM,
        "Unkind comments about a classmate in a group chat, reported by a parent.",
    ),
    (
        MonitoredCategory.RACIST_HOMOPHOBIC,
        Location.ONLINE_PLATFORM,
        "Homophobic remark posted under a school sports photo.",
    ),
    (
        MonitoredCategory.UNAUTHORISED_PHOTO,
        Location.PERSONAL_DEVICE,
        "Photo of a teacher taken in class and shared online.",
    ),
    (
        MonitoredCategory.THREAT_OF_VIOLENCE,
        Location.ONLINE_PLATFORM,
        "Threat to 'sort out' a pupil after school, posted on a video app.",
    ),
]
DEMO_COUNT = 160
PLACES = [
    "IT suite PC 4",
    "Library laptop 2",
    "Room 12 iPad",
    "IT suite PC 11",
    "Year 9 Chromebook",
]
PUPILS = ["Amira Khan", "Ben Carter", "Chloe Evans", "Daniel Okafor", "Ella Novak", "Finn Walsh"]


FILTER_ALERTS = 280
FILTER_WEIGHTS = {
    "Social Networking": 45,
    "Gambling": 18,
    "Adult Content": 10,
    "Violence": 10,
    "Drugs": 7,
    "Hate": 5,
    "Criminal Activity": 5,
}


def _filter_alert_csv(rng: random.Random, start, today) -> str:
    """A web filter's export for the last two school years, as the coordinator uploads it."""
    names, weights = zip(*FILTER_WEIGHTS.items(), strict=True)
    lines = ["timestamp,user,device,url,category,action"]
    span = (today - start).days
    for n in range(FILTER_ALERTS):
        day = start + timedelta(days=rng.randrange(span))
        if day.weekday() >= 5:
            day -= timedelta(days=2)
        when = datetime.combine(day, time(rng.randint(8, 15), rng.randint(0, 59), n % 60))
        category = rng.choices(names, weights)[0]
        user = f"y{rng.randint(7, 11)}.pupil{rng.randint(1, 90):02d}"
        host = category.lower().replace(" ", "-")
        lines.append(
            f"{when:%Y-%m-%d %H:%M:%S},{user},{rng.choice(PLACES)},https://{host}.example/{n},{category},blocked"
        )
    return "\n".join(lines) + "\n"


def alert_recipients_with_modes() -> list[tuple]:
    """Who hears of the school's new incidents, each with when (for the function below)."""
    return [(user, alert_modes(user=user)) for user in alert_recipients()]


def announced_when_it_happened(incident: Incident, recipients: list[tuple]) -> None:
    """A closed demo incident is history: each alert it called for went out when it
    happened, at once or in that day's digest, so the worker sends none for it now
    (incidents.alerts finds everyone told)."""
    IncidentAlert.objects.bulk_create(
        IncidentAlert(
            user=user,
            incident=incident,
            mode=AlertMode.DIGEST if incident.filter_alert_key else modes[incident.severity],
            sent_at=incident.occurred_at,
        )
        for user, modes in recipients
        if user.pk != incident.reported_by_id or incident.filter_alert_key
    )


def seed(people: dict) -> str:
    if Incident.objects.exists():
        return "incidents already present"
    rng = random.Random(2024)
    coordinator, staff = people[Role.COORDINATOR], people[Role.STAFF]
    today = timezone.localdate()
    start = today.replace(year=today.year - 2, month=9, day=1)
    span = (today - start).days
    recipients = alert_recipients_with_modes()
    for n in range(DEMO_COUNT):
        category, location, text = rng.choice(SCENARIOS)
        day = start + timedelta(days=rng.randrange(span))
        occurred_at = timezone.make_aware(
            datetime.combine(day, time(rng.randint(8, 15), 5 * rng.randint(0, 11)))
        )
        reporter = staff if n % 5 == 0 else coordinator
        where = rng.choice(PLACES)
        files = [evidence_check(upload(f"capture-{n}.png", PNG))] if n % 3 == 0 else []
        incident = services.incident_create(
            actor=reporter,
            occurred_at=occurred_at,
            category=category,
            severity=rng.choice(list(Severity)),
            location=location,
            location_detail=where,
            description=text.format(where=where),
            pupils=[{"name": rng.choice(PUPILS), "year_group": str(rng.randint(7, 11))}],
            evidence=files,
        )
        if category in FilteringCategory.values and n % 4 == 0:
            services.incident_record_contact(
                incident=incident,
                actor=coordinator,
                who="isp",
                contacted_at=occurred_at + timedelta(hours=2),
                reference=f"ISP-{4100 + n}",
            )
        if category == MonitoredCategory.THREAT_OF_VIOLENCE:
            services.incident_record_contact(
                incident=incident,
                actor=coordinator,
                who="police",
                contacted_at=occurred_at + timedelta(hours=3),
                reference=f"CAD-{700 + n}",
            )
        age = (today - day).days
        if age > 30 or n % 2:
            incident = services.incident_transition(
                incident=incident,
                to_status=Incident.Status.REPORTED_TO_PRINCIPAL,
                actor=coordinator,
            )
        if age > 60:
            services.incident_close(
                incident=incident,
                actor=coordinator,
                outcome="Discussed with the pupil and parents; filter rules reviewed.",
            )
            announced_when_it_happened(incident, recipients)
    imported = incidents_import_filter_alerts(
        actor=coordinator, text=_filter_alert_csv(rng, start, today)
    ).created
    for incident in imported:
        if (today - timezone.localdate(incident.occurred_at)).days > 14:
            services.incident_transition(
                incident=incident,
                to_status=Incident.Status.REPORTED_TO_PRINCIPAL,
                actor=coordinator,
            )
            services.incident_close(
                incident=incident,
                actor=coordinator,
                outcome="Alert reviewed; no further action needed.",
            )
            announced_when_it_happened(incident, recipients)
    return f"{DEMO_COUNT} incidents and {len(imported)} web filter alerts over two school years"
