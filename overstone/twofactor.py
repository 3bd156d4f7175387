"""Two-factor login with a TOTP authenticator app (django-otp), and one-time backup
codes (django-otp's static devices) for when the phone is not to hand.

Who must use it is decided here from ``overstone.roles.TWO_FACTOR_ROLES`` and the
``OVERSTONE_REQUIRE_2FA`` setting; ``TwoFactorMiddleware`` enforces it on every request.
"""

import logging
import time

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from overstone.audit import AuditOrigin, audit_write
from overstone.models import AuditLogEntry
from overstone.notify import notify
from overstone.outbox import outbox_enqueue
from overstone.roles import TWO_FACTOR_ROLES, user_roles
from overstone.workflow import Refused

log = logging.getLogger(__name__)

DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
# After a reset, setting up an app again also needs a code e-mailed to the account, so
# that a password alone (guessed, phished, reused) is not enough to enrol the attacker's.
ENROLMENT_DEVICE_NAME = "Set-up code by e-mail"
ENROLMENT_CODE_DIGITS = 8
ENROLMENT_CODE_VALID_SECONDS = 7 * 24 * 60 * 60


class InvalidCode(Refused):
    """A code from the authenticator app (or a backup code) that is not right."""

    field = "code"


class InvalidEnrolmentCode(InvalidCode):
    """The code e-mailed after a reset is wrong, used or too old."""

    field = "email_code"


class ResetRefused(Refused):
    """A reset of a second factor the rules refuse (one's own, or without an e-mail)."""


def is_privileged(user) -> bool:
    """A role that sees the most sensitive records: 2FA and the short idle timeout."""
    return bool(user_roles(user) & TWO_FACTOR_ROLES)


def needs_second_factor(user) -> bool:
    return settings.OVERSTONE_REQUIRE_2FA and user.is_authenticated and is_privileged(user)


def totp_key_new() -> str:
    return random_hex(20)


def unsaved_device(*, user, key: str) -> TOTPDevice:
    """The device a new key will become, for its otpauth:// URI and its QR code."""
    return TOTPDevice(user=user, key=key, name=DEVICE_NAME)


