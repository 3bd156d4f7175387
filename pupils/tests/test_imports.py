"""The pupils export: imported through its page as a queued job, re-imported by pupil
number, parents linked and invited, and a bad file importing nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from overstone.models import OutboxMessage
from overstone.roles import Role, user_roles
from overstone.tests.imports import import_through_the_page
from pupils.models import Pupil
from training.models import ParentInvitation, ParentProfile

URL = reverse("pupils:import")
HEADER = (
    "pupil_number,first_name,last_name,date_of_birth,year_group,form,"
    "parent1_name,parent1_email,parent2_name,parent2_email\n"
)
JAMIE = "P1,Jamie,Doe,2012-03-14,Year 8,8B,Sam Doe,sam@example.org,Alex Doe,alex@example.org\n"
RUBY = "P2,Ruby,Doe,14/11/2014,7,7W,Sam Doe,SAM@example.org,,\n"
OMAR = "P3,Omar,Haddad,,Y10,10G,,,,\n"

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client, user_with_role):
    client.force_login(user_with_role(Role.COORDINATOR))
    return client


def imported(client, text: str):
    return import_through_the_page(client, URL, text.encode())


def test_a_good_file_adds_pupils_and_links_their_parents_with_one_invitation_each(
    coordinator_client,
):
    page = imported(coordinator_client, HEADER + JAMIE + RUBY + OMAR)
    assert "3 pupil(s) added, 0 updated, 0 marked as left; 3 link(s)" in page.text
    jamie = Pupil.objects.get(number="P1")
    assert (jamie.full_name, jamie.year_group, jamie.form) == ("Jamie Doe", "8", "8B")
    assert str(Pupil.objects.get(number="P2").date_of_birth) == "2014-11-14"
    sam = get_user_model().objects.get(email="sam@example.org")
    assert set(sam.children.values_list("number", flat=True)) == {"P1", "P2"}
    assert Role.PARENT in user_roles(sam)
    # Parents become training's parents, invited once each, as its own import does.
    assert ParentProfile.objects.count() == 2
    assert ParentInvitation.objects.count() == 2
    assert OutboxMessage.objects.filter(task_name__contains="invitation").exists()


def test_a_re_import_updates_by_number_marks_leavers_and_never_duplicates(coordinator_client):
    imported(coordinator_client, HEADER + JAMIE + RUBY + OMAR)
    moved_up = JAMIE.replace("Year 8,8B", "Year 9,9B").replace(",Alex Doe,alex@example.org", ",,")
    page = imported(coordinator_client, HEADER + moved_up + RUBY)
    assert "0 pupil(s) added, 1 updated, 1 marked as left" in page.text
    assert Pupil.objects.count() == 3
    jamie = Pupil.objects.get(number="P1")
    assert (jamie.year_group, jamie.form, jamie.left_on) == ("9", "9B", None)
    assert list(jamie.parents.values_list("email", flat=True)) == ["sam@example.org"]
    assert Pupil.objects.get(number="P3").left_on == timezone.localdate()
    assert ParentInvitation.objects.count() == 2  # nobody invited twice

    page = imported(coordinator_client, HEADER + moved_up + RUBY + OMAR)  # Omar is back
    assert "0 pupil(s) added, 1 updated, 0 marked as left" in page.text
    assert Pupil.objects.get(number="P3").left_on is None


def test_a_bad_row_imports_nothing_and_each_problem_is_listed_with_its_line(
    coordinator_client,
):
    bad = (
        HEADER
        + JAMIE
        + "P1,Jamie,Again,,8,,,,,\n"  # line 3: the same number
        + ",,Doe,2030-01-01,Year 14,,,not-an-address,,\n"  # line 4
    )
    page = imported(coordinator_client, bad)
    assert "Line 3: Pupil number P1 is also on line 2." in page.text
    for problem in (
        "Line 4: The pupil number is empty",
        "the first name is empty",
        "“Year 14” is not a year group from 7 to 13",
        "the date of birth is in the future",
        "“not-an-address” is not an e-mail address",
    ):
        assert problem in page.text
    assert not Pupil.objects.exists()
    assert not get_user_model().objects.filter(email="sam@example.org").exists()


def test_a_header_without_pupils_is_refused_rather_than_marking_everyone_as_left(
    coordinator_client,
):
    imported(coordinator_client, HEADER + JAMIE)
    page = imported(coordinator_client, HEADER)
    assert "The file has a header but no pupils." in page.text
    assert Pupil.objects.get().left_on is None


def test_a_parent_address_of_a_staff_account_is_a_row_problem(coordinator_client, user_with_role):
    staff = user_with_role(Role.STAFF)
    staff.email = "sam@example.org"
    staff.save()
    page = imported(coordinator_client, HEADER + JAMIE)
    assert "sam@example.org belongs to an account that is not a parent&#x27;s." in page.text
    assert not Pupil.objects.exists()


def test_a_parent_account_without_a_training_profile_gets_one_and_is_on_the_parents_list(
    coordinator_client, user_with_role
):
    sam = user_with_role(Role.PARENT, email="sam@example.org", first_name="Sam", last_name="Doe")
    assert not ParentProfile.objects.filter(user=sam).exists()
    page = imported(coordinator_client, HEADER + JAMIE)
    assert "1 pupil(s) added" in page.text
    assert ParentProfile.objects.get(user=sam).child_year_group == "8"
    assert set(sam.children.values_list("number", flat=True)) == {"P1"}
    assert not ParentInvitation.objects.filter(user=sam).exists()  # known: not invited again
    assert "sam@example.org" in coordinator_client.get(reverse("training:parent_list")).text
