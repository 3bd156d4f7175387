"""A user-supplied ``next`` address: only a path on this site is followed, and a hostile
value falls back to the page's default instead of a 500."""

import pytest
from django.urls import reverse

from overstone.roles import Role
from training.tests.factories import InductionRecordFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "-1",
    "not-a-date",
    "home",  # a URL name: must not be resolved as one
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "javascript:alert(1)",
    "/training/\r\nSet-Cookie: owned=1",
    "/training/\x00",
]


@pytest.fixture
def confirm(client, user_with_role):
    staff = user_with_role(Role.STAFF)
    client.force_login(user_with_role(Role.COORDINATOR))

    def post(next_value: str):
        record = InductionRecordFactory(staff=staff)
        response = client.post(
            reverse("training:induction_confirm", args=[record.pk]), {"next": next_value}
        )
        record.refresh_from_db()
        assert record.is_confirmed
        return response

    return post


@pytest.mark.parametrize("value", HOSTILE)
def test_induction_confirmation_ignores_a_hostile_next(confirm, value):
    response = confirm(value)
    assert response.status_code == 302
    assert response["Location"] == reverse("training:induction_matrix")


def test_induction_confirmation_returns_to_the_filtered_matrix(confirm):
    back = reverse("training:induction_matrix") + "?gaps=1&q=Kim"
    response = confirm(back)
    assert response.status_code == 302
    assert response["Location"] == back
