"""Parents sign for their children on the pupil records; the register counts per child."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import selectors, services
from agreements.models import Signature
from agreements.services import AgreementRefused
from agreements.tests.factories import agreement_for
from overstone.roles import Role
from overstone.tests.factories import UserFactory
from pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def family():
    """Two parents of Amy (Year 8, 8B) and Ben (Year 10, 10A); a third child has left."""
    mum = UserFactory(roles=[Role.PARENT], first_name="Ann", last_name="Lee")
    dad = UserFactory(roles=[Role.PARENT], first_name="Don", last_name="Lee")
    amy = PupilFactory(number="A1", first_name="Amy", last_name="Lee", year_group="8", form="8B")
    ben = PupilFactory(number="B1", first_name="Ben", last_name="Lee", year_group="10", form="10A")
    gone = PupilFactory(number="C1", first_name="Cat", last_name="Lee", left_on="2024-07-20")
    for pupil in (amy, ben, gone):
        pupil.parents.add(mum, dad)
    return mum, dad, amy, ben


def sign(agreement, person, **child):
    return services.signature_sign(
        agreement=agreement, actor=person, typed_name=person.get_full_name(), agreed=True, **child
    )


def rows_for(agreement):
    return selectors.register_rows(version=selectors.current_version(agreement=agreement))


def test_the_sign_form_offers_the_children_on_record_and_no_other(client):
    agreement = agreement_for()
    mum, _, amy, _ = family()
    client.force_login(mum)
    url = reverse("agreements:sign", args=[agreement.pk])
    page = client.get(url).content.decode()
    assert "Amy Lee (Year 8)" in page and "Ben Lee (Year 10)" in page
    assert "Cat Lee" not in page  # left the school
    assert "Another child" not in page and "Child&#x27;s full name" not in page
    client.post(url, {"child": "A1", "typed_name": "Ann Lee", "agreed": "on"})
    signature = Signature.objects.get()
    assert (signature.child_key, signature.child_name, signature.year_group, signature.form) == (
        "A1",
        "Amy Lee",
        "Year 8",
        "8B",
    )
    page = client.get(url).content.decode()
    assert "Ben Lee (Year 10)" in page and 'value="A1"' not in page


def test_a_parent_without_children_on_record_still_names_the_child(client):
    agreement = agreement_for()
    family()
    client.force_login(UserFactory(roles=[Role.PARENT]))
    url = reverse("agreements:sign", args=[agreement.pk])
    assert "Child&#x27;s full name" in client.get(url).content.decode()
    client.post(url, {"child_name": "Zoe Roe", "year_group": "Year 7", "typed_name": "Z",
                      "agreed": "on"})  # fmt: skip
    assert Signature.objects.get().child_key == ""


def test_a_child_is_signed_for_once_by_either_parent():
    agreement = agreement_for()
    mum, dad, amy, ben = family()
    sign(agreement, mum, child_key="A1")
    with pytest.raises(AgreementRefused, match="already signed for Amy Lee"):
        sign(agreement, dad, child_key="A1")
    version = selectors.current_version(agreement=agreement)
    assert selectors.children_to_sign(parent=dad, version=version) == [
        selectors.Child.of_pupil(ben)
    ]
    assert [s.child_name for s in selectors.my_signatures(user=dad, version=version)] == ["Amy Lee"]


def test_a_parent_cannot_sign_for_a_pupil_who_is_not_their_child_or_name_another():
    agreement = agreement_for()
    mum, *_ = family()
    PupilFactory(number="X9", first_name="Xan", last_name="Other")
    with pytest.raises(AgreementRefused, match="children on the school's records"):
        sign(agreement, mum, child_key="X9")
    with pytest.raises(AgreementRefused, match="children on the school's records"):
        sign(agreement, mum, child_name="Someone Else", year_group="Year 7")
    stranger = UserFactory(roles=[Role.PARENT])
    with pytest.raises(AgreementRefused, match="no child with pupil number X9"):
        sign(agreement, stranger, child_key="X9")
    assert not Signature.objects.exists()


def test_a_paper_signature_naming_a_child_on_record_is_tied_to_the_pupil():
    agreement = agreement_for()
    _, dad, *_ = family()
    signature = services.signature_record_paper(
        agreement=agreement,
        signer=dad,
        signed_on=timezone.localdate(),
        actor=dad,
        child_name=" ben  lee",
    )
    assert (signature.child_key, signature.child_name, signature.year_group) == (
        "B1",
        "Ben Lee",
        "Year 10",
    )


def test_the_register_counts_each_child_on_record_once_per_year_group_and_form():
    agreement = agreement_for()
    mum, dad, *_ = family()
    lone = UserFactory(roles=[Role.PARENT], first_name="Lone", last_name="Parent")
    sign(agreement, dad, child_key="B1")
    rows = rows_for(agreement)
    # Amy and Ben once each (not once per parent), and a parent with no child on record.
    assert [(row.child.name if row.child else None, row.signature is not None) for row in rows] == [
        ("Amy Lee", False),
        ("Ben Lee", True),
        (None, False),
    ]
    assert set(rows[0].people) == {mum, dad}
    assert rows[1].person == dad and rows[2].person == lone
    counts = {(c.year_group, c.form): (c.signed, c.total) for c in selectors.register_counts(rows)}
    assert counts == {("Year 8", "8B"): (0, 1), ("Year 10", "10A"): (1, 1), ("", ""): (0, 1)}
    # Both parents of an unsigned child are reminded; a signed child reminds no one.
    waiting = selectors.unsigned_by_person()
    assert {mum.pk, dad.pk, lone.pk} == set(waiting)


def test_the_coordinators_register_page_shows_children_on_record(client):
    agreement = agreement_for()
    mum, *_ = family()
    sign(agreement, mum, child_key="A1")
    client.force_login(UserFactory(roles=[Role.COORDINATOR]))
    url = reverse("agreements:document", args=[agreement.pk])
    page = client.get(url).content.decode()
    assert "1 of 2 signed" in page and "Ben Lee" in page
    year_10 = client.get(url, {"year_group": "Year 10", "status": "unsigned"}).content.decode()
    assert "Ben Lee" in year_10 and "Amy Lee" not in year_10
    assert "Ann Lee, Don Lee" in year_10  # both parents asked
