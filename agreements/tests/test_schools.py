"""Agreements are kept per school: its register, its signatures and its reminders; a
parent with children at two schools signs each school's agreements for that school's
children, and is reminded by each school."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopeError, scope

from agreements.models import Agreement, AgreementReminder, Signature, Signers
from agreements.tests.factories import agreement_for
from overstone.models import School
from overstone.roles import Role
from overstone.schools import membership_add
from overstone.tests.factories import UserFactory
from pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def person(role: Role, *schools: School, **fields):
    user = UserFactory(**fields)
    for school in schools:
        membership_add(user, role, school)
    return user


def work_in(client, school: School) -> None:
    client.post(reverse("school_switch"), {"school": school.pk}, follow=True)


def test_the_register_documents_and_search_are_the_schools_own(client, schools):
    one, two = schools
    ours = agreement_for(agreement__school=one, agreement__title="Home-School Agreement")
    theirs = agreement_for(agreement__school=two, agreement__title="Acceptable Use Oaks")
    client.force_login(person(Role.COORDINATOR, one))
    register = client.get(reverse("agreements:register")).text
    assert ours.title in register and theirs.title not in register
    assert client.get(reverse("agreements:document", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("agreements:document", args=[ours.pk])).status_code == 200
    assert "Oaks" not in client.get(reverse("search"), {"q": "Acceptable"}).text
    # Nor can they act on it.
    paper = {"signer": "", "signed_on": timezone.localdate().isoformat()}
    paper_url = reverse("agreements:paper_record", args=[theirs.pk])
    assert client.post(paper_url, paper).status_code == 404
    version = {"version": "9", "effective_on": "2026-01-01", "text": "New"}
    assert (
        client.post(reverse("agreements:version_create", args=[theirs.pk]), version).status_code
        == 404
    )
    assert not theirs.versions.filter(version="9").exists()


def test_an_agreement_created_belongs_to_the_school_and_its_title_is_the_schools(client, schools):
    one, two = schools
    agreement_for(agreement__school=one, agreement__title="Acceptable Use")
    client.force_login(person(Role.COORDINATOR, two))
    data = {
        "title": "Acceptable Use",
        "signers": Signers.STAFF,
        "version": "1",
        "effective_on": timezone.localdate().isoformat(),
        "text": "Use it well.",
    }
    assert client.post(reverse("agreements:create"), data).status_code == 302
    assert Agreement.objects.get(title="Acceptable Use", school=two)
    again = client.post(reverse("agreements:create"), data).text
    assert "There is already an agreement with this title." in again


def test_a_parent_signs_at_each_school_for_that_schools_child(client, schools):
    one, two = schools
    parent = person(Role.PARENT, one, two)
    PupilFactory(school=one, number="P1", first_name="Jamie").parents.add(parent)
    PupilFactory(school=two, number="P1", first_name="Omar").parents.add(parent)
    ours = agreement_for(agreement__school=one, agreement__title="Agreement of One")
    theirs = agreement_for(agreement__school=two, agreement__title="Agreement of Two")
    client.force_login(parent)
    work_in(client, one)
    mine = client.get(reverse("agreements:mine")).text
    assert "Agreement of One" in mine and "Agreement of Two" not in mine
    assert client.get(reverse("agreements:sign", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("agreements:sign", args=[ours.pk])).text
    assert "Jamie" in page and "Omar" not in page
    client.post(
        reverse("agreements:sign", args=[ours.pk]),
        {"child": "P1", "typed_name": "Sam Doe", "agreed": "on"},
        follow=True,
    )
    work_in(client, two)
    page = client.get(reverse("agreements:sign", args=[theirs.pk])).text
    assert "Omar" in page and "Jamie" not in page
    client.post(
        reverse("agreements:sign", args=[theirs.pk]),
        {"child": "P1", "typed_name": "Sam Doe", "agreed": "on"},
        follow=True,
    )
    signed = Signature.objects.order_by("version__agreement__school")
    assert [(s.version.agreement.school, s.child_name) for s in signed] == [
        (one, "Jamie Example"),
        (two, "Omar Example"),
    ]


def test_each_school_reminds_of_its_own_agreements(client, schools, sent_mail):
    one, two = schools
    parent = person(Role.PARENT, one, two, email="sam@home.example")
    agreement_for(Signers.PARENTS, agreement__school=one, agreement__title="Agreement of One")
    agreement_for(Signers.PARENTS, agreement__school=two, agreement__title="Agreement of Two")
    url = reverse("agreements:reminders_send")
    client.force_login(person(Role.COORDINATOR, one))
    assert "Reminders sent to 1 person" in client.post(url, follow=True).text
    # The other school's reminder is its own: not held back by the first school's.
    client.force_login(person(Role.COORDINATOR, two))
    assert "Reminders sent to 1 person" in client.post(url, follow=True).text
    assert "Nobody to remind" in client.post(url, follow=True).text
    subjects = sorted(mail.subject for mail in sent_mail if mail.to == [parent.email])
    assert subjects == ["Please sign: Agreement of One", "Please sign: Agreement of Two"]
    assert sorted(AgreementReminder.objects.values_list("school", flat=True)) == [one.pk, two.pk]


def test_agreements_are_not_read_outside_a_schools_scope(schools):
    agreement_for(agreement__school=schools[0])
    with scope(), pytest.raises(ScopeError):
        Agreement.objects.count()
    with scope(), pytest.raises(ScopeError):
        Signature.objects.count()
