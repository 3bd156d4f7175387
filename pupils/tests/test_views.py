"""The pupil page (its timeline and who may see what on it), adding a pupil by hand, and
incidents naming pupils by picking them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import About
from complaints.services import concern_create
from complaints.tests.factories import ComplaintFactory
from incidents.models import Incident, PupilInvolved
from incidents.tests.factories import IncidentFactory
from incidents.tests.test_views import form_data
from overstone.models import AuditLogEntry
from overstone.roles import Role
from pupils.models import Pupil
from pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def naming(incident, pupil):
    PupilInvolved.objects.create(
        incident=incident, pupil=pupil, name=pupil.full_name, year_group=pupil.year_group
    )
    return incident


@pytest.fixture
def jamie():
    return PupilFactory(number="P1", first_name="Jamie", last_name="Doe")


def test_the_timeline_lists_incidents_complaints_and_concerns_newest_first_with_links(
    client, user_with_role, jamie
):
    now = timezone.now()
    old = naming(IncidentFactory(occurred_at=now - timedelta(days=30)), jamie)
    new = naming(IncidentFactory(occurred_at=now - timedelta(days=1)), jamie)
    IncidentFactory()  # about nobody
    complaint = ComplaintFactory(
        about=About.PUPILS, pupils_about="Jamie Doe (Year 8)", posted_at=now - timedelta(days=10)
    )
    ComplaintFactory(about=About.PUPILS, pupils_about="Jamie Doherty")
    parent = user_with_role(Role.PARENT)
    jamie.parents.add(parent)
    concern = concern_create(actor=parent, subject="Group chat", details="Messages at night")
    principal = user_with_role(Role.PRINCIPAL)
    client.force_login(principal)

    page = client.get(jamie.get_absolute_url()).text

    order = [concern.reference, new.reference, complaint.reference, old.reference]
    positions = [page.index(f'href="{url}"') for url in (
        concern.get_absolute_url(), new.get_absolute_url(),
        complaint.get_absolute_url(), old.get_absolute_url(),
    )]  # fmt: skip
    assert positions == sorted(positions), order
    assert page.count('data-testid="timeline-entry"') == 4
    assert AuditLogEntry.objects.filter(
        action="view", object_reference="P1", user=principal
    ).exists()


def test_an_entry_shows_a_short_summary_whole_and_a_long_one_cut_with_an_ellipsis(
    client, user_with_role, jamie
):
    short = naming(IncidentFactory(description="Rude messages in a group chat."), jamie)
    long = naming(IncidentFactory(description="Unkind posts. " + "word " * 60 + "LASTWORD"), jamie)
    client.force_login(user_with_role(Role.PRINCIPAL))

    page = client.get(jamie.get_absolute_url()).text

    assert f"{short.category_label} (open). Rude messages in a group chat." in page
    assert f"{long.category_label} (open). Unkind posts. word" in page
    assert "LASTWORD" not in page
    line = page[page.index(f'href="{long.get_absolute_url()}"') :].split("</li>")[0]
    assert line.rstrip().endswith("…")


def test_staff_see_the_page_of_a_pupil_in_their_incidents_with_only_their_incidents(
    client, user_with_role, jamie
):
    staff = user_with_role(Role.STAFF)
    mine = naming(IncidentFactory(reported_by=staff), jamie)
    theirs = naming(IncidentFactory(), jamie)
    client.force_login(staff)
    page = client.get(jamie.get_absolute_url())
    assert page.status_code == 200
    assert mine.reference in page.text and theirs.reference not in page.text
    assert "Date of birth" not in page.text  # the pupil's own details are for leadership

    other = PupilFactory()
    naming(IncidentFactory(), other)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("pupils:list")).status_code == 403


@pytest.mark.parametrize("role", [Role.GOVERNOR, Role.PARENT])
def test_governors_and_parents_never_see_a_pupil_page(client, user_with_role, jamie, role):
    client.force_login(user_with_role(role))
    assert client.get(jamie.get_absolute_url()).status_code == 403


def test_the_list_finds_pupils_by_name_and_year_and_keeps_leavers_apart(client, user_with_role):
    PupilFactory(first_name="Jamie", last_name="Doe", year_group="8")
    PupilFactory(first_name="Omar", last_name="Haddad", year_group="10")
    PupilFactory(first_name="Ada", last_name="Gone", left_on=timezone.localdate())
    client.force_login(user_with_role(Role.SLT))
    url = reverse("pupils:list")
    assert "Doe, Jamie" in client.get(url, {"q": "jam"}).text
    assert "Haddad" not in client.get(url, {"year_group": "8"}).text
    assert "Gone, Ada" not in client.get(url).text
    assert "Gone, Ada" in client.get(url, {"left": "1"}).text


def test_a_pupil_added_by_hand_has_a_page_and_a_taken_number_is_refused(client, user_with_role):
    client.force_login(user_with_role(Role.COORDINATOR))
    data = {"number": "P77", "first_name": "Ruby", "last_name": "Doe", "year_group": "7"}
    response = client.post(reverse("pupils:create"), data)
    assert response["Location"] == reverse("pupils:detail", args=["P77"])
    again = client.post(reverse("pupils:create"), {**data, "first_name": "Other"})
    assert "A pupil with this pupil number is already on record." in again.text
    assert Pupil.objects.get().first_name == "Ruby"


def test_an_incident_names_a_pupil_picked_from_the_list(client, user_with_role, jamie):
    client.force_login(user_with_role(Role.STAFF))
    form = client.get(reverse("incidents:create")).text
    assert f'<option value="{jamie.pick_label}">' in form
    assert jamie.pick_label == "Jamie Doe (Year 8, 8B) · P1"
    response = client.post(
        reverse("incidents:create"),
        form_data(**{"pupils-0-name": jamie.pick_label, "pupils-0-year_group": ""}),
    )
    assert response.status_code == 302
    involved = Incident.objects.get().pupils.get()
    assert (involved.pupil, involved.name, involved.year_group) == (jamie, "Jamie Doe", "8")


def test_a_pupil_not_on_the_list_is_kept_as_text_and_needs_a_year_group(client, user_with_role):
    client.force_login(user_with_role(Role.STAFF))
    refused = client.post(
        reverse("incidents:create"),
        form_data(**{"pupils-0-name": "Visiting Pupil", "pupils-0-year_group": ""}),
    )
    assert "Choose the pupil&#x27;s year group." in refused.text
    client.post(reverse("incidents:create"), form_data(**{"pupils-0-name": "Visiting Pupil"}))
    involved = Incident.objects.get().pupils.get()
    assert (involved.pupil, involved.name) == (None, "Visiting Pupil")


def test_a_picked_pupil_who_has_since_left_is_refused(client, user_with_role, jamie):
    client.force_login(user_with_role(Role.STAFF))
    label = jamie.pick_label
    Pupil.objects.filter(pk=jamie.pk).update(left_on=timezone.localdate())
    response = client.post(reverse("incidents:create"), form_data(**{"pupils-0-name": label}))
    assert "This pupil is no longer on the list" in response.text
    assert not Incident.objects.exists()
