"""The trust safeguarding lead reads every school's incidents, in the school they switch
to, audited like anyone who opens one; they log, change and close none."""

import pytest
from django.urls import reverse

from incidents.models import Incident, PupilInvolved
from incidents.tests.factories import IncidentFactory, evidence_for
from overstone.models import AuditLogEntry, School
from overstone.roles import Role
from overstone.schools import default_school, school_scope, trust_membership_add
from overstone.tests.factories import UserFactory
from pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(client):
    user = UserFactory()
    trust_membership_add(user, Role.TRUST_LEAD)
    client.force_login(user)
    return user


def test_the_trust_lead_reads_the_incidents_of_the_school_they_work_in(client, lead):
    first = default_school()
    second = School.objects.create(trust=first.trust, name="Second School", code="TWO")
    ours = IncidentFactory(school=first, description="Ours: a gambling site")
    with school_scope(second):
        theirs = IncidentFactory(description="Theirs: a chat site")
        evidence = evidence_for(theirs)
        pupil = PupilFactory()
        PupilInvolved.objects.create(incident=theirs, pupil=pupil, name=pupil.full_name)

    home = client.get(reverse("home")).text
    assert reverse("incidents:list") in home and reverse("incidents:create") not in home
    listed = client.get(reverse("incidents:list")).text
    assert ours.reference in listed and theirs.reference not in listed
    assert "Log an incident" not in listed
    assert client.get(theirs.get_absolute_url()).status_code == 404

    client.post(reverse("school_switch"), {"school": second.pk})
    listed = client.get(reverse("incidents:list")).text
    assert theirs.reference in listed and ours.reference not in listed
    page = client.get(theirs.get_absolute_url()).text
    assert "Theirs: a chat site" in page and "Edit" not in page
    download = reverse("incidents:evidence_download", args=[theirs.reference, evidence.pk])
    assert client.get(download).status_code == 200
    assert theirs.reference in client.get(pupil.get_absolute_url()).text  # their timeline
    seen = AuditLogEntry.objects.filter(user=lead, object_reference__startswith=theirs.reference)
    assert sorted(seen.values_list("action", "school")) == [
        ("download", second.pk),
        ("view", second.pk),
    ]


def test_the_trust_lead_changes_no_incident(client, lead):
    incident = IncidentFactory()
    for name in ("update", "evidence_add", "report", "contact_isp", "contact_police", "close"):
        url = reverse(f"incidents:{name}", args=[incident.reference])
        assert client.post(url, {"outcome": "Closed by the trust"}).status_code == 403, name
    assert client.get(reverse("incidents:create")).status_code == 403
    incident.refresh_from_db()
    assert incident.status == Incident.Status.OPEN
