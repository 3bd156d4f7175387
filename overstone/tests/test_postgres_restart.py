"""PostgreSQL restarts under a running app: requests during the outage get the friendly
503 page and the app recovers by itself afterwards (CONN_HEALTH_CHECKS).

The test runs a private PostgreSQL cluster on a spare port (initdb + pg_ctl, as the
``postgres`` user), so it can stop and start it without touching anyone else's.
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT, skip_or_fail

APP = """
import sys
from django.contrib.auth import get_user_model
from django.db import close_old_connections
from django.test import Client
from overstone.roles import Role
from overstone.schools import membership_add

user = get_user_model().objects.create_user("head", password="x" * 12)
membership_add(user, Role.STAFF)
client = Client(HTTP_HOST="localhost", raise_request_exception=False)
client.force_login(user)
for line in sys.stdin:  # one request per line the test sends
    close_old_connections()  # as a server does at each request (the test client does not)
    response = client.get("/")
    print(response.status_code, "briefly unavailable" in response.text, flush=True)
"""


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


def as_postgres(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *argv], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def private_cluster():
    bin_dir = binaries()
    if bin_dir is None or not shutil.which("runuser") or os.geteuid() != 0:
        skip_or_fail("needs PostgreSQL's server binaries and root (to run them as postgres)")
    # Its own folder right under /tmp: pytest's are private to root.
    data = Path(tempfile.mkdtemp(prefix="overstone-pg-"))
    shutil.chown(data, "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert as_postgres(str(bin_dir / "initdb"), "-A", "trust", "-D", str(data)).returncode == 0
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {data}"

    def pg_ctl(action: str) -> None:
        result = as_postgres(
            str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(data / "log"),
            "-w", "-m", "fast", action,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr

    pg_ctl("start")
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres", pg_ctl
    finally:
        as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(data, ignore_errors=True)


def test_a_restart_gives_503_pages_then_recovers_by_itself(private_cluster, tmp_path):
    url, pg_ctl = private_cluster
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "OVERSTONE_VAR_DIR": str(tmp_path / "var"),
        # As in production, where the 500 handler (not the debug page) answers.
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "restart-test-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    for command in (["migrate"], ["collectstatic"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command, "--noinput", "-v0"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    log = (tmp_path / "app.log").open("w")
    app = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-startup", "-v", "0", "-c", APP],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True,
    )  # fmt: skip

    def request() -> str:
        app.stdin.write("go\n")
        app.stdin.flush()
        return app.stdout.readline().strip()

    try:
        answer = request()
        assert answer == "200 False", answer + (tmp_path / "app.log").read_text()[-1500:]
        pg_ctl("stop")
        answer = request()
        assert answer == "503 True", answer + (tmp_path / "app.log").read_text()[-1500:]
        assert request() == "503 True"
        pg_ctl("start")
        assert request() == "200 False"  # no restart of the app needed
    finally:
        app.stdin.close()
        app.wait(timeout=30)
        log.close()
