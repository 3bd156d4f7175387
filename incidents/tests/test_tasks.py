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
