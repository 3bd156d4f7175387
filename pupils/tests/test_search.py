"""Search finds pupils (name, number, form) as their page opens: leadership all of them,
staff those in the incidents they logged; incidents are found by a picked pupil's name."""

import pytest
from django.urls import reverse

from incidents.models import PupilInvolved
from incidents.tests.factories import IncidentFactory
from overstone.roles import Role
from pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def found(client, user, q: str) -> str:
    client.force_login(user)
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return response.text


@pytest.fixture
def pupils():
    jamie = PupilFactory(number="P7001", first_name="Jamie", last_name="Quennell", form="9Q")
    alex = PupilFactory(number="P7002", first_name="Alex", last_name="Quennell", form="8R")
    return jamie, alex


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.SLT, Role.COORDINATOR])
def test_leadership_finds_every_pupil_by_name_number_and_form(client, user_with_role, pupils, role):
    jamie, alex = pupils
    user = user_with_role(role)
    by_name = found(client, user, "quennell")
    assert jamie.get_absolute_url() in by_name and alex.get_absolute_url() in by_name
    by_number = found(client, user, "p7002")
    assert alex.get_absolute_url() in by_number and jamie.get_absolute_url() not in by_number
    by_form = found(client, user, "9Q")
    assert jamie.get_absolute_url() in by_form and alex.get_absolute_url() not in by_form


def test_staff_find_only_pupils_in_incidents_they_logged(client, user_with_role, pupils):
    jamie, alex = pupils
    staff = user_with_role(Role.STAFF)
    assert jamie.get_absolute_url() not in found(client, staff, "Quennell")
    PupilInvolved.objects.create(
        incident=IncidentFactory(reported_by=staff), pupil=jamie, name="Jamie Q", year_group="8"
    )
    PupilInvolved.objects.create(
        incident=IncidentFactory(), pupil=alex, name="Alex Q", year_group="8"
    )
    page = found(client, staff, "Quennell")
    assert jamie.get_absolute_url() in page and alex.get_absolute_url() not in page


@pytest.mark.parametrize("role", [Role.GOVERNOR, Role.PARENT])
def test_governors_and_parents_find_no_pupil(client, user_with_role, pupils, role):
    jamie, _ = pupils
    jamie.parents.add(parent := user_with_role(Role.PARENT))
    user = parent if role == Role.PARENT else user_with_role(role)
    assert jamie.get_absolute_url() not in found(client, user, "Quennell")


def test_an_incident_is_found_by_its_picked_pupils_name_as_the_records_have_it(
    client, user_with_role, pupils
):
    jamie, _ = pupils
    incident = IncidentFactory()
    # Named "Jamie Smith" when logged; the pupil records have them as Quennell now.
    PupilInvolved.objects.create(incident=incident, pupil=jamie, name="Jamie Smith", year_group="8")
    page = found(client, user_with_role(Role.COORDINATOR), "Jamie Quennell")
    assert incident.get_absolute_url() in page
