"""Fixtures shared by every app's tests.

A missing service (PostgreSQL, Redis, Chromium) skips the tests that need it, saying
why — unless OVERSTONE_REQUIRE_SERVICES=1 (set by .ci/run), which makes it a failure.
"""

import os
import shutil

import pytest

from overstone.roles import Role
from overstone.tests.factories import UserFactory

# Playwright runs an event loop in the test thread; Django's live_server is sync code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("OVERSTONE_CHROMIUM", "/usr/bin/chromium")


def services_required() -> bool:
    return os.environ.get("OVERSTONE_REQUIRE_SERVICES", "") in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    if services_required():
        pytest.fail(f"{reason} (OVERSTONE_REQUIRE_SERVICES is set)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        skip_or_fail(f"no Chromium at {CHROMIUM}: apt-get install -y chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }


@pytest.fixture
def user_with_role(db):
    """``user_with_role("coordinator")`` -> a saved user in that role."""

    def make(role: Role | str, **fields):
        return UserFactory(roles=[Role(role)], **fields)

    return make


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Real hashing costs ~0.3 s a user; tests create hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
