"""TOTP two-factor authentication for principal, SLT, coordinator and chair of governors."""

import base64
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import totp_code
from overstone.roles import TWO_FACTOR_ROLES, Role
from overstone.tests.factories import PASSWORD
from overstone.tests.test_access_matrix import EXPECTED, URL_KWARGS
from overstone.twofactor import BACKUP_CODE_COUNT, backup_codes_replace

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.OVERSTONE_REQUIRE_2FA = True


def log_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def secret_on(page_html: str) -> bytes:
    uri = re.search(r'data-testid="otpauth-uri">([^<]+)<', page_html).group(1)
    uri = uri.replace("&amp;", "&")
    assert uri.startswith("otpauth://totp/Overstone")
    return base64.b32decode(parse_qs(urlparse(uri).query)["secret"][0])


def codes_on(page_html: str) -> list[str]:
    listing = re.search(r'data-testid="backup-codes">(.*?)</ol>', page_html, re.S).group(1)
    return re.findall(r"<li>([a-z2-7]{8})</li>", listing)


def verified_client(client, user):
    """``client`` logged in as ``user`` who has given a code from their app."""
    device = TOTPDevice.objects.get_or_create(user=user, name="phone", confirmed=True)[0]
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.mark.parametrize("role", sorted(TWO_FACTOR_ROLES))
def test_a_privileged_role_without_a_device_must_set_one_up(client, user_with_role, role):
    user = user_with_role(role)
    log_in(client, user)
    response = client.get(reverse("incidents:list"))
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("two_factor_setup") + "?next=" + reverse("incidents:list").replace("/", "%2F")
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "<svg" in page.text  # the QR code, inline
    assert not TOTPDevice.objects.filter(user=user).exists()  # nothing saved by a GET


@pytest.mark.parametrize("role", [Role.STAFF, Role.GOVERNOR, Role.PARENT])
def test_other_roles_log_in_with_a_password_only(client, user_with_role, role):
    log_in(client, user_with_role(role))
    assert client.get(reverse("home")).status_code == 200


def test_setting_up_needs_a_correct_code_then_opens_the_site(client, user_with_role):
    user = user_with_role("principal")
    log_in(client, user)
    setup = client.get(reverse("two_factor_setup"), {"next": reverse("audit_log")})
    key = secret_on(setup.text)

    wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "not right" in wrong.text or "6 digits" in wrong.text
    assert not TOTPDevice.objects.filter(user=user).exists()

    response = client.post(
        reverse("two_factor_setup"), {"code": totp_code(key), "next": reverse("audit_log")}
    )
    assert response.status_code == 200  # the backup codes, shown once, then on to "next"
    assert len(codes_on(response.text)) == BACKUP_CODE_COUNT
    assert f'href="{reverse("audit_log")}"' in response.text
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.bin_key == key
    assert client.get(reverse("audit_log")).status_code == 200


