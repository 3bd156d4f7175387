"""Pages of one record (overstone.record_views): every page that shows the whole record
writes one VIEW entry in the audit log each time it is shown; a small form that names the
record only by its reference writes none."""

import pytest
from django.urls import reverse

from complaints.services import concern_create
from complaints.tests.factories import complaint_at
from incidents.tests.factories import IncidentFactory
from overstone.models import AuditLogEntry
from overstone.roles import Role

pytestmark = pytest.mark.django_db


def views_of(record) -> list[str]:
    return list(
        AuditLogEntry.objects.filter(
            action=AuditLogEntry.Action.VIEW, object_reference=record.reference
        ).values_list("username", flat=True)
    )


@pytest.fixture
def coordinator(client, user_with_role):
    user = user_with_role(Role.COORDINATOR)
    client.force_login(user)
    return user


@pytest.fixture
def principal(client, user_with_role):
    user = user_with_role(Role.PRINCIPAL)
    client.force_login(user)
    return user


def test_the_incident_edit_page_is_audited_each_time_it_is_shown(client, coordinator):
    incident = IncidentFactory()
    url = reverse("incidents:update", args=[incident.reference])
    assert client.get(url).status_code == 200
    assert views_of(incident) == [coordinator.username]
    refused = client.post(url, {"description": ""})  # shown again, with its errors
    assert refused.status_code == 200 and "nothing has been saved" in refused.text
    assert views_of(incident) == [coordinator.username] * 2


def test_a_form_naming_only_the_reference_is_not_a_view(client, coordinator):
    incident = IncidentFactory()
    for name in ["contact_isp", "close", "evidence_add"]:
        assert (
            client.get(reverse(f"incidents:{name}", args=[incident.reference])).status_code == 200
        )
    assert views_of(incident) == []
    assert client.get(incident.get_absolute_url()).status_code == 200
    assert views_of(incident) == [coordinator.username]


def test_the_complaint_page_shown_again_after_a_refused_move_is_audited(client, principal):
    complaint = complaint_at("evidence_gathered")
    response = client.post(
        reverse("complaints:transition", args=[complaint.reference]),
        {
            "to_stage": "parents_meeting",
            "parents_meeting-expected_stage": "evidence_gathered",
            "parents_meeting-attendees": "Both parents",
        },
    )
    assert response.status_code == 200 and "This field is required" in response.text
    assert complaint.content in response.text  # the whole complaint, again
    assert views_of(complaint) == [principal.username]


def test_a_refused_move_that_redirects_is_not_a_view(client, principal):
    complaint = complaint_at("evidence_gathered")
    response = client.post(
        reverse("complaints:transition", args=[complaint.reference]),
        {"to_stage": "legal_advice"},
    )
    assert response.status_code == 302
    assert views_of(complaint) == []


def test_the_concern_page_is_audited_each_time_it_is_shown(client, principal, user_with_role):
    concern = concern_create(actor=user_with_role(Role.PARENT), subject="Trip", details="Cost")
    url = reverse("complaints:concern_detail", args=[concern.reference])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"to_status": "answered"})
    assert refused.status_code == 200
    assert views_of(concern) == [principal.username] * 2
