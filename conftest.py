"""Fixtures shared by every app's tests.

A missing service (PostgreSQL, Redis, Chromium) skips the tests that need it, saying
why — unless OVERSTONE_REQUIRE_SERVICES=1 (set by .ci/run), which makes it a failure.
"""

import base64
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest

from overstone.roles import Role
from overstone.tests.factories import PASSWORD, UserFactory

# Playwright runs an event loop in the test thread; Django's live_server is sync code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent
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


def totp_code(key: bytes, *, after_step: int = -1) -> str:
    """The code an authenticator app shows now or, when the device has already accepted
    this time step, the next one (a device accepts one step ahead, never a step twice)."""
    from django_otp.oath import TOTP

    totp = TOTP(key)
    totp.time = time.time()
    while totp.t() < after_step:  # even the next code would be too far ahead: wait
        time.sleep(1)
        totp.time = time.time()
    if totp.t() == after_step:
        totp.time += totp.step
    return f"{totp.token():06d}"


def browser_log_in(page, username: str, password: str = PASSWORD, *, url: str | None = None):
    """Log in through the form (at ``url``, or on the page already open) and, if the
    user must use two-factor authentication, set it up or give a code as a user would."""
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if url:
        page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    path = urlparse(page.url).path
    if path == reverse("two_factor_setup"):
        uri = page.get_by_test_id("otpauth-uri").inner_text()
        secret = parse_qs(urlparse(uri).query)["secret"][0]
        page.get_by_label("6-digit code").fill(totp_code(base64.b32decode(secret)))
        page.get_by_role("button", name="Confirm").click()
        page.get_by_test_id("backup-codes").wait_for()  # shown once, after set-up
        page.get_by_role("link", name="continue").click()
    elif path == reverse("two_factor_verify"):
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.get_by_label("6-digit code").fill(totp_code(device.bin_key, after_step=device.last_t))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def browser_nav(page, section: str, link: str) -> None:
    """Open a page from the navigation as a person would: the section's menu, then its
    link (a section with one link for this person is that link, without a menu)."""
    nav = page.get_by_role("navigation", name="Main navigation")
    menu = nav.get_by_role("button", name=section, exact=True)
    if menu.count():
        menu.click()
    nav.get_by_role("link", name=link, exact=True).click()


@pytest.fixture
def user_with_role(db):
    """``user_with_role("coordinator")`` -> a saved user in that role."""

    def make(role: Role | str, **fields):
        return UserFactory(roles=[Role(role)], **fields)

    return make


@pytest.fixture(scope="session")
def media_root(tmp_path_factory) -> Path:
    """Uploads and reports of this test run, shared with the Celery worker."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def private_media_root(settings, media_root):
    settings.MEDIA_ROOT = media_root


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached page fragments must not carry one test's data into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def outside_any_school():
    """A test reads and writes records as a shell would, with scopes disabled; each
    request it makes runs in its user's school (overstone.schools.SchoolMiddleware).
    ``overstone/tests/test_schools.py`` shows a query outside a scope raising."""
    from django_scopes import scopes_disabled

    with scopes_disabled():
        yield


@pytest.fixture
def schools(db):
    """The installation's school and a second one, Two Oaks Academy (code TWO)."""
    from overstone.models import School
    from overstone.schools import default_school

    one = default_school()
    two = School.objects.create(trust=one.trust, name="Two Oaks Academy", code="TWO")
    return one, two


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Real hashing costs ~0.3 s a user; tests create hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class SentMail(Sequence):
    """``django.core.mail.outbox`` once what ``overstone.notify`` queued is sent: reading
    it first sends every e-mail waiting, as the worker's send_email task would."""

    def _sent(self) -> list:
        from django.core import mail

        from overstone.models import Email
        from overstone.notify import email_send

        waiting = Email.objects.filter(status=Email.Status.PENDING).order_by("pk")
        for pk in waiting.values_list("pk", flat=True):
            email_send(email_id=pk)
        return mail.outbox

    def __getitem__(self, index):
        return self._sent()[index]

    def __len__(self) -> int:
        return len(self._sent())


@pytest.fixture
def sent_mail(mailoutbox) -> SentMail:
    """The e-mails sent during this test, in the test's own process."""
    return SentMail()


