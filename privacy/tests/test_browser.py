"""The principal approves the anonymisation of a record past retention and logs a
subject-access request, in the browser."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import browser_log_in, browser_nav
from incidents.models import Incident, PupilInvolved
from incidents.tests.factories import IncidentFactory
from overstone.models import ANONYMISED_TEXT
from overstone.roles import Role
from overstone.tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_principal_approves_anonymisation_and_logs_a_request(page: Page, live_server):
    UserFactory(username="principal", roles=[Role.PRINCIPAL])
    old = IncidentFactory(
        description="Robin Example was bullied online.",
        status=Incident.Status.CLOSED,
        closed_at=timezone.now() - timedelta(days=365 * 26),
    )
    PupilInvolved.objects.create(incident=old, name="Robin Example", year_group="8")
    recent = IncidentFactory(description="Robin Example again, last week.")

    browser_log_in(page, "principal", url=live_server.url)
    browser_nav(page, "Administration", "Data protection")
    table = page.get_by_test_id("past-retention")
    expect(table).to_contain_text(old.reference)
    expect(table).not_to_contain_text(recent.reference)
    page.get_by_label(f"Approve anonymising {old.reference}").check()
    page.get_by_role("button", name="Anonymise the ticked records").click()
    expect(page.get_by_text("Confirm that you approve")).to_be_visible()
    assert Incident.objects.get(pk=old.pk).description.startswith("Robin")

    page.get_by_label(f"Approve anonymising {old.reference}").check()
    page.get_by_label("I approve the anonymisation").check()
    page.get_by_role("button", name="Anonymise the ticked records").click()
    expect(page.get_by_text(f"Anonymised: {old.reference}")).to_be_visible()
    expect(page.get_by_text("No record is past its retention period")).to_be_visible()
    assert Incident.objects.get(pk=old.pk).description == ANONYMISED_TEXT

    page.get_by_role("link", name="Subject-access requests").click()
    page.get_by_role("link", name="Log a request").click()
    page.get_by_label("The person's name").fill("Robin Example")
    page.get_by_label("Request received on").fill("2026-11-02")
    page.get_by_role("button", name="Log the request").click()
    expect(page.get_by_test_id("sar-due")).to_contain_text("2 December 2026")
    mentions = page.get_by_test_id("sar-mentions")
    expect(mentions).to_contain_text(recent.reference)
    expect(mentions).not_to_contain_text(old.reference)  # anonymised: no longer names them
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the records (CSV)").click()
    assert download.value.suggested_filename.startswith("SAR-")
