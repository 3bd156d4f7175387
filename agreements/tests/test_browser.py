"""A parent signs the Home-School Agreement for their two children on the pupil records;
the coordinator's register shows both signed: real browser."""

import pytest
from playwright.sync_api import Page, expect

from agreements.tests.factories import agreement_for
from conftest import browser_log_in
from overstone.roles import Role
from overstone.tests.factories import UserFactory
from pupils.tests.factories import PupilFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_signs_for_two_children_and_the_register_updates(page: Page, live_server):
    agreement = agreement_for(agreement__title="Home-School Agreement")
    mum = UserFactory(username="mum", roles=[Role.PARENT], first_name="Ann", last_name="Lee")
    # As the demo parent's: two children on the pupil records.
    for number, first_name, year_group, form in (
        ("D07000", "Amy", "7", "7A"),
        ("D10000", "Ben", "10", "10C"),
    ):
        pupil = PupilFactory(number=number, first_name=first_name, last_name="Lee",
                             year_group=year_group, form=form)  # fmt: skip
        pupil.parents.add(mum)
    UserFactory(username="other-parent", roles=[Role.PARENT])
    UserFactory(username="coordinator", roles=[Role.COORDINATOR])
    register_url = f"{live_server.url}/agreements/register/{agreement.pk}/"

    browser_log_in(page, "coordinator", url=f"{live_server.url}/accounts/login/")
    page.goto(register_url)
    # Amy and Ben, and a parent with no child on record.
    expect(page.get_by_test_id("signed-total")).to_have_text("0 of 3 signed")
    page.locator("#account-menu").click()
    page.get_by_role("button", name="Log out").click()

    browser_log_in(page, "mum", url=f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/agreements/")
    page.get_by_role("link", name="Read and sign").click()
    expect(page.get_by_test_id("agreement-text")).to_contain_text("derogatory or malicious")
    expect(page.get_by_label("Child's full name")).to_have_count(0)
    page.get_by_label("Amy Lee (Year 7)").check()
    page.get_by_label("Type your full name to sign").fill("Ann Lee")
    page.get_by_label("I have read this agreement and I agree to it").check()
    page.get_by_role("button", name="Sign").click()
    expect(page.get_by_role("status").first).to_contain_text("signed for Amy Lee")

    expect(page.get_by_test_id("agreement-card")).to_contain_text("Not yet signed for Ben Lee")
    page.get_by_role("link", name="Read and sign").click()
    expect(page.get_by_label("Amy Lee (Year 7)")).to_have_count(0)
    page.get_by_label("Ben Lee (Year 10)").check()
    page.get_by_label("Type your full name to sign").fill("Ann Lee")
    page.get_by_label("I have read this agreement and I agree to it").check()
    page.get_by_role("button", name="Sign").click()
    expect(page.get_by_role("status").first).to_contain_text("signed for Ben Lee")
    expect(page.get_by_test_id("signed")).to_contain_text("Amy Lee")
    page.locator("#account-menu").click()
    page.get_by_role("button", name="Log out").click()

    browser_log_in(page, "coordinator", url=f"{live_server.url}/accounts/login/")
    page.goto(register_url)
    expect(page.get_by_test_id("signed-total")).to_have_text("2 of 3 signed")
    rows = page.get_by_test_id("person-row")
    expect(rows.filter(has_text="Amy Lee")).to_contain_text("Signed")
    expect(rows.filter(has_text="Ben Lee")).to_contain_text("10C")
    expect(page.get_by_test_id("counts")).to_contain_text("Year 10")
