"""The coordinator logs an incident with a screenshot and reports it; the principal
opens it from the e-mail link."""

import hashlib
import re

import pytest
from playwright.sync_api import Page, expect

from conftest import browser_log_in, browser_nav
from overstone.roles import Role
from overstone.samples import PNG
from overstone.tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_coordinator_logs_and_reports_principal_opens_from_email(page: Page, live_server, worker):
    UserFactory(username="coordinator", roles=[Role.COORDINATOR])
    UserFactory(username="principal", roles=[Role.PRINCIPAL], email="head@school.example")

    page.goto(live_server.url)
    browser_log_in(page, "coordinator")
    browser_nav(page, "Safeguarding records", "e-Safety incidents")
    expect(page.get_by_text("No incidents logged yet")).to_be_visible()
    page.get_by_role("link", name="Log an incident").click()

    page.get_by_label("Category").select_option("gambling")
    page.get_by_label("Severity").select_option("high")
    page.get_by_label("Where", exact=False).first.select_option("school_device")
    page.get_by_label("Description").fill("Pupil opened a betting site in ICT.")
    page.locator("#id_pupils-0-name").fill("Jo Smith")
    page.locator("#id_pupils-0-year_group").select_option("9")
    page.locator("#id_evidence-files").set_input_files(
        files=[{"name": "screenshot.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status").first).to_contain_text("logged")
    expect(page.get_by_test_id("sha256")).to_have_text(hashlib.sha256(PNG).hexdigest())
    reference = page.get_by_role("heading", level=1).inner_text().split()[0]
    assert re.fullmatch(r"INC-\d{4}-\d{4}", reference)

    page.get_by_role("button", name="Report to the principal").click()
    expect(page.get_by_test_id("status")).to_have_text("Reported to the principal")
    expect(page.get_by_test_id("chronology")).to_contain_text("Reported to the principal")

    mails = worker.wait_for_mails(2)  # a high incident: the principal's alert and the report
    assert any("New e-Safety incident" in mail["Subject"] for mail in mails)
    [mail] = [mail for mail in mails if "reported to you" in mail["Subject"]]
    link = re.search(r"https?://\S+(/incidents/\S+/)", mail.get_content()).group(1)
    assert link == f"/incidents/{reference}/"

    page.locator("#account-menu").click()
    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + link)
    browser_log_in(page, "principal")
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.get_by_test_id("evidence")).to_contain_text("screenshot.png")


def test_staff_involved_are_found_by_typing_a_name(page: Page, live_server):
    """The multi-select is a searchable list (Tom Select from our static files, allowed by
    the Content-Security-Policy): typing part of a name offers the person, and they are
    saved with the incident."""
    UserFactory(username="coordinator", roles=[Role.COORDINATOR])
    UserFactory(username="teacher", first_name="Alex", last_name="Morgan", roles=[Role.STAFF])
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto(live_server.url)
    browser_log_in(page, "coordinator")
    page.goto(f"{live_server.url}/incidents/new/")
    expect(page.get_by_text("Hold Ctrl")).to_have_count(0)
    page.get_by_role("combobox", name="Staff involved").fill("morg")
    page.get_by_role("listbox", name="Staff involved").get_by_role(
        "option", name="Alex Morgan"
    ).click()
    page.get_by_label("Category").select_option("gambling")
    page.get_by_label("Severity").select_option("high")
    page.get_by_label("Where", exact=False).first.select_option("school_device")
    page.get_by_label("Description").fill("Pupil opened a betting site in ICT.")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status").first).to_contain_text("logged")
    expect(page.locator("main")).to_contain_text("Alex Morgan")
    assert errors == []
