"""Schools: roles held per school, the switcher, references with a school's code, tasks
in the school that queued them (overstone.schools)."""

import pytest
from django.apps import apps
from django.urls import reverse
from django_scopes import ScopeError, scope

from overstone.celery import app as celery_app
from overstone.exports import csv_response
from overstone.models import Membership, OutboxMessage, School
from overstone.outbox import outbox_enqueue
from overstone.references import reference_next
from overstone.roles import Role, user_roles
from overstone.schools import (
    current_school_id,
    default_school,
    membership_add,
    school_id_or_default,
    school_scope,
    trust_membership_add,
    users_with_roles,
)
from overstone.tests.factories import UserFactory


@pytest.fixture
def two_schools(db):
    first = default_school()
    second = School.objects.create(trust=first.trust, name="Riverside Academy", code="RVA")
    return first, second


def test_one_installation_has_one_school_and_references_without_a_code(db):
    school = default_school()
    assert default_school() == school and school.code == ""
    assert reference_next(prefix="INC").startswith("INC-")


def test_a_school_with_a_code_puts_it_in_front_of_its_references(two_schools):
    first, second = two_schools
    with school_scope(second):
        assert reference_next(prefix="INC").startswith("RVA-INC-")
    with school_scope(first):
        assert reference_next(prefix="INC").startswith("INC-")


def test_with_two_schools_a_record_made_outside_any_school_is_refused(two_schools):
    with pytest.raises(ScopeError):
        school_id_or_default()
    with school_scope(two_schools[1]):
        assert school_id_or_default() == two_schools[1].pk


def test_roles_are_held_per_school_and_trust_roles_in_every_school(two_schools):
    first, second = two_schools
    person = UserFactory(roles=[Role.STAFF])  # at the first school
    membership_add(person, Role.PARENT, second)
    lead = UserFactory()
    trust_membership_add(lead, Role.PRINCIPAL)
    with school_scope(first):
        assert user_roles(person) == {Role.STAFF}
        assert set(users_with_roles([Role.PARENT])) == set()
    with school_scope(second):
        assert user_roles(person) == {Role.PARENT}
        assert set(users_with_roles([Role.PARENT])) == {person}
        assert user_roles(lead) == {Role.PRINCIPAL}


def test_a_person_with_two_schools_switches_and_the_pages_follow(client, two_schools):
    first, second = two_schools
    person = UserFactory(roles=[Role.COORDINATOR])
    membership_add(person, Role.PARENT, second)
    client.force_login(person)
    page = client.get(reverse("home")).content.decode()
    assert "Working in Overstone School" in page and "Switch to Riverside Academy" in page
    assert reverse("incidents:list") in page  # the coordinator's work

    response = client.post(reverse("school_switch"), {"school": second.pk}, follow=True)
    page = response.content.decode()
    assert "You are working in Riverside Academy." in page
    assert "Switch to Overstone School" in page
    assert reverse("incidents:list") not in page  # a parent there
    assert client.get(reverse("incidents:list")).status_code == 403


def test_a_school_one_holds_no_role_in_cannot_be_switched_to(client, two_schools):
    first, second = two_schools
    person = UserFactory(roles=[Role.COORDINATOR])
    other = School.objects.create(trust=first.trust, name="Hillside", code="HIL")
    membership_add(person, Role.STAFF, second)
    client.force_login(person)
    response = client.post(reverse("school_switch"), {"school": other.pk}, follow=True)
    assert "You have no role at that school." in response.content.decode()
    assert client.get(reverse("incidents:list")).status_code == 200  # still the first


def test_one_school_shows_no_switcher(client, db):
    client.force_login(UserFactory(roles=[Role.COORDINATOR]))
    page = client.get(reverse("home")).content.decode()
    assert "Switch to" not in page and "Working in" not in page


def test_a_membership_is_one_per_person_school_and_role(two_schools):
    person = UserFactory(roles=[Role.STAFF])
    membership_add(person, Role.STAFF, two_schools[0])
    trust_membership_add(person, Role.PRINCIPAL)
    trust_membership_add(person, Role.PRINCIPAL)
    assert Membership.objects.filter(user=person).count() == 2


@celery_app.task(name="overstone.tests.test_schools.school_in_scope")
def school_in_scope():
    return current_school_id()


