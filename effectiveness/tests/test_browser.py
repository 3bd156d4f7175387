"""The coordinator completes the annual e-safety audit and the policy register's review
date moves on: real browser."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import browser_log_in
from effectiveness.tests.factories import ChecklistItemFactory
from overstone.roles import Role
from overstone.tests.factories import UserFactory
from reporting.tests.factories import PolicyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_completes_the_audit_and_the_review_date_moves(page: Page, live_server):
    coordinator = UserFactory(username="coordinator", roles=[Role.COORDINATOR])
    policy = PolicyFactory(
        title="Parent & Community Use of Social Media Policy",
        owner=coordinator,
        review_due=date(2025, 8, 31),
        review_every_months=12,
    )
    ChecklistItemFactory(text="Filtering is reviewed annually", position=1)
    ChecklistItemFactory(text="Pupils are taught e-safety in every year", position=2)
    register_url = f"{live_server.url}/reporting/policies/{policy.pk}/"

    browser_log_in(page, "coordinator", url=f"{live_server.url}/accounts/login/")
    page.goto(register_url)
    expect(page.get_by_test_id("review-due")).to_have_text("31 August 2025")

    page.goto(f"{live_server.url}/effectiveness/")
    page.get_by_role("link", name="New annual e-safety audit").click()
    expect(page.get_by_label("Noted against")).to_have_value(str(policy.pk))
    page.get_by_role("button", name="Save").click()

    page.get_by_label("Outcome (line 1)").select_option("Met")
    page.get_by_label("Evidence (line 1)").fill("Provider's report of July")
    page.get_by_label("Outcome (line 2)").select_option("Partly met")
    page.get_by_label("Action (line 2)").fill("Add e-safety to the Year 11 PSHE plan")
    page.get_by_role("button", name="Save the checklist").click()
    expect(page.get_by_test_id("audit-items")).to_contain_text("Partly met")

    page.get_by_role("button", name="Complete the check").click()
    expect(page.get_by_test_id("check-status")).to_have_text("Completed")

    page.goto(register_url)
    moved = timezone.localdate() + relativedelta(months=12)
    expect(page.get_by_test_id("review-due")).to_have_text(f"{moved.day} {moved:%B %Y}")
