import pytest

from agreements import demo, selectors
from agreements.models import Agreement, Signature
from overstone.management.commands.seed_demo import demo_people
from overstone.roles import Role
from overstone.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_agreements_are_partly_signed_and_seeding_twice_adds_nothing():
    people = demo_people("pw")
    UserFactory.create_batch(4, roles=[Role.PARENT])
    demo.seed(people)
    counts = (Agreement.objects.count(), Signature.objects.count())
    demo.seed(people)
    assert (Agreement.objects.count(), Signature.objects.count()) == counts
    home_school = Agreement.objects.get(title="Home-School Agreement")
    rows = selectors.register_rows(version=selectors.current_version(agreement=home_school))
    signed = sum(row.signature is not None for row in rows)
    assert 0 < signed < len(rows)
    assert "derogatory or malicious allegations" in home_school.versions.get().text
