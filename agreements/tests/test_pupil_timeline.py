"""The pupil's page shows the pupil's agreements: signed or not, for leadership only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agreements import services
from agreements.models import Signers
from agreements.tests.factories import VersionFactory, agreement_for
from incidents.models import PupilInvolved
from incidents.tests.factories import IncidentFactory
from overstone.roles import Role
from overstone.tests.factories import UserFactory
from pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def amy():
    pupil = PupilFactory(number="A1", first_name="Amy", last_name="Lee")
    pupil.parents.add(UserFactory(roles=[Role.PARENT], first_name="Ann", last_name="Lee"))
    return pupil


def entries(client, pupil) -> list[str]:
    page = client.get(pupil.get_absolute_url())
    assert page.status_code == 200
    return [part.split("</li>")[0] for part in page.text.split('data-testid="timeline-entry"')[1:]]


def test_the_coordinator_sees_each_current_per_child_agreement_signed_or_not(client, amy):
    home_school = agreement_for(agreement__title="Home-School Agreement", version="2.0")
    VersionFactory(agreement=home_school, version="1.0",
                   effective_on=timezone.localdate() - timedelta(days=400))  # fmt: skip
    consent = agreement_for(agreement__title="Internet access consent", version="1.0")
    agreement_for(Signers.STAFF, agreement__title="Responsible Internet Use")
    agreement_for(
        agreement__title="Not yet in effect", effective_on=timezone.localdate() + timedelta(days=9)
    )
    services.signature_sign(agreement=home_school, actor=amy.parents.get(), typed_name="Ann Lee",
                            agreed=True, child_key="A1")  # fmt: skip
    client.force_login(UserFactory(roles=[Role.COORDINATOR]))

    found = entries(client, amy)

    assert len(found) == 2  # the current version of each agreement parents sign per child
    signed = next(entry for entry in found if "Home-School Agreement v2.0" in entry)
    assert "Signed by Ann Lee" in signed and f'href="{home_school.get_absolute_url()}"' in signed
    unsigned = next(entry for entry in found if "Internet access consent v1.0" in entry)
    assert "Not signed yet" in unsigned
    assert consent.get_absolute_url() in unsigned


def test_slt_see_the_agreements_without_a_link_to_the_register(client, amy):
    agreement = agreement_for(agreement__title="Home-School Agreement")
    client.force_login(UserFactory(roles=[Role.SLT]))
    (entry,) = entries(client, amy)
    assert "Not signed yet" in entry and agreement.get_absolute_url() not in entry


def test_staff_do_not_see_agreements_nor_open_a_pupil_through_them(client, amy):
    agreement_for(agreement__title="Home-School Agreement")
    staff = UserFactory(roles=[Role.STAFF])
    client.force_login(staff)
    assert client.get(amy.get_absolute_url()).status_code == 404
    incident = IncidentFactory(reported_by=staff)
    PupilInvolved.objects.create(incident=incident, pupil=amy, name="Amy Lee", year_group="8")
    (entry,) = entries(client, amy)
    assert incident.reference in entry and "Home-School" not in entry
