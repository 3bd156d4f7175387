"""Every error page is the app's own, in its layout, in production and in the demo; a
refusal logs one line."""

import logging
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from conftest import ROOT
from overstone.middleware import database_unavailable_response
from overstone.roles import Role

pytestmark = pytest.mark.django_db

LAYOUT = 'aria-label="Main navigation"'


@pytest.fixture
def staff_client(client, user_with_role):
    client.force_login(user_with_role(Role.STAFF))
    return client


def assert_styled(response, status: int, heading: str):
    assert response.status_code == status
    page = response.content.decode()
    assert LAYOUT in page and heading in page
    assert "Traceback" not in page and "URLconf" not in page


@pytest.mark.parametrize("debug", [False, True])
def test_a_refused_page_is_styled_and_logged_in_one_line(staff_client, settings, caplog, debug):
    settings.DEBUG = debug
    with caplog.at_level(logging.INFO):
        response = staff_client.get(reverse("audit_log"))
    assert_styled(response, 403, "You cannot open this page")
    assert "Your work" in response.text  # the person's own navigation
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Forbidden: /audit/"
    assert record.exc_info is None


@pytest.mark.parametrize("debug", [False, True])
def test_a_get_to_a_post_only_action_is_styled(staff_client, settings, debug):
    settings.DEBUG = debug
    response = staff_client.get(reverse("logout"))
    assert_styled(response, 405, "This page cannot be opened that way")
    assert "POST" in response["Allow"]


def test_a_missing_page_is_styled(staff_client):
    assert_styled(staff_client.get("/no-such-page/"), 404, "Page not found")
    missing = reverse("incidents:detail", args=["INC-2020-9999"])
    assert_styled(staff_client.get(missing), 404, "Page not found")


@pytest.mark.urls("overstone.tests.urls_errors")
def test_a_bad_request_and_a_bug_are_styled(client, caplog):
    client.raise_request_exception = False
    response = client.get("/test-errors/400/")
    assert response.status_code == 400 and "could not understand that request" in response.text
    assert "navbar" in response.text
    response = client.get("/test-errors/500/")
    assert response.status_code == 500 and "Something went wrong" in response.text
    assert "navbar" in response.text
    # The bug's traceback is logged, once, for whoever looks after the server.
    [record] = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    assert record.getMessage() == "Internal Server Error: /test-errors/500/"


def test_the_unavailable_page_is_in_the_layout():
    response = database_unavailable_response()
    assert response.status_code == 503
    assert "navbar" in response.content.decode()
    assert "Overstone is briefly unavailable" in response.content.decode()


def demo_setting(name: str, **env: str) -> str:
    """A setting as the demo (nothing set) would have it, read in a fresh process."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OVERSTONE_D"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-startup", "-v", "0", "-c",
         f"from django.conf import settings; print(settings.{name})"],
        cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_demo_shows_the_styled_pages_and_a_developer_can_ask_for_debug_pages():
    assert demo_setting("DEBUG") == "False"
    assert demo_setting("DEMO") == "True"
    assert demo_setting("DEBUG", OVERSTONE_DEBUG_PAGES="true") == "True"


def test_each_log_line_is_printed_once_even_with_debug(settings):
    """Django's own console handler (active with DEBUG) printed every request line a
    second time beside the root's: a refusal showed twice."""
    settings.DEBUG = True
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "x", (), None)
    printers = []
    logger = logging.getLogger("django.request")
    while logger:
        printers += [h for h in logger.handlers if type(h) is logging.StreamHandler]
        printers = [h for h in printers if h.filter(record)]
        logger = logger.parent if logger.propagate else None
    assert len(printers) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_logs_no_broker_warnings(worker):
    """The filesystem broker's URL named no host: kombu warned at every connection."""
    log = worker.log()
    assert " ready." in log
    assert "No hostname was supplied" not in log
