"""The principal walks a complaint to the governors' meeting; the chair sees it, a parent not."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from complaints.models import About
from complaints.tests.factories import ComplaintFactory, complaint_at
from overstone.roles import Role
from overstone.samples import PNG
from overstone.tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def log_out(page: Page) -> None:
    page.locator("#account-menu").click()
    page.get_by_role("button", name="Log out").click()


def step(page: Page, stage: str, fields: dict[str, str], button: str) -> None:
    box = page.get_by_test_id(f"next-{stage}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    for label, value in fields.items():
        box.get_by_label(label, exact=False).first.fill(value)
    box.get_by_role("button", name=button).click()
    expect(page.locator(".alert-success")).to_contain_text("moved to")


def test_principal_escalates_a_complaint_to_the_chair(page: Page, live_server):
    UserFactory(username="head", roles=[Role.PRINCIPAL])
    UserFactory(username="chair", roles=[Role.CHAIR_OF_GOVERNORS])
    UserFactory(username="mum", roles=[Role.PARENT])
    complaint = ComplaintFactory(about=About.STAFF)
    complaint.staff_about.set([UserFactory(username="mrb", roles=[Role.STAFF])])
    yesterday = timezone.localtime() - timedelta(days=1)
    when = yesterday.strftime("%Y-%m-%dT10:00")

    log_in(page, live_server.url, "head")
    page.get_by_role("link", name="Online complaints").first.click()
    page.get_by_role("link", name=complaint.reference).click()
    expect(page.get_by_test_id("stage")).to_contain_text("Reported")

    step(
        page,
        "staff_supported",
        {"How the staff member was supported": "Met Mr B; he is reassured."},
        "Move to “School personnel supported and reassured”",
    )
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("link", name="Add evidence").click()
    page.get_by_label("Evidence files").set_input_files(
        {"name": "post.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("1 evidence file(s) added")
    step(
        page,
        "evidence_gathered",
        {"What was established": "Screenshot of the post."},
        "Move to “Evidence gathered”",
    )
    step(
        page,
        "parents_meeting",
        {"When": when, "Who attended": "Principal, both parents", "Outcome": "Asked to remove"},
        "Move to “Met the parents”",
    )
    step(
        page,
        "removal_requested",
        {"Asked when": when, "Platform report reference": "FB-991"},
        "Move to “Removal requested”",
    )

    page.get_by_role("button", name="More actions").click()
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Letter: Warning that further posts").click()
    letter = popup.value
    expect(letter.locator("body")).to_contain_text("could lead to legal action")
    expect(letter.locator("body")).to_contain_text(complaint.reference)
    letter.close()

    step(
        page,
        "legal_warning_given",
        {"Warning given on": yesterday.strftime("%Y-%m-%d"), "How the parents": "By letter."},
        "Move to “Legal-action warning given”",
    )
    step(
        page,
        "governors_meeting",
        {"When": when, "Who attended": "Chair, principal, parents", "Outcome": "Mediation"},
        "Move to “Met with the chair of governors”",
    )
    expect(page.get_by_test_id("stage")).to_contain_text("Met with the chair of governors")
    chronology = page.get_by_test_id("chronology")
    expect(chronology).to_contain_text("Letter produced")
    expect(chronology).to_contain_text("Removal requested → Legal-action warning given")
    log_out(page)

    log_in(page, live_server.url, "chair")
    page.get_by_role("link", name="Escalated complaints").first.click()
    page.get_by_role("link", name=complaint.reference).click()
    expect(page.get_by_test_id("stage")).to_contain_text("Met with the chair of governors")
    log_out(page)

    log_in(page, live_server.url, "mum")
    expect(page.get_by_test_id("work")).not_to_contain_text("Escalated complaints")
    expect(page.get_by_test_id("work")).not_to_contain_text("Online complaints")
    response = page.goto(f"{live_server.url}{complaint.get_absolute_url()}")
    assert response.status == 403
    expect(page.locator("body")).not_to_contain_text("Mr B")


def test_the_chair_can_prepare_once_the_principal_arranges_their_meeting(page: Page, live_server):
    UserFactory(username="head", roles=[Role.PRINCIPAL])
    UserFactory(username="chair", roles=[Role.CHAIR_OF_GOVERNORS])
    complaint = complaint_at("legal_warning_given")

    log_in(page, live_server.url, "chair")
    page.get_by_role("link", name="Escalated complaints").first.click()
    expect(page.locator("main")).not_to_contain_text(complaint.reference)
    log_out(page)

    log_in(page, live_server.url, "head")
    page.goto(f"{live_server.url}{complaint.get_absolute_url()}")
    page.get_by_role("link", name="Arrange the meeting with the chair of governors").click()
    next_week = timezone.localtime() + timedelta(days=7)
    page.get_by_label("Proposed for").fill(next_week.strftime("%Y-%m-%dT18:00"))
    page.get_by_label("Note", exact=True).fill("In the library; both parents invited.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("chair of governors can now read")
    expect(page.get_by_test_id("chronology")).to_contain_text("In the library")
    log_out(page)

    log_in(page, live_server.url, "chair")
    page.get_by_role("link", name="Escalated complaints").first.click()
    page.get_by_role("link", name=complaint.reference).click()
    expect(page.get_by_test_id("stage")).to_contain_text("Legal-action warning given")


def test_the_principal_downloads_a_letters_pdf_and_prints_it(page: Page, live_server):
    """The letter page's buttons work under the Content-Security-Policy: its PDF comes
    from the "Download PDF" button, and Print calls the browser's print (stubbed here to
    count the calls), with no script refused on the way."""
    UserFactory(username="head", roles=[Role.PRINCIPAL])
    complaint = complaint_at("removal_requested")
    errors: list[str] = []
    page.context.on(
        "console", lambda message: message.type == "error" and errors.append(message.text)
    )
    page.context.add_init_script(
        "window.print = () => { window.printed = (window.printed || 0) + 1; };"
    )

    log_in(page, live_server.url, "head")
    page.goto(f"{live_server.url}{complaint.get_absolute_url()}")
    page.get_by_role("button", name="More actions").click()
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Letter: Warning that further posts").click()
    letter = popup.value
    expect(letter.locator("body")).to_contain_text("could lead to legal action")

    with letter.expect_download() as download:
        letter.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename == f"{complaint.reference}-legal_warning.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    letter.get_by_role("button", name="Print").click()
    assert letter.evaluate("window.printed") == 1
    assert errors == []
    assert list(complaint.events.filter(kind="letter").values_list("summary", flat=True)) == [
        "Warning that further posts could lead to legal action (HTML)",
        "Warning that further posts could lead to legal action (PDF)",
    ]