def database_url_for_subprocess() -> str:
    """The test database, as a DATABASE_URL another process can open."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    credentials = quote(settings["USER"] or "")
    if settings["PASSWORD"]:
        credentials += ":" + quote(settings["PASSWORD"])
    return (
        f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


DEAD_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def run_django(code: str, **env: str) -> str:
    """Run Python in a fresh Django process on the test database; return its output.

    For what must not touch this process's state, such as a broker that is down.
    Tests using it must be transactional, so the other process sees their data.
    """
    # With scopes disabled, as the test itself (see outside_any_school).
    code = f"from django_scopes import scopes_disabled\nwith scopes_disabled():\n    exec({code!r})"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-startup", "-v", "0", "-c", code],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url_for_subprocess(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


class WorkerProcess:
    """A real `celery worker` subprocess on the configured broker and the test database.

    It sends e-mail as files into ``mail_dir``; ``mails()`` reads them back. Its mail
    server can be made to fail: ``smtp_failures(n)`` (see overstone.tests.mail).
    """

    def __init__(self, tmp_path: Path, media_root: Path, **env: str):
        self.media_root = media_root
        self.mail_dir = tmp_path / "mail"
        self.smtp_failures_file = tmp_path / "smtp-failures"
        self.log_path = tmp_path / "worker.log"
        self.env = env  # e.g. CELERY_BROKER_URL of a broker the test runs itself
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        from overstone.celery import app

        if "CELERY_BROKER_URL" not in self.env:
            app.control.purge()  # messages left by earlier runs or tests without a worker
        env = {
            **os.environ,
            "DATABASE_URL": database_url_for_subprocess(),
            "EMAIL_URL": "filemail://",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "EMAIL_BACKEND": "overstone.tests.mail.FlakyEmailBackend",
            "OVERSTONE_SMTP_FAILURES_FILE": str(self.smtp_failures_file),
            "OVERSTONE_MEDIA_ROOT": str(self.media_root),
            "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP": "false",
            **self.env,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "overstone", "worker", "--pool", "solo"]
            + ["--without-gossip", "--without-mingle", "--loglevel", "INFO"],
            cwd=ROOT,
            env=env,
            stdout=self.log_path.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while " ready." not in self.log():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Celery worker did not start:\n{self.log()}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def kill(self) -> None:
        """As a crash would: no warm shutdown, nothing acknowledged."""
        self.process.kill()
        self.process.wait(timeout=15)

    def smtp_failures(self, count: int) -> None:
        """The next ``count`` tries to send fail (a large number: down until set to 0)."""
        self.smtp_failures_file.write_text(str(count))

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def mails(self) -> list[EmailMessage]:
        if not self.mail_dir.exists():
            return []
        messages = []
        # The file backend names its files by the second and a random id: order by
        # when each was written, so mails come in the order they were sent.
        paths = sorted(self.mail_dir.glob("*.log"), key=lambda p: (p.stat().st_mtime_ns, p.name))
        for path in paths:
            # The file backend separates messages with a line of 79 dashes.
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    messages.append(BytesParser(policy=default_policy).parsebytes(chunk))
        return messages

    def wait_for_mails(self, count: int, timeout: float = 30) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.mails()) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} e-mail(s); worker log:\n{self.log()}")
            time.sleep(0.2)
        return self.mails()


_session_worker: "WorkerProcess | None" = None


def settle_worker(timeout: float = 30) -> None:
    """Wait until the session's worker, if one runs, has finished the tasks this test
    queued: the database flush after a transactional test must not race them."""
    if _session_worker is None:
        return
    from celery.states import READY_STATES
    from django_celery_results.models import TaskResult

    from overstone.models import OutboxMessage

    sent = OutboxMessage.objects.filter(dispatched_at__isnull=False).values_list("pk", flat=True)
    task_ids = [f"outbox-{pk}" for pk in sent]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = TaskResult.objects.filter(task_id__in=task_ids, status__in=READY_STATES)
        if done.count() >= len(task_ids):
            return
        time.sleep(0.2)


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, tmp_path_factory, media_root):
    """A running worker. Tests using it must be transactional, so it sees their data."""
    worker = WorkerProcess(tmp_path_factory.mktemp("celery-worker"), media_root)
    global _session_worker
    with django_db_blocker.unblock():
        worker.start()
    _session_worker = worker
    yield worker
    _session_worker = None
    worker.stop()


@pytest.fixture
def worker(celery_worker):
    """The session's worker with its mailbox emptied for this test."""
    shutil.rmtree(celery_worker.mail_dir, ignore_errors=True)
    celery_worker.smtp_failures(0)
    return celery_worker


class RedisServer:
    """A redis-server of the test's own on a spare loopback port, to stop and restart."""

    def __init__(self, directory: Path):
        self.directory = directory
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    """A stopped redis-server of this test's own: ``.start()``, ``.stop()``, ``.url``."""
    if not shutil.which("redis-server"):
        skip_or_fail("no redis-server on this machine: apt-get install -y redis-server")
    server = RedisServer(tmp_path)
    yield server
    server.stop()
