"""Pages of one record (overstone.record_views): every page that shows the whole record
writes one VIEW entry in the audit log each time it is shown; a small form that names the
record only by its reference writes none."""

import pytest
from django.urls import reverse

from complaints.models import Stage
from complaints.services import concern_create
from complaints.tests.factories import complaint_at, move
from incidents.models import Incident
from incidents.services import incident_close
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


# A page that changes a record, asked for after the record was finished (a colleague closed
# it while this person's page was open, or a second tab): back to the record, saying so,
# not a 403 "Not allowed" for a link or form that was right when it was shown.


def finished_since(client, url, record) -> str:
    response = client.post(url, {"outcome": "Mine too."}, follow=True)
    assert response.redirect_chain == [(record.get_absolute_url(), 302)]
    return response.text


def test_closing_an_incident_a_colleague_has_just_closed_goes_back_to_it_saying_so(
    client, coordinator, user_with_role
):
    incident = IncidentFactory(status=Incident.Status.REPORTED_TO_PRINCIPAL)
    close = reverse("incidents:close", args=[incident.reference])
    assert client.get(close).status_code == 200  # open: the form
    incident_close(incident=incident, actor=user_with_role(Role.PRINCIPAL), outcome="Blocked.")
    text = finished_since(client, close, incident)
    assert f"{incident.reference} is closed and can no longer be changed." in text
    incident.refresh_from_db()
    assert incident.outcome == "Blocked."
    for name in ("update", "evidence_add", "contact_isp"):  # its other pages' links, too
        page = client.get(reverse(f"incidents:{name}", args=[incident.reference]))
        assert page.status_code == 302 and page["Location"] == incident.get_absolute_url()
    referral = client.get(reverse("cases:referral_add", args=[incident.reference]))
    assert referral.status_code == 302 and referral["Location"] == incident.get_absolute_url()


def test_a_finished_complaints_action_pages_go_back_to_it_saying_so(client, principal):
    complaint = complaint_at(Stage.REMOVAL_REQUESTED)
    evidence = reverse("complaints:evidence_add", args=[complaint.reference])
    tasks = reverse("cases:task_add", args=[complaint.reference])
    assert client.get(evidence).status_code == 200 and client.get(tasks).status_code == 200
    complaint = move(complaint, Stage.RESOLVED, principal)
    for url in (evidence, tasks):
        response = client.get(url, follow=True)
        assert response.redirect_chain == [(complaint.get_absolute_url(), 302)]
        assert "is resolved and can no longer be changed" in response.text


def test_someone_whose_role_may_not_act_on_an_open_record_is_still_refused(client, user_with_role):
    incident = IncidentFactory(status=Incident.Status.REPORTED_TO_PRINCIPAL)
    client.force_login(user_with_role(Role.TRUST_LEAD))  # reads every incident, acts on none
    assert client.get(incident.get_absolute_url()).status_code == 200
    assert client.get(reverse("incidents:close", args=[incident.reference])).status_code == 403
