"""Walk every named URL as anonymous and as every role; compare with one table.

A new URL must be added to EXPECTED (and, if it takes arguments, to URL_KWARGS), or
test_every_url_is_in_the_table fails. GET only: POST-only views answer 405 to the roles
that may use them, which still proves the role check ran first.
"""

import pytest
from django.urls import reverse

from overstone.roles import Role
from overstone.tests.urlwalk import named_urls

ANON = "anonymous"
ROLES = [r.value for r in Role]
EVERYONE = [ANON, *ROLES]


def statuses(default: int, anonymous: int | None = None, **per_role: int) -> dict[str, int]:
    table = {who: default for who in ROLES}
    table[ANON] = default if anonymous is None else anonymous
    table.update(per_role)
    return table


LOGIN = 302  # anonymous users are redirected to the login page

EXPECTED: dict[str, dict[str, int]] = {
    "home": statuses(200, anonymous=LOGIN),
    "healthz": statuses(200),
    "login": statuses(200),
    "logout": statuses(405),
    "password_change": statuses(200, anonymous=LOGIN),
    "password_change_done": statuses(200, anonymous=LOGIN),
    "password_reset": statuses(200),
    "password_reset_done": statuses(200),
    "password_reset_confirm": statuses(200),
    "password_reset_complete": statuses(200),
}

URL_KWARGS = {
    "password_reset_confirm": lambda: {"uidb64": "MQ", "token": "set-password"},
}


def test_every_url_is_in_the_table():
    assert sorted(named_urls()) == sorted(EXPECTED)


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_access(client, user_with_role, name, who):
    kwargs = URL_KWARGS.get(name, dict)()
    url = reverse(name, kwargs=kwargs)
    if who != ANON:
        client.force_login(user_with_role(who))
    response = client.get(url)
    assert response.status_code == EXPECTED[name][who], f"{who} GET {url}"
    if response.status_code == 302 and who == ANON:
        assert response["Location"].startswith(reverse("login"))
