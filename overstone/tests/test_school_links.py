"""A link in an e-mail opens its page in the school the e-mail is about
(overstone.notify.email_link, overstone.middleware.SchoolLinkMiddleware)."""

import pytest
from django.conf import settings
from django.urls import reverse

from incidents.alerts import incident_announce
from incidents.models import Severity
from incidents.tests.factories import IncidentFactory
from overstone.roles import Role
from overstone.schools import membership_add, school_scope
from overstone.tests.factories import person_at


@pytest.fixture
def incident_at_two(schools):
    """A critical incident at the second school, and a coordinator of both schools who
    was told of it by e-mail."""
    one, two = schools
    coordinator = person_at(Role.COORDINATOR, one, email="sam@example.org")
    membership_add(coordinator, Role.COORDINATOR, two)
    with school_scope(two):
        incident = IncidentFactory(severity=Severity.CRITICAL)
    return coordinator, incident


def the_link(sent_mail, incident) -> str:
    body = sent_mail[-1].body
    url = next(word for word in body.split() if word.startswith(settings.SITE_URL))
    return url.removeprefix(settings.SITE_URL)


def test_an_emails_link_names_the_school_it_is_about(schools, incident_at_two, sent_mail):
    _, two = schools
    _, incident = incident_at_two
    with school_scope(two):
        incident_announce(incident_id=incident.pk)
    assert the_link(sent_mail, incident) == f"{incident.get_absolute_url()}?school={two.pk}"


def test_working_in_another_school_one_is_asked_to_switch_and_lands_on_the_page(
    client, schools, incident_at_two, sent_mail
):
    one, two = schools
    coordinator, incident = incident_at_two
    with school_scope(two):
        incident_announce(incident_id=incident.pk)
    link = the_link(sent_mail, incident)
    client.force_login(coordinator)
    assert client.get(incident.get_absolute_url()).status_code == 404  # working in one

    page = client.get(link).content.decode()
    assert "This link is about Two Oaks Academy" in page
    assert f'name="next" value="{incident.get_absolute_url()}"' in page
    assert incident.description not in page  # nothing is switched or shown by a link

    response = client.post(
        reverse("school_switch"), {"school": two.pk, "next": incident.get_absolute_url()}
    )
    assert response.url == incident.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert incident.reference in page and "Working in Two Oaks Academy" in page
    # The link again, now in the school it names: the page itself.
    assert incident.reference in client.get(link).content.decode()


def test_a_link_of_a_school_one_has_no_role_at_or_of_ones_own_opens_as_it_is(
    client, schools, incident_at_two
):
    one, two = schools
    _, incident = incident_at_two
    stranger = person_at(Role.COORDINATOR, one)
    client.force_login(stranger)
    response = client.get(f"{incident.get_absolute_url()}?school={two.pk}")
    assert response.status_code == 404  # not another of their schools: no question
    home = client.get(f"{reverse('home')}?school={one.pk}")
    assert home.status_code == 200 and "This link is about" not in home.content.decode()


@pytest.mark.parametrize("value", ["", "abc", "-1", "٣", "1\x00", "9" * 30, "0"])
def test_a_hostile_school_in_a_link_is_ignored(client, schools, incident_at_two, value):
    coordinator, _ = incident_at_two
    client.force_login(coordinator)
    response = client.get(reverse("home"), {"school": value})
    assert response.status_code == 200
    assert "This link is about" not in response.content.decode()


def test_after_switching_the_page_opened_is_only_one_of_this_site(client, schools, incident_at_two):
    _, two = schools
    coordinator, _ = incident_at_two
    client.force_login(coordinator)
    response = client.post(
        reverse("school_switch"), {"school": two.pk, "next": "https://elsewhere.example/"}
    )
    assert response.url == reverse("home")
