"""The web server as `make run` starts it (the Procfile's command), in front of a browser
(issue 14.15) and of a client sending far too much (issue 14.4).

A browser opens connections before it needs them and keeps them idle; with sync
workers each such connection held a whole worker until its 30 s timeout.
"""

import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import browser_log_in, database_url_for_subprocess
from overstone.roles import Role
from overstone.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
IDLE_TABS = 6

pytestmark = pytest.mark.django_db(transaction=True)


def procfile_web_command(port: int) -> list[str]:
    """The Procfile's `web` command, bound to ``port`` instead of 8000."""
    line = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")
    )
    args = shlex.split(line.removeprefix("web:"))
    args[args.index("--bind") + 1] = f"127.0.0.1:{port}"
    return [sys.executable, "-m", *args]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WebServer(str):
    """The server's address, with its log file."""

    def __new__(cls, url: str, log):
        server = super().__new__(cls, url)
        server.log = log
        return server


@contextmanager
def serving(command: list[str], port: int, log: Path):
    """``command`` serving the test database on ``port``, from the project folder."""
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url_for_subprocess()},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}") from None
            time.sleep(0.2)
    try:
        yield WebServer(f"http://127.0.0.1:{port}", log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def web_server(tmp_path):
    """The Procfile's web server on a free port and the test database: its address."""
    port = free_port()
    with serving(procfile_web_command(port), port, tmp_path / "gunicorn.log") as server:
        yield server


def idle_connections(server: str, count: int) -> list[socket.socket]:
    """As a browser's speculative connections: opened, and no request ever sent on them."""
    host, port = server.removeprefix("http://").split(":")
    return [socket.create_connection((host, int(port))) for _ in range(count)]


@pytest.mark.browser
def test_idle_tabs_and_open_connections_do_not_stall_the_next_page(
    web_server, page: Page, settings
):
    # The server checks passwords with the real hasher, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    UserFactory(username="coordinator", roles=[Role.COORDINATOR])
    tabs = [page.context.new_page() for _ in range(IDLE_TABS)]
    for tab in tabs:
        tab.goto(f"{web_server}/accounts/login/")
    idle = idle_connections(web_server, 4)
    try:
        page.set_default_timeout(5000)
        started = time.monotonic()
        browser_log_in(page, "coordinator", url=f"{web_server}/incidents/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("e-Safety incidents")
        assert time.monotonic() - started < 5
    finally:
        for connection in idle:
            connection.close()


def test_gunicorn_started_without_worker_options_is_not_stalled_by_idle_connections(tmp_path):
    """gunicorn.conf.py chooses the workers, so a plain `gunicorn overstone.wsgi` run from
    the project folder (not only the Procfile's and the README's commands) copes too."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "overstone.wsgi", "--bind", f"127.0.0.1:{port}"]
    with serving(command, port, tmp_path / "gunicorn.log") as server:
        idle = idle_connections(server, 4)
        try:
            with urllib.request.urlopen(f"{server}/accounts/login/", timeout=5) as response:
                assert response.status == 200
        finally:
            for connection in idle:
                connection.close()


def test_a_huge_anonymous_post_is_refused_before_it_is_sent(web_server):
    """Only the headers go: the answer comes without waiting for 800 MB."""
    host, port = web_server.removeprefix("http://").split(":")
    # The body never comes: an answer at all shows it was not waited for (the timeout only
    # allows for a busy machine).
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 800000000\r\n\r\n"
        )
        answer = b""
        while b"</html>" not in answer and (chunk := connection.recv(65536)):
            answer += chunk
    answer = answer.decode()
    assert answer.startswith("HTTP/1.1 413")
    assert "Too much sent at once" in answer


def test_the_access_log_names_paths_without_their_query_or_referrer(web_server):
    """A search's words and a filter's names stay out of the server's log."""
    page = urllib.request.Request(
        f"{web_server}/accounts/login/?next=/search/%3Fq%3DJamie-Fotheringham",
        headers={"Referer": f"{web_server}/search/?q=Alex-Brontë"},
    )
    with urllib.request.urlopen(page, timeout=30) as response:
        assert response.status == 200
    deadline = time.monotonic() + 10
    while "/accounts/login/" not in web_server.log.read_text():
        assert time.monotonic() < deadline, web_server.log.read_text()
        time.sleep(0.2)
    log = web_server.log.read_text()
    assert '"GET /accounts/login/ HTTP/1.1" 200' in log
    assert "Fotheringham" not in log and "Bront" not in log
