from overstone.templatetags.people import person
from overstone.tests.factories import UserFactory


def test_a_person_is_named_by_full_name_then_username_then_overstone():
    assert person(UserFactory.build(first_name="Alice", last_name="West")) == "Alice West"
    assert person(UserFactory.build(username="awest", first_name="", last_name="")) == "awest"
    assert person(None) == "Overstone"
