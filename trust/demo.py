"""The demo trust: the demo school and two more of different sizes, each with its own
principal and coordinator and two school years of incidents and complaints, the trust's
three roles, and people who work in two schools (the switcher)."""

import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from complaints.models import OnlineComplaint
from complaints.services import complaint_create
from incidents.demo import (
    PLACES,
    SCENARIOS,
    alert_recipients_with_modes,
    announced_when_it_happened,
)
from incidents.models import Incident, Severity
from incidents.services import incident_close, incident_create, incident_transition
from overstone.models import MonitoredCategory, School
from overstone.roles import Role
from overstone.schools import membership_add, school_scope, trust_membership_add
from pupils.models import Pupil
from training.models import ParentProfile

# Name, code, pupils on roll, incidents and complaints over two school years.
OTHER_SCHOOLS = [
    ("Riverside Academy", "RVA", 1250, 120, 5),
    ("Kingsmead School", "KMS", 420, 30, 2),
]
TRUST_PEOPLE = {
    Role.TRUST_LEAD: ("Olu", "Adebayo"),
    Role.TRUST_EXECUTIVE: ("Sarah", "Lindqvist"),
    Role.TRUSTEE: ("Tom", "Harris"),
}
POSTS = [
    ("facebook", "Parents are fed up with the new uniform rules."),
    ("x", "Why does this school never answer e-mails?"),
    ("whatsapp", "The trip letter went out far too late."),
]


def _person(username: str, first_name: str, last_name: str, password: str):
    """A demo login, with the same password as the others (``password``: its hash)."""
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@overstone.example",
        },
    )
    if created:
        user.password = password
        user.save(update_fields=["password"])
    return user


def _records(school: School, incidents: int, complaints: int, people: dict) -> None:
    rng = random.Random(school.code)
    today = timezone.localdate()
    start = today.replace(year=today.year - 2, month=9, day=1)
    span = (today - start).days
    coordinator, principal = people[Role.COORDINATOR], people[Role.PRINCIPAL]
    recipients = alert_recipients_with_modes()
    for n in range(incidents):
        category, location, text = rng.choice(SCENARIOS)
        day = start + timedelta(days=rng.randrange(span))
        occurred_at = timezone.make_aware(datetime.combine(day, time(rng.randint(8, 15))))
        incident = incident_create(
            actor=coordinator,
            occurred_at=occurred_at,
            category=category,
            severity=rng.choice(list(Severity)),
            location=location,
            description=text.format(where=rng.choice(PLACES)),
        )
        if (today - day).days > 30 or n % 2:
            incident_transition(
                incident=incident,
                to_status=Incident.Status.REPORTED_TO_PRINCIPAL,
                actor=coordinator,
            )
            incident_close(incident=incident, actor=coordinator, outcome="Dealt with in school.")
            announced_when_it_happened(incident, recipients)  # history: no alert now
    for n in range(complaints):
        platform, content = POSTS[n % len(POSTS)]
        complaint_create(
            actor=principal,
            platform=platform,
            posted_at=timezone.now() - timedelta(days=3 + 40 * n),
            content=content,
            about="school",
            category=MonitoredCategory.COMPLAINT_SCHOOL,
        )


def seed(people: dict) -> str:
    """The other schools, the trust's people, and the demo people's second schools."""
    password = people[Role.PRINCIPAL].password
    first = School.objects.order_by("pk").first()  # named by seed_demo
    with school_scope(first):
        first.number_on_roll = Pupil.objects.filter(left_on__isnull=True).count()
    first.save(update_fields=["number_on_roll"])
    made = []
    for name, code, pupils, incidents, complaints in OTHER_SCHOOLS:
        school, _ = School.objects.get_or_create(
            code=code, defaults={"name": name, "trust": first.trust, "number_on_roll": pupils}
        )
        staff = {
            role: _person(f"{role.value}.{code.lower()}", *people_name, password)
            for role, people_name in (
                (Role.PRINCIPAL, ("Grace", f"Hall-{code}")),
                (Role.COORDINATOR, ("Sam", f"Patel-{code}")),
            )
        }
        for role, user in staff.items():
            membership_add(user, role, school)
        with school_scope(school):
            if not Incident.objects.exists() and not OnlineComplaint.objects.exists():
                _records(school, incidents, complaints, staff)
                made.append(name)
    # Working in two schools: the demo teacher also teaches at Riverside; the demo parent
    # has a child at Kingsmead.
    membership_add(people[Role.STAFF], Role.STAFF, School.objects.get(code="RVA"))
    kingsmead = School.objects.get(code="KMS")
    membership_add(people[Role.PARENT], Role.PARENT, kingsmead)
    with school_scope(kingsmead):
        ParentProfile.objects.get_or_create(
            user=people[Role.PARENT], defaults={"child_year_group": "7"}
        )
    for role, (first_name, last_name) in TRUST_PEOPLE.items():
        trust_membership_add(_person(role.value, first_name, last_name, password), role)
    return f"a trust of {School.objects.count()} schools; records made for {made or 'none'}"
