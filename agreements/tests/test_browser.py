"""A parent signs the Home-School Agreement for two children; the coordinator's register
shows both signed: real browser."""

import pytest
from playwright.sync_api import Page, expect

from agreements.tests.factories import agreement_for
from conftest import browser_log_in
from overstone.roles import Role
from overstone.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_signs_for_two_children_and_the_register_updates(page: Page, live_server):
    agreement = agreement_for(agreement__title="Home-School Agreement")
    UserFactory(username="mum", roles=[Role.PARENT], first_name="Ann", last_name="Lee")
    UserFactory(username="other-parent", roles=[Role.PARENT])
    UserFactory(username="coordinator", roles=[Role.COORDINATOR])
    register_url = f"{live_server.url}/agreements/register/{agreement.pk}/"

    browser_log_in(page, "coordinator", url=f"{live_server.url}/accounts/login/")
    page.goto(register_url)
    expect(page.get_by_test_id("signed-total")).to_have_text("0 of 2 signed")
    page.locator("#account-menu").click()
    page.get_by_role("button", name="Log out").click()

    browser_log_in(page, "mum", url=f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/agreements/")
    page.get_by_role("link", name="Read and sign").click()
    expect(page.get_by_test_id("agreement-text")).to_contain_text("derogatory or malicious")
    page.get_by_label("Child's full name").fill("Amy Lee")
    page.get_by_label("Year group").select_option("Year 8")
    page.get_by_label("Type your full name to sign").fill("Ann Lee")
    page.get_by_label("I have read this agreement and I agree to it").check()
    page.get_by_role("button", name="Sign").click()
    expect(page.get_by_role("status").first).to_contain_text("signed for Amy Lee")

    page.get_by_role("link", name="Sign for another child").click()
    page.get_by_label("Child's full name").fill("Ben Lee")
    page.get_by_label("Year group").select_option("Year 11")
    page.get_by_label("Type your full name to sign").fill("Ann Lee")
    page.get_by_label("I have read this agreement and I agree to it").check()
    page.get_by_role("button", name="Sign").click()
    expect(page.get_by_role("status").first).to_contain_text("signed for Ben Lee")
    expect(page.get_by_test_id("signed")).to_contain_text("Amy Lee")
    page.locator("#account-menu").click()
    page.get_by_role("button", name="Log out").click()

    browser_log_in(page, "coordinator", url=f"{live_server.url}/accounts/login/")
    page.goto(register_url)
    # Two children of one parent, and one parent who has named no child yet.
    expect(page.get_by_test_id("signed-total")).to_have_text("2 of 3 signed")
    rows = page.get_by_test_id("person-row")
    expect(rows.filter(has_text="Amy Lee")).to_contain_text("Signed")
    expect(rows.filter(has_text="Ben Lee")).to_contain_text("Year 11")