def test_with_a_device_a_code_is_asked_at_every_login(client, user_with_role):
    user = user_with_role("chair_of_governors")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    log_in(client, user)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    # No way round it: the setup page cannot replace the device without a code.
    assert client.get(reverse("two_factor_setup"))["Location"].startswith(
        reverse("two_factor_verify")
    )
    bad = client.post(reverse("two_factor_verify"), {"code": "123456"})
    assert bad.status_code == 200
    assert "not right" in bad.text or "Too many" in bad.text
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above started a back-off
    device.save()
    good = client.post(reverse("two_factor_verify"), {"code": totp_code(device.bin_key)})
    assert good["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_used_code_cannot_be_replayed(client, user_with_role):
    user = user_with_role("slt")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    code = totp_code(device.bin_key)
    log_in(client, user)
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    client.logout()
    log_in(client, user)
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 200


def test_repeated_wrong_codes_are_throttled(client, user_with_role):
    user = user_with_role("coordinator")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    log_in(client, user)
    client.post(reverse("two_factor_verify"), {"code": "000000"})
    response = client.post(reverse("two_factor_verify"), {"code": totp_code(device.bin_key)})
    assert "Too many wrong codes" in response.text


def test_htmx_requests_are_told_to_go_to_the_code_page(client, user_with_role):
    log_in(client, user_with_role("principal"))
    response = client.get(reverse("reporting:dashboard"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("two_factor_setup"))


def test_the_next_address_must_be_on_this_site(client, user_with_role):
    user = user_with_role("principal")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    log_in(client, user)
    response = client.post(
        reverse("two_factor_verify"),
        {"code": totp_code(device.bin_key), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_logout_works_before_the_code(client, user_with_role):
    log_in(client, user_with_role("principal"))
    assert client.post(reverse("logout"))["Location"] == reverse("login")


def test_setting_off_lets_privileged_roles_in_with_a_password(client, user_with_role, settings):
    settings.OVERSTONE_REQUIRE_2FA = False
    log_in(client, user_with_role("principal"))
    assert client.get(reverse("home")).status_code == 200


OPEN_BEFORE_THE_CODE = {"two_factor_setup", "two_factor_verify", "login", "logout", "healthz"}


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - OPEN_BEFORE_THE_CODE))
def test_no_other_page_opens_before_the_code(client, user_with_role, name):
    client.force_login(user_with_role("coordinator"))
    response = client.get(reverse(name, kwargs=URL_KWARGS.get(name, dict)()))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_after_the_code_access_is_as_the_role_allows(client, user_with_role, name):
    user = user_with_role("principal")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    response = client.get(reverse(name, kwargs=URL_KWARGS.get(name, dict)()))
    expected = EXPECTED[name]["principal"]
    if name in {"two_factor_setup", "two_factor_verify"}:
        expected = 302  # done already: both send the user on
    if name == "two_factor_backup_codes":
        expected = 200  # open once the code is given
    assert response.status_code == expected


# ---------------------------------------------------------------------------
# Backup codes
# ---------------------------------------------------------------------------
def test_a_backup_code_logs_in_once_and_not_twice(client, user_with_role):
    user = user_with_role("principal")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    code = backup_codes_replace(user=user)[0]

    log_in(client, user)
    response = client.post(reverse("two_factor_verify"), {"code": code.upper()})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == BACKUP_CODE_COUNT - 1

    client.logout()
    log_in(client, user)
    again = client.post(reverse("two_factor_verify"), {"code": code})
    assert again.status_code == 200
    assert "not right" in again.text
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))


def test_a_wrong_backup_code_is_refused_and_throttled(client, user_with_role):
    user = user_with_role("coordinator")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    codes = backup_codes_replace(user=user)
    log_in(client, user)
    assert "not right" in client.post(reverse("two_factor_verify"), {"code": "aaaaaaaa"}).text
    response = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert "Too many wrong codes" in response.text
    assert StaticToken.objects.filter(device__user=user).count() == BACKUP_CODE_COUNT


def test_a_new_set_replaces_the_old_one(client, user_with_role):
    user = user_with_role("slt")
    old = backup_codes_replace(user=user)
    verified_client(client, user)
    page = client.get(reverse("two_factor_backup_codes"))
    assert f"<strong>{BACKUP_CODE_COUNT}</strong> unused" in page.text

    device = TOTPDevice.objects.get(user=user)
    refused = client.post(reverse("two_factor_backup_codes"), {"code": "000000"})
    assert "not right" in refused.text  # a session alone does not mint new codes
    assert list(refused.context["form"].errors) == ["code"]  # shown at the code, as typed
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)
    device.refresh_from_db()
    device.throttle_reset()
    code = totp_code(device.bin_key, after_step=device.last_t)
    response = client.post(reverse("two_factor_backup_codes"), {"code": code})
    new = codes_on(response.text)
    assert len(new) == BACKUP_CODE_COUNT and not set(new) & set(old)
    assert response["Cache-Control"].startswith("max-age=0")
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == (
        set(new)
    )
    assert StaticDevice.objects.filter(user=user).count() == 1
    # Shown once: the page never lists them again.
    assert 'data-testid="backup-codes"' not in client.get(reverse("two_factor_backup_codes")).text


def test_the_backup_codes_page_needs_the_code_first(client, user_with_role):
    user = user_with_role("principal")
    log_in(client, user)
    response = client.get(reverse("two_factor_backup_codes"))
    assert response["Location"].startswith(reverse("two_factor_setup"))
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = client.post(reverse("two_factor_backup_codes"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert not StaticToken.objects.exists()
