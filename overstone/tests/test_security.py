"""Security headers, login lockout (django-axes) and idle sessions."""

import re
import time

import pytest
from django.urls import reverse

from overstone.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_every_page_sends_a_strict_script_policy_and_the_other_headers(client, user_with_role):
    client.force_login(user_with_role("principal"))
    response = client.get(reverse("home"))
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no inline script, no eval, no CDN
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_base_layout_has_no_inline_script(client, user_with_role):
    client.force_login(user_with_role("coordinator"))
    html = client.get(reverse("home")).text
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "Bootstrap and htmx are loaded"
    assert all(" src=" in tag for tag in scripts), scripts
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"


def attempt(client, username, password, ip="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_that_account_from_that_address(client, user_with_role):
    user = user_with_role("principal")
    for _ in range(5):
        assert attempt(client, user.username, "wrong").status_code in (200, 429)
    response = attempt(client, user.username, PASSWORD)  # even the right password now
    assert response.status_code == 429
    assert "Too many attempts to log in" in response.text
    assert "set a new one by e-mail" in response.text
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_lock_out_others(client, user_with_role):
    victim, colleague = user_with_role("principal"), user_with_role("staff")
    for _ in range(6):
        attempt(client, victim.username, "wrong")
    # Another user from the same address logs in.
    assert attempt(client, colleague.username, PASSWORD).status_code == 302
    client.logout()
    # The same user from another address (their own office) logs in.
    assert attempt(client, victim.username, PASSWORD, ip="198.51.100.7").status_code == 302


def test_four_failures_then_success_resets_the_count(client, user_with_role):
    user = user_with_role("staff")
    for _ in range(4):
        attempt(client, user.username, "wrong")
    assert attempt(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, user.username, "wrong")
    assert attempt(client, user.username, PASSWORD).status_code == 302


def test_privileged_roles_have_the_short_idle_timeout(client, user_with_role, settings):
    client.force_login(user_with_role("coordinator"))
    assert client.session.get_expiry_age() == settings.OVERSTONE_PRIVILEGED_SESSION_SECONDS
    client.force_login(user_with_role("parent"))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_an_idle_session_ends(client, user_with_role, settings):
    settings.OVERSTONE_PRIVILEGED_SESSION_SECONDS = 1
    client.force_login(user_with_role("slt"))
    assert client.get(reverse("home")).status_code == 200
    time.sleep(2.1)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_activity_keeps_a_session_alive(client, user_with_role, settings, monkeypatch):
    settings.OVERSTONE_PRIVILEGED_SESSION_SECONDS = 3
    monkeypatch.setattr("overstone.middleware.LAST_SEEN_RESOLUTION_SECONDS", 0)
    client.force_login(user_with_role("slt"))
    for _ in range(4):  # 4 × 1 s of work: longer than the idle timeout in all
        time.sleep(1)
        assert client.get(reverse("home")).status_code == 200
