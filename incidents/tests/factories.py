import factory
from django.utils import timezone

from incidents.models import Evidence, FilteringCategory, Incident, Location, Severity
from overstone.evidence import evidence_check, evidence_create
from overstone.roles import Role
from overstone.samples import upload
from overstone.tests.factories import UserFactory


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    reference = factory.Sequence(lambda n: f"INC-2026-{n + 9000:04d}")
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))
    reported_by = factory.SubFactory(UserFactory, roles=[Role.COORDINATOR])
    category = FilteringCategory.GAMBLING
    severity = Severity.MEDIUM
    location = Location.SCHOOL_NETWORK
    description = "Pupil reached a gambling site on an IT suite PC."


def evidence_for(incident: Incident, name: str = "screenshot.png", **kwargs) -> Evidence:
    return evidence_create(
        model=Evidence,
        checked=evidence_check(upload(name, **kwargs)),
        actor=incident.reported_by,
        incident=incident,
    )
