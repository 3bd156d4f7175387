"""Production settings are checked in a fresh interpreter, as `manage.py` would load them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REAL_SECRET = "k3J9-q2vX_8mR4tY7uP0wZ5sA1dF6gH2jL9nB3cV8xE4rT7yU0iO5pQ2aS"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="school.example")
    assert result.returncode != 0
    assert "needs DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY=REAL_SECRET)
    assert result.returncode != 0
    assert "needs DJANGO_ALLOWED_HOSTS" in result.stderr


def test_deploy_check_passes_with_production_values():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=REAL_SECRET,
        DJANGO_ALLOWED_HOSTS="overstone.school.example",
    )
    assert result.returncode == 0, result.stderr


def test_production_cookies_are_secure_unless_turned_off_for_plain_http():
    show = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    production = {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": REAL_SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    assert manage("shell", "-v", "0", "-c", show, **production).stdout.split() == ["True", "True"]
    plain_http = manage("shell", "-v", "0", "-c", show, DJANGO_SECURE_COOKIES="false", **production)
    assert plain_http.stdout.split() == ["False", "False"]