def otpauth_qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code (no external image, no script)."""
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#212529", light="#ffffff")


def enrolment_code_required(user) -> bool:
    """True after a reset, until a new app is set up with the code e-mailed then."""
    return EmailDevice.objects.filter(user=user, name=ENROLMENT_DEVICE_NAME).exists()


def enrolment_code_check(*, user, code: str) -> None:
    """Accept the code e-mailed after a reset (once; wrong codes are throttled)."""
    # The refusal is raised after the transaction, so a wrong code's throttling is kept.
    with transaction.atomic():
        device = (
            EmailDevice.objects.select_for_update()
            .filter(user=user, name=ENROLMENT_DEVICE_NAME)
            .first()
        )
        if device is None:
            return
        allowed, _ = device.verify_is_allowed()
        accepted = allowed and device.verify_token(code.strip())
    if not allowed:
        raise InvalidEnrolmentCode("Too many wrong codes: wait a little, then try again.")
    if not accepted:
        raise InvalidEnrolmentCode(
            "That is not the code we e-mailed you when your two-factor login was reset, "
            "or it is more than 7 days old (then ask the principal to reset it again)."
        )


def totp_device_confirm(*, user, key: str, token: str, enrolment_code: str = "") -> TOTPDevice:
    """Save the user's device once they prove their app makes codes from ``key`` and,
    after a reset, that they can read the account's e-mail."""
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time()
    try:
        code = int(token)
    except (TypeError, ValueError):
        raise InvalidCode("Enter the 6-digit code from your authenticator app.") from None
    if not totp.verify(code, tolerance=1):
        raise InvalidCode("That code is not right. Check the time on your phone and try again.")
    enrolment_code_check(user=user, code=enrolment_code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        EmailDevice.objects.filter(user=user, name=ENROLMENT_DEVICE_NAME).delete()
        # last_t stops the code just used from being accepted a second time.
        return TOTPDevice.objects.create(
            user=user, key=key, name=DEVICE_NAME, confirmed=True, last_t=totp.t()
        )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def backup_codes_replace(*, user) -> list[str]:
    """A new set of one-time backup codes for ``user``; the old set stops working.

    The device is kept, so a session that logged in with an old code stays logged in.
    """
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    StaticToken.objects.filter(device__user=user).delete()
    codes: set[str] = set()
    while len(codes) < BACKUP_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


def is_backup_device(device: Device) -> bool:
    return isinstance(device, StaticDevice)


def backup_code_clean(code: str) -> str:
    """Codes are shown in lower case; forgive capitals, spaces and hyphens."""
    return "".join(code.split()).replace("-", "").lower()


def is_totp_code(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


def totp_code_check(*, user, code: str) -> TOTPDevice:
    """A code from the user's authenticator app (not a backup code), throttled."""
    if not is_totp_code(code):
        raise InvalidCode("Enter the 6-digit code from your authenticator app.")
    return second_factor_verify(user=user, code=code)


def second_factor_verify(*, user, code: str) -> Device:
    """The device that accepts ``code``: a 6-digit code from the authenticator app, or
    an unused backup code, which this uses up. Each device throttles wrong codes.
    """
    model = TOTPDevice if is_totp_code(code) else StaticDevice
    # The refusal is raised after the transaction, so a wrong code's throttling is kept.
    with transaction.atomic():
        # Locked, so two requests with the same code cannot both pass.
        device = (
            model.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise InvalidCode("That code is not right.")
        allowed, _ = device.verify_is_allowed()
        # django-otp's own check: a backup code is deleted as it is used (the device row
        # is locked above, so two requests with one code cannot both pass).
        accepted = allowed and device.verify_token(code)
    if not allowed:
        raise InvalidCode("Too many wrong codes: wait a little, then try again.")
    if not accepted:
        raise InvalidCode("That code is not right.")
    return device


# ---------------------------------------------------------------------------
# Reset, when a phone and its backup codes are lost
# ---------------------------------------------------------------------------
def two_factor_reset(*, user, origin: AuditOrigin) -> int:
    """Remove ``user``'s authenticator app and backup codes, so that they set up again at
    their next login; record it and e-mail them. Returns the number of devices removed.

    Nobody resets their own in the application: one stolen session must not be enough
    to take a second factor away. That is what backup codes and the command are for.
    """
    if origin.user is not None and origin.user.pk == user.pk:
        raise ResetRefused(
            "You cannot reset your own two-factor login here. Log in with a backup code, "
            "or ask the school's IT support to run the two_factor_reset command."
        )
    if not user.email:
        raise ResetRefused(
            f"{user.get_username()} has no e-mail address. Add one first: setting up "
            "again needs a code sent to it."
        )
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=None))
        if not devices:
            return 0
        for device in devices:
            device.delete()  # backup codes go with their device
        # Never a login factor (unconfirmed): it holds the set-up code e-mailed below.
        EmailDevice.objects.create(user=user, name=ENROLMENT_DEVICE_NAME, confirmed=False)
        entry = audit_write(
            origin, AuditLogEntry.Action.TWO_FACTOR_RESET, user, reference=user.get_username()
        )
        outbox_enqueue("overstone.tasks.email_two_factor_reset", user.pk, entry.pk)
    log.warning("Two-factor login of %s reset by %s", user.get_username(), origin.username)
    return len(devices)


def two_factor_reset_notify(*, user_id: int, audit_entry_id: int) -> int:
    """Tell the user their second factor was reset, by whom and when, with the code
    that setting up again asks for (made here, so it is only ever in the e-mail)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    entry = AuditLogEntry.objects.filter(pk=audit_entry_id).select_related("user").first()
    if user is None or entry is None:
        return 0
    # None once they have set up again: the e-mail still tells them of the reset.
    device = EmailDevice.objects.filter(user=user, name=ENROLMENT_DEVICE_NAME).first()
    if device is not None:
        device.generate_token(length=ENROLMENT_CODE_DIGITS, valid_secs=ENROLMENT_CODE_VALID_SECONDS)
    context = {
        "user": user,
        "entry": entry,
        "url": settings.SITE_URL + "/",
        "code": device.token if device else "",
    }
    notify("overstone/emails/two_factor_reset", context, to=[user])
    return 1
