"""In the real browser: the principal sets up two-factor authentication from the QR
page, logs in again with a code, and no page breaks the Content-Security-Policy."""

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from playwright.sync_api import Page, expect

from conftest import browser_log_in
from incidents.tests.factories import IncidentFactory
from overstone.roles import Role
from overstone.tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_principal_sets_up_two_factor_and_pages_keep_to_the_csp(page: Page, live_server, settings):
    settings.OVERSTONE_REQUIRE_2FA = True
    UserFactory(username="principal", roles=[Role.PRINCIPAL])
    incident = IncidentFactory(category="gambling")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{live_server.url}/incidents/")
    page.get_by_label("Username").fill("principal")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".alert-danger")).to_contain_text("correct username and password")

    browser_log_in(page, "principal")  # the QR page, the app set up, the backup codes
    expect(page.get_by_role("heading", level=1)).to_contain_text("e-Safety incidents")
    assert StaticToken.objects.filter(device__user__username="principal").count() == 10

    for path, heading in [
        ("/", "Welcome"),
        ("/accounts/two-factor/backup-codes/", "Backup codes"),
        ("/reporting/dashboard/", "Dashboard"),  # with its SVG chart
        (incident.get_absolute_url(), incident.reference),
        ("/audit/", "Audit log"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    expect(page.get_by_test_id("audit-log")).to_be_visible()

    page.locator("#account-menu").click()  # Bootstrap's script runs under the CSP
    page.get_by_role("button", name="Log out").click()
    browser_log_in(page, "principal", url=f"{live_server.url}/")  # now asks for a code
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    assert violations == []


def test_the_set_up_page_shows_a_qr_code_and_the_link(page: Page, live_server, settings):
    settings.OVERSTONE_REQUIRE_2FA = True
    UserFactory(username="chair", roles=[Role.CHAIR_OF_GOVERNORS])
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("chair")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Set up two-factor")
    qr = page.get_by_test_id("totp-qr").locator("svg")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] > 100
    expect(page.get_by_test_id("otpauth-uri")).to_contain_text("otpauth://totp/Overstone")
    page.goto(f"{live_server.url}/training/working-party/")  # nothing else opens
    expect(page.get_by_role("heading", level=1)).to_contain_text("Set up two-factor")
