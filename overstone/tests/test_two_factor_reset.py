"""Resetting a lost second factor: by the principal in the application (never their
own), or by IT support with ``manage.py two_factor_reset``."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import SentMail, totp_code
from overstone.audit import AuditOrigin
from overstone.models import AuditLogEntry, OutboxMessage
from overstone.roles import Role, user_roles
from overstone.tasks import email_two_factor_reset
from overstone.tests.factories import UserFactory
from overstone.tests.test_two_factor import log_in, secret_on, verified_client
from overstone.twofactor import (
    ResetRefused,
    backup_codes_replace,
    two_factor_reset,
    two_factor_reset_notify,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.OVERSTONE_REQUIRE_2FA = True


def with_second_factor(user):
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    backup_codes_replace(user=user)
    return user


def has_second_factor(user) -> bool:
    return (
        TOTPDevice.objects.filter(user=user).exists()
        or StaticDevice.objects.filter(user=user).exists()
    )


def reset_url(user) -> str:
    return reverse("two_factor_reset", kwargs={"pk": user.pk})


def test_the_principal_resets_someone_and_they_set_up_again(client, user_with_role):
    from django.test import Client

    principal = verified_client(client, user_with_role("principal"))
    coordinator = with_second_factor(user_with_role("coordinator", email="co@overstone.example"))
    their_session = verified_client(Client(), coordinator)
    assert their_session.get(reverse("home")).status_code == 200

    response = principal.post(reset_url(coordinator), follow=True)
    assert "have been e-mailed" in response.text
    assert not has_second_factor(coordinator)

    entry = AuditLogEntry.objects.get(action=AuditLogEntry.Action.TWO_FACTOR_RESET)
    assert user_roles(entry.user) == {Role.PRINCIPAL}
    assert entry.object_reference == coordinator.username
    assert entry.path == reset_url(coordinator)
    message = OutboxMessage.objects.get()
    assert message.task_name == email_two_factor_reset.name
    assert message.args == [coordinator.pk, entry.pk]

    # A session that gave a code with the removed app is sent to set up a new one...
    assert their_session.get(reverse("home"))["Location"].startswith(reverse("two_factor_setup"))
    # ...and so is their next login.
    client.logout()
    log_in(client, coordinator)
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_setup"))


def test_the_user_is_told_by_e_mail(user_with_role, sent_mail):
    principal = user_with_role("principal", first_name="Pat", last_name="Head")
    coordinator = with_second_factor(user_with_role("coordinator", email="co@overstone.example"))
    origin = AuditOrigin(user=principal, username=principal.username, path="/two-factor/")
    two_factor_reset(user=coordinator, origin=origin)
    entry = AuditLogEntry.objects.get()

    assert two_factor_reset_notify(user_id=coordinator.pk, audit_entry_id=entry.pk) == 1
    [email] = sent_mail
    assert email.to == ["co@overstone.example"]
    assert "two-factor login has been reset" in email.subject
    assert "by Pat Head" in email.body
    assert "set up your authenticator app again" in email.body
    assert re.search(r"^    \d{8}$", email.body, re.MULTILINE)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PRINCIPAL])
def test_other_roles_cannot_reset(client, user_with_role, role):
    victim = with_second_factor(user_with_role("slt"))
    verified_client(client, user_with_role(role))
    assert client.post(reset_url(victim)).status_code == 403
    assert client.get(reverse("two_factor_users")).status_code == 403
    assert has_second_factor(victim)
    assert not AuditLogEntry.objects.exists()


def test_anonymous_is_sent_to_log_in(client, user_with_role):
    victim = with_second_factor(user_with_role("slt"))
    response = client.post(reset_url(victim))
    assert response["Location"].startswith(reverse("login"))
    assert has_second_factor(victim)


def test_a_get_changes_nothing(client, user_with_role):
    verified_client(client, user_with_role("principal"))
    victim = with_second_factor(user_with_role("slt"))
    assert client.get(reset_url(victim)).status_code == 405
    assert has_second_factor(victim)


def test_the_principal_cannot_reset_their_own(client, user_with_role):
    principal = user_with_role("principal")
    verified_client(client, principal)
    backup_codes_replace(user=principal)

    page = client.get(reverse("two_factor_users"))
    assert reset_url(principal) not in page.text
    assert "manage.py two_factor_reset" in page.text

    response = client.post(reset_url(principal), follow=True)
    assert response.redirect_chain == [(reverse("two_factor_users"), 302)]
    assert "cannot reset your own" in response.text
    assert has_second_factor(principal)
    assert not AuditLogEntry.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_service_refuses_a_reset_of_oneself(user_with_role):
    principal = with_second_factor(user_with_role("principal"))
    origin = AuditOrigin(user=principal, username=principal.username, path="/")
    with pytest.raises(ResetRefused):
        two_factor_reset(user=principal, origin=origin)
    assert has_second_factor(principal)


def test_the_list_shows_only_accounts_with_a_second_factor(client, user_with_role):
    verified_client(client, user_with_role("principal", username="head"))
    with_second_factor(user_with_role("slt", username="deputy"))
    backup_codes_replace(user=user_with_role("coordinator", username="esafety"))
    user_with_role("staff", username="teacher")  # no second factor

    page = client.get(reverse("two_factor_users"))
    for username in ["head", "deputy", "esafety"]:
        assert f"({username})" in page.text
    assert "teacher" not in page.text
    assert "3 accounts" in page.text

    found = client.get(reverse("two_factor_users"), {"username": "DEP"})
    assert "(deputy)" in found.text and "(esafety)" not in found.text
    none = client.get(reverse("two_factor_users"), {"username": "nobody"})
    assert "No account with a second factor matches" in none.text


def test_the_list_is_paginated(client, user_with_role):
    verified_client(client, user_with_role("principal", username="aaa-head"))
    for number in range(50):
        backup_codes_replace(user=user_with_role("slt", username=f"slt{number:02d}"))
    first = client.get(reverse("two_factor_users"))
    assert "51 accounts" in first.text and "Page 1 of 2" in first.text
    second = client.get(reverse("two_factor_users"), {"page": 2})
    assert "(slt49)" in second.text and "(slt00)" not in second.text


def test_the_principal_sees_the_page_in_the_navigation(client, user_with_role):
    verified_client(client, user_with_role("principal"))
    assert f'href="{reverse("two_factor_users")}"' in client.get(reverse("home")).text


def test_the_empty_list_says_so(client, settings, user_with_role):
    settings.OVERSTONE_REQUIRE_2FA = False
    client.force_login(user_with_role("principal"))
    assert "No account has a second factor yet" in client.get(reverse("two_factor_users")).text


# ---------------------------------------------------------------------------
# The command, for IT support
# ---------------------------------------------------------------------------
def test_the_command_resets_even_the_principal(client, user_with_role, capsys):
    principal = with_second_factor(user_with_role("principal", username="head"))
    call_command("two_factor_reset", "head")
    assert "Reset the two-factor login of head" in capsys.readouterr().out
    assert not has_second_factor(principal)

    entry = AuditLogEntry.objects.get()
    assert entry.user is None and entry.username.endswith("(command line)")
    assert entry.action == AuditLogEntry.Action.TWO_FACTOR_RESET
    assert entry.object_reference == "head"
    assert entry.path == "manage.py two_factor_reset head"
    assert OutboxMessage.objects.get().args == [principal.pk, entry.pk]

    log_in(client, principal)
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_setup"))
    # The audit log shows an entry made from the command line.
    audit = verified_client(client, principal).get(reverse("audit_log"))
    assert "(command line)" in audit.text and "Reset two-factor login of" in audit.text


def test_the_command_with_nothing_to_reset(user_with_role, capsys):
    user_with_role("staff", username="teacher")
    call_command("two_factor_reset", "teacher")
    assert "nothing to reset" in capsys.readouterr().out
    assert not AuditLogEntry.objects.exists()


def test_the_command_with_an_unknown_user():
    with pytest.raises(CommandError, match="No user called 'ghost'"):
        call_command("two_factor_reset", "ghost")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_e_mail_goes_out_on_a_real_worker(worker, user_with_role):
    user = with_second_factor(user_with_role("coordinator", email="co@overstone.example"))
    call_command("two_factor_reset", user.username)
    [email] = worker.wait_for_mails(1)
    assert email["To"] == "co@overstone.example"
    assert "by the school's IT support" in email.get_content()


def reset_code_e_mailed(user, origin_user) -> str:
    origin = AuditOrigin(user=origin_user, username=origin_user.username, path="/two-factor/")
    two_factor_reset(user=user, origin=origin)
    entry = AuditLogEntry.objects.filter(action=AuditLogEntry.Action.TWO_FACTOR_RESET).latest("pk")
    two_factor_reset_notify(user_id=user.pk, audit_entry_id=entry.pk)
    return re.search(r"^    (\d{8})$", SentMail()[-1].body, re.MULTILINE).group(1)


def test_setting_up_again_after_a_reset_needs_the_code_e_mailed(client, user_with_role):
    """The password alone (guessed, phished) must not be enough to enrol an attacker's app."""
    coordinator = with_second_factor(user_with_role("coordinator", email="co@overstone.example"))
    code = reset_code_e_mailed(coordinator, user_with_role("principal"))
    log_in(client, coordinator)
    page = client.get(reverse("two_factor_setup"))
    assert "type also the code" in page.text
    secret = secret_on(page.text)
    setup = reverse("two_factor_setup")

    for wrong in ("", "12345678"):
        response = client.post(setup, {"code": totp_code(secret), "email_code": wrong})
        assert response.status_code == 200
        assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert "not the code we e-mailed you" in response.text
    assert list(response.context["form"].errors) == ["email_code"]  # not the app's code
    EmailDevice.objects.get(user=coordinator).throttle_reset()  # as waiting a second would

    response = client.post(setup, {"code": totp_code(secret), "email_code": code})
    assert response.status_code == 200 and "backup-codes" in response.text
    assert TOTPDevice.objects.get(user=coordinator, confirmed=True)
    assert client.get(reverse("home")).status_code == 200
    assert "type also the code" not in client.get(setup, follow=True).text


