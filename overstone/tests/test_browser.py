"""Each demo user logs in through the real browser and sees their own home page."""

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import browser_log_in, browser_nav
from overstone.management.commands.seed_demo import DEMO_PEOPLE, demo_people
from overstone.roles import Role

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIRST_WORK_ITEM = {
    Role.PRINCIPAL: "Dashboard",
    Role.SLT: "Dashboard",
    Role.COORDINATOR: "Training programme",
    Role.STAFF: "Report an online allegation",
    Role.GOVERNOR: "Working party",
    Role.CHAIR_OF_GOVERNORS: "Escalated complaints",
    Role.PARENT: "Social-media awareness training",
}


@pytest.fixture
def demo_users(transactional_db):
    demo_people("browser-demo-pw")


def test_every_demo_user_logs_in_and_sees_their_home(page: Page, live_server, demo_users):
    for role in DEMO_PEOPLE:  # a school's roles (the trust's: test_browser_pages.py)
        browser_log_in(page, role.value, "browser-demo-pw", url=f"{live_server.url}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
        expect(page.get_by_role("main")).to_contain_text(role.label)
        expect(page.get_by_test_id("work")).to_contain_text(FIRST_WORK_ITEM[role])
        # Bootstrap is served locally: the navbar is laid out as a flex row.
        navbar = page.locator("nav.navbar")
        assert navbar.evaluate("el => getComputedStyle(el).display") == "flex"

        page.locator("#account-menu").click()
        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("heading", name="Log in to Overstone")).to_be_visible()


def test_wrong_password_is_told_on_the_form(page: Page, live_server, demo_users):
    browser_log_in(page, "parent", "not-the-password", url=f"{live_server.url}/")
    expect(page.locator(".alert-danger")).to_contain_text("correct username and password")


def test_the_navigation_fits_at_1280_px_for_every_role(page: Page, live_server, demo_users):
    page.set_viewport_size({"width": 1280, "height": 800})
    for role in DEMO_PEOPLE:
        browser_log_in(page, role.value, "browser-demo-pw", url=f"{live_server.url}/")
        navbar = page.locator("nav.navbar")
        overflow = navbar.evaluate(
            # A visually-hidden label is clipped to 1 px on purpose (read by screen readers).
            "nav => [...nav.querySelectorAll('*:not(.visually-hidden)')]"
            ".some(el => el.scrollWidth > el.clientWidth + 1)"
            " || nav.scrollWidth > document.documentElement.clientWidth"
        )
        assert not overflow, role
        # One row: no label wraps, nothing falls onto a second line.
        assert navbar.bounding_box()["height"] < 70, role
        account = page.locator("#account-menu")
        expect(account).to_be_visible()
        box = account.bounding_box()
        assert box["x"] + box["width"] <= 1280, role
        expect(page.get_by_role("link", name="Your work")).to_have_attribute("aria-current", "page")

        account.click()
        page.get_by_role("button", name="Log out").click()


def test_the_navigation_collapses_on_a_phone_and_shows_the_current_section(
    page: Page, live_server, demo_users
):
    page.set_viewport_size({"width": 375, "height": 740})
    browser_log_in(page, "principal", "browser-demo-pw", url=f"{live_server.url}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.locator("#account-menu")).to_be_hidden()
    page.get_by_role("button", name="Show navigation").click()
    browser_nav(page, "Governance", "Policy register")
    page.get_by_role("button", name="Show navigation").click()
    expect(page.get_by_role("button", name="Governance")).to_have_class(re.compile(r"\bactive\b"))
    expect(page.get_by_role("button", name="Complaints")).not_to_have_class(
        re.compile(r"\bactive\b")
    )
