import pytest
from django.utils import timezone

from incidents import services
from incidents.models import FilteringCategory, Incident, IncidentEvent, Severity
from incidents.tests.factories import IncidentFactory
from overstone.models import AppendOnlyError, MonitoredCategory, OutboxMessage
from overstone.roles import Role
from overstone.tests.factories import UserFactory
from overstone.workflow import RecordFinished, Refused

pytestmark = pytest.mark.django_db
Status = Incident.Status


@pytest.fixture
def coordinator():
    return UserFactory(roles=[Role.COORDINATOR])


def log(actor, **overrides):
    fields = {
        "actor": actor,
        "occurred_at": timezone.now(),
        "category": MonitoredCategory.OFFENSIVE_STAFF,
        "severity": Severity.HIGH,
        "location": "online_platform",
        "description": "Comment about a teacher on a class group chat.",
    }
    return services.incident_create(**{**fields, **overrides})


def test_references_count_up_within_the_year(coordinator):
    year = timezone.localdate().year
    first, second = log(coordinator), log(coordinator)
    assert first.reference == f"INC-{year}-0001"
    assert second.reference == f"INC-{year}-0002"


def test_creation_records_pupils_staff_and_a_chronology_entry(coordinator):
    teacher = UserFactory(roles=[Role.STAFF])
    incident = log(
        coordinator,
        pupils=[{"name": "Sam Lee", "year_group": "9"}],
        staff_involved=[teacher],
    )
    assert [str(p) for p in incident.pupils.all()] == ["Sam Lee (Year 9)"]
    assert list(incident.staff_involved.all()) == [teacher]
    event = incident.events.get()
    assert (event.kind, event.actor) == (IncidentEvent.Kind.CREATED, coordinator)


def test_an_edit_records_each_field_before_and_after(coordinator):
    incident = log(coordinator)
    data = {
        "occurred_at": incident.occurred_at,
        "category": FilteringCategory.HATE,
        "severity": Severity.CRITICAL,
        "location": incident.location,
        "location_detail": "",
        "description": incident.description,
    }
    services.incident_update(
        incident=incident,
        actor=coordinator,
        data=data,
        pupils=[{"name": "Ana Cruz", "year_group": "7"}],
        staff_involved=[],
    )
    event = incident.events.get(kind=IncidentEvent.Kind.EDITED)
    assert event.changes["severity"] == ["high", "critical"]
    assert event.changes["category"] == ["offensive_staff", "hate"]
    assert event.changes["pupils"] == ["none", "Ana Cruz (7)"]
    assert "description" not in event.changes


@pytest.mark.parametrize("start", list(Status))
@pytest.mark.parametrize("target", list(Status))
def test_the_transition_map_is_enforced(coordinator, start, target):
    incident = IncidentFactory(status=start)
    allowed = target in services.WORKFLOW.transitions[start]
    if allowed:
        services.incident_transition(incident=incident, to_status=target, actor=coordinator)
        incident.refresh_from_db()
        assert incident.status == target
    else:
        with pytest.raises(Refused, match=incident.reference):
            services.incident_transition(incident=incident, to_status=target, actor=coordinator)
        incident.refresh_from_db()
        assert incident.status == start


def test_reporting_queues_the_principals_email_in_the_same_transaction(coordinator):
    incident = log(coordinator)
    services.incident_report_to_principal(incident=incident, actor=coordinator)
    message = OutboxMessage.objects.exclude(task_name="incidents.tasks.announce_incident").get()
    assert message.task_name == "incidents.tasks.email_principal_incident_reported"
    assert message.args == [incident.pk]


def test_contacts_are_recorded_and_a_closed_incident_cannot_change(coordinator):
    incident = log(coordinator)
    when = timezone.now()
    services.incident_record_contact(
        incident=incident, actor=coordinator, who="isp", contacted_at=when, reference="T-88"
    )
    services.incident_record_contact(
        incident=incident, actor=coordinator, who="police", contacted_at=when, reference=""
    )
    incident.refresh_from_db()
    assert (incident.isp_reference, incident.isp_contacted_at) == ("T-88", when)
    assert incident.police_contacted_at == when

    services.incident_report_to_principal(incident=incident, actor=coordinator)
    services.incident_close(incident=incident, actor=coordinator, outcome="Site blocked.")
    incident.refresh_from_db()
    assert incident.outcome == "Site blocked." and incident.closed_at
    with pytest.raises(RecordFinished, match="closed and can no longer be changed"):
        services.incident_record_contact(
            incident=incident, actor=coordinator, who="isp", contacted_at=when, reference="x"
        )
    kinds = list(incident.events.values_list("kind", flat=True))
    assert kinds == ["created", "isp_contacted", "police_contacted", "reported", "closed"]


def test_nobody_can_edit_or_delete_a_chronology_entry(coordinator):
    event = log(coordinator).events.get()
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        IncidentEvent.objects.update(summary="rewritten")
    with pytest.raises(AppendOnlyError):
        IncidentEvent.objects.all().delete()


def test_the_principal_is_emailed_once_without_pupil_names(coordinator, sent_mail):
    principal = UserFactory(roles=[Role.PRINCIPAL], email="head@school.example")
    incident = log(coordinator, pupils=[{"name": "Secret Pupil", "year_group": "8"}])
    assert services.incident_notify_principal(incident_id=incident.pk) == 1
    assert services.incident_notify_principal(incident_id=incident.pk) == 0
    [mail] = sent_mail
    assert mail.to == [principal.email]
    assert incident.reference in mail.subject
    assert f"/incidents/{incident.reference}/" in mail.body
    assert "Secret Pupil" not in mail.body
