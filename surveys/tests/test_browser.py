"""A parent answers a survey; the principal sees the chart: real browser."""

import pytest
from playwright.sync_api import Page, expect

from conftest import browser_log_in
from overstone.roles import Role
from overstone.tests.factories import UserFactory
from surveys import services
from surveys.tests.factories import survey_with_questions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_answers_a_survey_and_the_principal_sees_the_chart(page: Page, live_server):
    survey = survey_with_questions(title="Social media at home")
    questions = {q.position: q for q in survey.questions.all()}
    # Four parents answered before: one more makes five, enough to draw the chart.
    for _ in range(4):
        services.response_submit(
            survey=survey,
            answers={questions[1]: ["No"], questions[2]: ["TikTok"], questions[3]: ["2"],
                     questions[4]: ""},
            actor=UserFactory(roles=[Role.PARENT]),
        )  # fmt: skip
    UserFactory(username="mum", roles=[Role.PARENT])
    UserFactory(username="principal", roles=[Role.PRINCIPAL])
    results_url = f"{live_server.url}/surveys/manage/{survey.pk}/results/"

    browser_log_in(page, "mum", url=f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/surveys/")
    page.get_by_role("link", name="Answer").click()
    expect(page.get_by_test_id("anonymity")).to_contain_text("This survey is anonymous")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Snapchat").check()
    page.get_by_label("5", exact=True).check()
    page.get_by_label("Anything else?").fill("More evenings, please")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("status").first).to_contain_text("your answers")
    expect(page.get_by_test_id("surveys")).to_contain_text("Answered")
    page.locator("#account-menu").click()
    page.get_by_role("button", name="Log out").click()

    browser_log_in(page, "principal", url=f"{live_server.url}/accounts/login/")
    page.goto(results_url)
    expect(page.get_by_test_id("response-count")).to_contain_text("5 responses")
    first = page.get_by_test_id("question-result").first
    expect(first.locator("svg rect")).to_have_count(2)  # "No" (4) and "Yes" (1)
    expect(first.get_by_test_id("counts")).to_contain_text("Yes")
    expect(page.get_by_test_id("free-text")).to_have_count(0)  # one written answer of five
