"""Pupils are kept per school: each school's own roll, numbered by its own information
system (the same pupil number at two schools is two pupils), seen only by its people."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from django_scopes import ScopeError, scope

from overstone.celery import app as celery_app
from overstone.models import ImportJob, OutboxMessage
from overstone.roles import Role
from overstone.tests.factories import person_at
from pupils.models import Pupil
from pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolls(schools):
    """P100 at both schools (another pupil at each); P200 at the second only."""
    one, two = schools
    return {
        "jamie": PupilFactory(school=one, number="P100", first_name="Jamie", last_name="Doe"),
        "omar": PupilFactory(school=two, number="P100", first_name="Omar", last_name="Haddad"),
        "ruby": PupilFactory(school=two, number="P200", first_name="Ruby", last_name="Stone"),
    }


def test_the_list_detail_and_search_show_the_schools_own_pupils(client, schools, rolls):
    one, _ = schools
    client.force_login(person_at(Role.SLT, one))
    listed = client.get(reverse("pupils:list")).text
    assert "Doe, Jamie" in listed
    assert "Haddad" not in listed and "Stone" not in listed
    # The same number opens this school's pupil; a number only the other school has, none.
    page = client.get(reverse("pupils:detail", args=["P100"]))
    assert "Jamie Doe" in page.text and "Haddad" not in page.text
    assert client.get(reverse("pupils:detail", args=["P200"])).status_code == 404
    found = client.get(reverse("search"), {"q": "Ruby"}).text
    assert "Stone" not in found
    assert "Doe" in client.get(reverse("search"), {"q": "Jamie"}).text


def test_the_other_school_sees_its_own_pupil_under_the_same_number(client, schools, rolls):
    _, two = schools
    client.force_login(person_at(Role.SLT, two))
    page = client.get(reverse("pupils:detail", args=["P100"]))
    assert "Omar Haddad" in page.text and "Jamie" not in page.text


def test_a_pupil_added_by_hand_is_the_schools_and_its_number_is_checked_there(
    client, schools, rolls
):
    _, two = schools
    client.force_login(person_at(Role.COORDINATOR, two))
    url = reverse("pupils:create")
    data = {"first_name": "Ada", "last_name": "Byron", "year_group": "7"}
    taken = client.post(url, {**data, "number": "P200"})  # Ruby's, at this school
    assert "A pupil with this pupil number is already on record." in taken.text
    # P300 is new here; P100 is taken at this school only by Omar, so refused too.
    assert client.post(url, {**data, "number": "P300"}).status_code == 302
    assert Pupil.objects.get(number="P300").school == two
    assert "already on record" in client.post(url, {**data, "number": "P100"}).text


def test_a_number_used_by_the_other_school_only_is_free(client, schools):
    one, two = schools
    PupilFactory(school=one, number="P500")
    client.force_login(person_at(Role.COORDINATOR, two))
    data = {"number": "P500", "first_name": "Ada", "last_name": "Byron", "year_group": "7"}
    assert client.post(reverse("pupils:create"), data).status_code == 302
    assert sorted(Pupil.objects.filter(number="P500").values_list("school", flat=True)) == [
        one.pk,
        two.pk,
    ]


def test_an_import_updates_the_schools_roll_and_leaves_the_other_school_alone(
    client, schools, rolls
):
    one, two = schools
    client.force_login(person_at(Role.COORDINATOR, two))
    csv = "pupil_number,first_name,last_name,year_group\nP100,Omar,Haddad,9\nP300,Ada,Byron,7\n"
    upload = client.post(
        reverse("pupils:import"), {"file": SimpleUploadedFile("pupils.csv", csv.encode())}
    )
    job = ImportJob.objects.get(pk=resolve(upload["Location"]).kwargs["pk"])
    message = OutboxMessage.objects.get(args=[job.pk])
    assert message.school == two  # the worker runs it in the school that queued it
    celery_app.loader.import_default_modules()
    celery_app.tasks[message.task_name].apply(
        args=message.args, headers={"school_id": message.school_id}
    )
    page = client.get(upload["Location"]).text
    assert "1 pupil(s) added, 1 updated, 1 marked as left" in page  # Ruby left
    for pupil in rolls.values():
        pupil.refresh_from_db()
    assert rolls["omar"].year_group == "9" and rolls["ruby"].has_left
    assert rolls["jamie"].year_group == "8" and not rolls["jamie"].has_left
    assert Pupil.objects.get(number="P300").school == two


def test_pupils_are_not_read_outside_a_schools_scope(rolls):
    with scope(), pytest.raises(ScopeError):
        Pupil.objects.count()
