import pytest
from django.db import transaction

from incidents.services import incident_report_to_principal
from incidents.tests.factories import IncidentFactory
from overstone.roles import Role
from overstone.tests.factories import UserFactory


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reporting_emails_the_principal_through_the_real_worker(worker, settings):
    settings.OVERSTONE_SITE_URL = "http://school.test"
    UserFactory(roles=[Role.PRINCIPAL], email="head@school.example")
    incident = IncidentFactory()
    incident.pupils.create(name="Named Pupil", year_group="5")
    with transaction.atomic():
        incident_report_to_principal(incident=incident, actor=incident.reported_by)

    [mail] = worker.wait_for_mails(1)
    body = mail.get_content()
    assert mail["To"] == "head@school.example"
    assert incident.reference in mail["Subject"]
    assert f"/incidents/{incident.reference}/" in body
    assert "Named Pupil" not in body
    incident.refresh_from_db()
    assert incident.principal_notified_at is not None


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_critical_incident_and_the_daily_digest_through_the_real_worker(worker):
    from django.utils import timezone

    from incidents.services import incident_create
    from incidents.tasks import send_alert_digests

    coordinator = UserFactory(roles=[Role.COORDINATOR], email="esafety@school.example")
    staff = UserFactory(roles=[Role.STAFF])
    fields = {
        "actor": staff,
        "occurred_at": timezone.now(),
        "category": "threat_of_violence",
        "location": "online_platform",
        "description": "Named Pupil was threatened.",
    }
    critical = incident_create(severity="critical", **fields)
    medium = incident_create(severity="medium", **fields)
    [alert] = worker.wait_for_mails(1)
    assert alert["To"] == coordinator.email and critical.reference in alert["Subject"]

    send_alert_digests.delay()
    send_alert_digests.delay()  # a second run the same day sends nothing more
    mails = worker.wait_for_mails(2)
    with pytest.raises(AssertionError):
        worker.wait_for_mails(3, timeout=4)
    [digest] = [m.get_content() for m in mails if critical.reference not in m["Subject"]]
    assert medium.reference in digest and critical.reference not in digest
    assert "Named Pupil" not in digest
