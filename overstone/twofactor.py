"""Two-factor login with a TOTP authenticator app (django-otp).

Who must use it is decided here from ``overstone.roles.TWO_FACTOR_ROLES`` and the
``OVERSTONE_REQUIRE_2FA`` setting; ``TwoFactorMiddleware`` enforces it on every request.
"""

import time

import segno
from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from overstone.roles import TWO_FACTOR_ROLES, user_roles

DEVICE_NAME = "Authenticator app"


class InvalidCode(Exception):
    pass


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


@transaction.atomic
def totp_device_confirm(*, user, key: str, token: str) -> TOTPDevice:
    """Save the user's device once they prove their app makes codes from ``key``."""
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time()
    try:
        code = int(token)
    except (TypeError, ValueError):
        raise InvalidCode("Enter the 6-digit code from your authenticator app.") from None
    if not totp.verify(code, tolerance=1):
        raise InvalidCode("That code is not right. Check the time on your phone and try again.")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    # last_t stops the code just used from being accepted a second time.
    return TOTPDevice.objects.create(
        user=user, key=key, name=DEVICE_NAME, confirmed=True, last_t=totp.t()
    )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()
