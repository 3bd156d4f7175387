"""The principal starts the annual report, watches it finish and writes its development
section; a governor downloads the PDF, which holds the monitored-count table and that
section."""

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from conftest import browser_log_in, browser_nav
from incidents.tests.factories import IncidentFactory
from overstone.roles import Role
from overstone.schoolyear import school_year_label, school_year_of
from overstone.tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_principal_generates_governor_downloads(page: Page, live_server, worker, tmp_path):
    UserFactory(username="principal", roles=[Role.PRINCIPAL])
    UserFactory(username="governor", roles=[Role.GOVERNOR])
    IncidentFactory.create_batch(6, category="racist_homophobic")
    year = school_year_label(school_year_of())

    browser_log_in(page, "principal", url=live_server.url)
    browser_nav(page, "Governance", "Annual report")
    expect(page.get_by_text("No annual report yet")).to_be_visible()
    page.get_by_label("School year").select_option(label=year)
    page.get_by_role("button", name="Generate report").click()

    expect(page.get_by_role("progressbar")).to_be_visible()
    expect(page.get_by_test_id("report-status")).to_contain_text("Ready", timeout=60_000)
    expect(page.locator("#monitored-counts")).to_contain_text("Racist or homophobic comment")
    page.get_by_role("link", name="Write the development section").click()
    page.get_by_label("Development of the policy").fill("A **parents' forum** each term.")
    page.get_by_role("button", name="Save and remake the PDF").click()
    expect(page.locator("#development strong")).to_have_text("parents' forum")

    page.locator("#account-menu").click()
    page.get_by_role("button", name="Log out").click()
    browser_log_in(page, "governor", url=live_server.url)
    browser_nav(page, "Governance", "Annual report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Monitored online conduct" in text
    assert "Racist or homophobic comment" in text
    assert f"school year {year}" in text
    assert "parents' forum each term" in text  # the principal's development section