def test_a_queued_task_runs_in_the_school_that_queued_it(two_schools):
    with school_scope(two_schools[1]):
        message = outbox_enqueue("overstone.tests.test_schools.school_in_scope")
    assert OutboxMessage.objects.get(pk=message.pk).school == two_schools[1]
    headers = {"school_id": message.school_id}
    assert school_in_scope.apply(headers=headers).get() == two_schools[1].pk
    assert school_in_scope.apply().get() is None  # a beat task: no school


def test_a_school_is_added_and_roles_granted_from_the_command_line(db):
    from django.core.management import CommandError, call_command

    person = UserFactory(username="sam")
    call_command("role_grant", "sam", "staff")  # one school: no code needed
    call_command("school_add", "Riverside Academy", code="RVA", pupils=1250)
    riverside = School.objects.get(code="RVA")
    first = School.objects.order_by("pk").first()
    assert riverside.number_on_roll == 1250 and riverside.trust == first.trust
    with pytest.raises(CommandError, match="several schools"):
        call_command("role_grant", "sam", "parent")
    call_command("role_grant", "sam", "parent", school="RVA")
    call_command("role_grant", "sam", "trustee")
    with school_scope(riverside):
        assert user_roles(person) == {Role.PARENT, Role.TRUSTEE}
    for bad in ("R", "rva", "RIVERS", "R1"):
        with pytest.raises(CommandError, match="capital letters"):
            call_command("school_add", "Another", code=bad)
    with pytest.raises(CommandError, match="already used"):
        call_command("school_add", "Another", code="RVA")
    with pytest.raises(CommandError, match="leave out --school"):
        call_command("role_grant", "sam", "trust_lead", school="RVA")
    with pytest.raises(CommandError, match="No school"):
        call_command("role_grant", "sam", "staff", school="XYZ")
    call_command("school_add", code="OPS", first=True)
    with school_scope(first):
        assert reference_next(prefix="INC").startswith("OPS-INC-")


def scoped(model) -> bool:
    """Whether the model's records are read through a django-scopes manager."""
    return hasattr(model._default_manager, "with_scopes_disabled")


# Kept per school but read across schools on purpose: the roles that decide a request's
# school (trust roles have none), the tasks the dispatcher sends for every school, and the
# trust's figures (counts, never names).
READ_ACROSS_SCHOOLS = {"overstone.Membership", "overstone.OutboxMessage", "trust.Tally"}


def test_every_record_with_a_school_is_read_through_its_scope():
    with_a_school = {
        model._meta.label
        for model in apps.get_models()
        if any(field.name == "school" for field in model._meta.get_fields())
    }
    unscoped = {label for label in with_a_school if not scoped(apps.get_model(label))}
    assert unscoped == READ_ACROSS_SCHOOLS


@pytest.mark.parametrize(
    "model", [model for model in apps.get_models() if scoped(model)], ids=lambda m: m._meta.label
)
def test_a_query_outside_a_schools_scope_raises(db, model):
    with scope(), pytest.raises(ScopeError):
        model.objects.count()
    with school_scope(default_school()):
        assert model.objects.count() >= 0


def test_without_a_switch_a_person_works_in_the_school_of_their_first_role(client, db):
    first = default_school()
    aardvark = School.objects.create(trust=first.trust, name="Aardvark Academy", code="AAA")
    person = UserFactory(roles=[Role.COORDINATOR])  # at the first school
    membership_add(person, Role.PARENT, aardvark)  # first by name, but second for them
    client.force_login(person)
    assert client.get(reverse("incidents:list")).status_code == 200
    client.post(reverse("school_switch"), {"school": aardvark.pk})
    assert client.get(reverse("incidents:list")).status_code == 403


def test_a_csv_export_is_read_in_the_school_it_was_made_in(two_schools):
    """The web server reads a streamed export after SchoolMiddleware has left the school:
    its rows are still read there (a query then raised ScopeError: the header alone)."""
    second = two_schools[1]
    with school_scope(second):
        response = csv_response("rows.csv", ["School"], ([current_school_id()] for _ in "x"))
    with scope():
        assert b"".join(response.streaming_content).decode().split() == ["School", str(second.pk)]