def test_a_new_reset_makes_the_earlier_code_useless(client, user_with_role):
    coordinator = with_second_factor(user_with_role("coordinator", email="co@overstone.example"))
    principal = user_with_role("principal")
    earlier = reset_code_e_mailed(coordinator, principal)
    latest = reset_code_e_mailed(coordinator, principal)
    log_in(client, coordinator)
    setup = reverse("two_factor_setup")
    secret = secret_on(client.get(setup).text)
    response = client.post(setup, {"code": totp_code(secret), "email_code": earlier})
    assert "not the code we e-mailed you" in response.text
    EmailDevice.objects.get(user=coordinator).throttle_reset()  # as waiting a second would
    client.post(setup, {"code": totp_code(secret), "email_code": latest})
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()


def test_an_account_without_e_mail_cannot_be_reset(user_with_role):
    coordinator = with_second_factor(user_with_role("coordinator", email=""))
    principal = user_with_role("principal")
    origin = AuditOrigin(user=principal, username=principal.username, path="/two-factor/")
    with pytest.raises(ResetRefused, match="no e-mail address"):
        two_factor_reset(user=coordinator, origin=origin)
    with pytest.raises(CommandError, match="no e-mail address"):
        call_command("two_factor_reset", coordinator.username)
    assert has_second_factor(coordinator)


def test_the_command_writes_its_audit_entry_in_the_persons_school(user_with_role):
    from overstone.models import School
    from overstone.schools import default_school, membership_add

    first = default_school()
    second = School.objects.create(trust=first.trust, name="Riverside Academy", code="RVA")
    teacher = with_second_factor(UserFactory(username="rivers"))
    membership_add(teacher, Role.STAFF, second)
    call_command("two_factor_reset", "rivers")
    assert AuditLogEntry.objects.get().school == second
