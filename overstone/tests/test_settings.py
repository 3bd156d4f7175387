"""Production settings are checked in a fresh interpreter, as `manage.py` would load them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REAL_SECRET = "k3J9-q2vX_8mR4tY7uP0wZ5sA1dF6gH2jL9nB3cV8xE4rT7yU0iO5pQ2aS"


def manage(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=cwd,
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


def env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    pairs = (line.partition("=") for line in lines if line.strip() and not line.startswith("#"))
    return {name.strip(): value.strip() for name, _, value in pairs}


def test_env_example_copied_as_it_is_keeps_production_security_on(tmp_path):
    """Empty values in .env.example mean the defaults, which are the secure ones."""
    example = env_example()
    assert example["DJANGO_SECURE_SSL_REDIRECT"] == example["DJANGO_SECURE_COOKIES"] == ""
    assert example["DJANGO_SECURE_HSTS_SECONDS"] == example["OVERSTONE_MEDIA_ROOT"] == ""
    show = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.OVERSTONE_REQUIRE_2FA, s.MEDIA_ROOT)"
    )
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        show,
        **{
            **example,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": REAL_SECRET,
            "DJANGO_ALLOWED_HOSTS": "overstone.school.example",
            "OVERSTONE_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "True",
        str(tmp_path / "media"),
    ]


def test_env_example_keeps_every_file_in_the_project_wherever_a_process_starts(tmp_path):
    """A worker or cron's backup started from another folder: with .env.example's values,
    evidence, the demo database and e-mails stay in the project's var/, and a relative
    folder given is taken in the project too, never in the working directory."""
    production = {
        **env_example(),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": REAL_SECRET,
        "DJANGO_ALLOWED_HOSTS": "overstone.school.example",
    }
    show = (
        "from django.conf import settings as s; "
        "print(s.MEDIA_ROOT, s.DATABASES['default']['NAME'], s.EMAIL_FILE_PATH)"
    )
    result = manage("shell", "-v", "0", "-c", show, cwd=tmp_path, **production)
    assert result.returncode == 0, result.stderr
    var = ROOT / "var"
    assert result.stdout.split() == [
        str(var / "media"),
        str(var / "overstone.sqlite3"),
        str(var / "mail"),
    ]
    relative = manage(
        "shell",
        "-v",
        "0",
        "-c",
        show,
        cwd=tmp_path,
        **{**production, "OVERSTONE_MEDIA_ROOT": "store"},
    )
    assert relative.stdout.split()[0] == str(ROOT / "store")
    assert list(tmp_path.iterdir()) == []  # nothing made in the working directory


def test_every_app_with_tests_is_in_the_test_paths():
    """An app missing from pytest.ini's testpaths would have its tests skipped by CI."""
    import configparser

    from django.apps import apps

    from conftest import ROOT

    config = configparser.ConfigParser()
    config.read(ROOT / "pytest.ini")
    testpaths = set(config["pytest"]["testpaths"].split())
    ours = {
        app.name
        for app in apps.get_app_configs()
        if (ROOT / app.name / "tests").is_dir() and "." not in app.name
    }
    assert ours - testpaths == set()
