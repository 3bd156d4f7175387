"""The pages: answering with an account or a class code, results, the annual report."""

import pytest
from django.urls import reverse

from overstone.roles import Role
from overstone.tests.factories import UserFactory
from reporting.snapshot import school_council, surveys_included
from surveys import services
from surveys.models import Answered, Response
from surveys.tests.factories import (
    ClassCodeFactory,
    CouncilPointFactory,
    QuestionFactory,
    survey_with_questions,
)

pytestmark = pytest.mark.django_db


def form_data(survey, come="Yes") -> dict:
    q = {question.position: question.pk for question in survey.questions.all()}
    return {f"q{q[1]}": come, f"q{q[2]}": ["TikTok", "WhatsApp"], f"q{q[3]}": "5",
            f"q{q[4]}": "More evenings"}  # fmt: skip


def test_a_parent_answers_from_the_surveys_page_and_cannot_answer_again(client):
    survey = survey_with_questions(title="Views on social media")
    parent = UserFactory(roles=[Role.PARENT])
    client.force_login(parent)
    page = client.get(reverse("surveys:mine"))
    assert "Views on social media" in page.text and "Anonymous" in page.text
    answer_url = reverse("surveys:answer", args=[survey.pk])
    assert "This survey is anonymous" in client.get(answer_url).text
    response = client.post(answer_url, form_data(survey), follow=True)
    assert "your answers to Views on social media are saved" in response.text
    assert Response.objects.get().answers.count() == 5
    again = client.post(answer_url, form_data(survey, come="No"), follow=True)
    assert "already answered" in again.text
    assert Response.objects.count() == 1


def test_a_named_survey_says_so_before_answering(client):
    survey = survey_with_questions(anonymous=False)
    client.force_login(UserFactory(roles=[Role.PARENT]))
    assert "This survey is named" in client.get(reverse("surveys:answer", args=[survey.pk])).text


def test_a_missing_answer_comes_back_with_what_was_typed(client):
    survey = survey_with_questions()
    client.force_login(UserFactory(roles=[Role.PARENT]))
    data = form_data(survey)
    del data[f"q{survey.questions.get(position=1).pk}"]
    page = client.post(reverse("surveys:answer", args=[survey.pk]), data)
    assert page.status_code == 200
    assert "More evenings" in page.text and "This field is required" in page.text
    assert not Answered.objects.exists()


def test_a_pupil_answers_with_the_class_code_once_per_browser_session(client):
    code = ClassCodeFactory(group="8D", places=30)
    QuestionFactory(survey=code.survey, text="Do you know who to tell?")
    question = code.survey.questions.get()
    entry = client.post(reverse("surveys:code_entry"), {"code": code.code.lower()})
    answer_url = reverse("surveys:class_answer", args=[code.code])
    assert entry["Location"] == answer_url
    assert "Do you know who to tell?" in client.get(answer_url).text
    done = client.post(answer_url, {f"q{question.pk}": "Yes"}, follow=True)
    assert "Your answers are saved" in done.text
    # The same browser again: thanked, nothing saved.
    client.post(answer_url, {f"q{question.pk}": "No"})
    assert list(code.survey.responses.values_list("group", flat=True)) == ["8D"]
    code.refresh_from_db()
    assert code.used == 1
    # Another browser (another session) is let in.
    client.cookies.clear()
    client.post(answer_url, {f"q{question.pk}": "No"})
    assert code.survey.responses.count() == 2


def test_a_wrong_class_code_says_so(client):
    page = client.post(reverse("surveys:code_entry"), {"code": "NOPE1234"})
    assert page.status_code == 200 and "That code is not right" in page.text


@pytest.mark.parametrize("code", ["ABCD\x00EFG", "ABCD%00EFG", "A" * 300, "abcd-efgh"])
def test_a_class_code_that_cannot_be_one_is_not_found(client, code):
    """A NUL byte in the URL failed the request on PostgreSQL (CI's database)."""
    ClassCodeFactory()
    assert client.get(f"/surveys/class/{code}/").status_code == 404
    assert client.post(reverse("surveys:code_entry"), {"code": code[:20]}).status_code == 200


def test_the_principal_sees_counts_and_includes_the_survey_in_the_report(client):
    survey = survey_with_questions()
    for _ in range(5):
        client.force_login(UserFactory(roles=[Role.PARENT]))
        client.post(reverse("surveys:answer", args=[survey.pk]), form_data(survey))
    client.force_login(UserFactory(roles=[Role.PRINCIPAL]))
    page = client.get(reverse("surveys:results", args=[survey.pk]))
    assert page.text.count('data-testid="chart"') == 3
    assert "More evenings" in page.text
    client.post(reverse("surveys:report_include", args=[survey.pk]), {"include": "on"})
    survey.refresh_from_db()
    assert survey.in_annual_report


def _year_of(day) -> int:
    return day.year if day.month >= 9 else day.year - 1


def test_the_annual_report_section_has_included_surveys_only_and_suppresses_small_ones():
    included = survey_with_questions(title="Included", in_annual_report=True)
    survey_with_questions(title="Left out")
    people = [UserFactory(roles=[Role.PARENT]) for _ in range(5)]
    for person in people[:4]:
        services.response_submit(survey=included, answers=_answers(included), actor=person)
    section = surveys_included(_year_of(included.closes_on))
    assert [s["title"] for s in section["surveys"]] == ["Included"]
    first = section["surveys"][0]["questions"][0]
    assert first["respondents"] == 4 and first["counts"] is None
    assert len(section["surveys"][0]["questions"]) == 3  # free text is not reported
    services.response_submit(survey=included, answers=_answers(included), actor=people[4])
    first = surveys_included(_year_of(included.closes_on))["surveys"][0]["questions"][0]
    assert first["counts"] == [("Yes", 5), ("Maybe", 0), ("No", 0)]


def _answers(survey):
    q = {question.position: question for question in survey.questions.all()}
    return {q[1]: ["Yes"], q[2]: ["TikTok"], q[3]: ["3"], q[4]: "A name: Jo Bloggs"}


def test_the_annual_report_lists_the_school_council_with_the_schools_response():
    point = CouncilPointFactory(school_response="Covered in PSHE the next week.")
    meetings = school_council(_year_of(point.meeting.held_on))
    assert meetings == [
        {
            "held_on": point.meeting.held_on.isoformat(),
            "points": [{"raised": point.raised, "response": "Covered in PSHE the next week."}],
        }
    ]
    assert school_council(_year_of(point.meeting.held_on) - 1) == []


def test_the_school_council_is_recorded_and_answered(client):
    client.force_login(UserFactory(roles=[Role.COORDINATOR]))
    created = client.post(
        reverse("surveys:council_create"),
        {"held_on": "2026-10-01", "attendance": "Years 7 to 11", "notes": ""},
        follow=True,
    )
    meeting_url = created.redirect_chain[-1][0]
    client.post(meeting_url, {"raised": "Unkind group chats", "school_response": ""})
    page = client.get(meeting_url)
    assert "Unkind group chats" in page.text and "No response yet" in page.text
    from surveys.models import CouncilPoint

    point = CouncilPoint.objects.get()
    client.post(reverse("surveys:council_respond", args=[point.pk]),
                {"school_response": "PSHE lesson on reporting"})  # fmt: skip
    assert "PSHE lesson on reporting" in client.get(meeting_url).text


def test_the_annual_report_shows_the_included_survey_and_the_council():
    from django.template.loader import render_to_string

    from reporting.services import build_report_context
    from reporting.snapshot import SECTIONS, snapshot_header

    survey = survey_with_questions(title="Included survey", in_annual_report=True)
    for _ in range(5):
        services.response_submit(
            survey=survey, answers=_answers(survey), actor=UserFactory(roles=[Role.PARENT])
        )
    point = CouncilPointFactory(raised="Unkind group chats", school_response="PSHE lesson")
    year = _year_of(survey.closes_on)
    snapshot = snapshot_header(year) | {key: build(year) for key, _, build in SECTIONS}
    html = render_to_string("reporting/_annual_report_body.html", build_report_context(snapshot))
    assert "Included survey" in html and "Would you come?" in html
    assert "Jo Bloggs" not in html  # free text stays out of the report
    assert "Unkind group chats" in html and "PSHE lesson" in html
    held_on = point.meeting.held_on
    assert f"Meeting of {held_on.day} {held_on:%B %Y}" in html  # as governors read a date


def test_surveys_and_council_meetings_are_listed_newest_first_a_page_at_a_time(client):
    import datetime as dt

    from surveys.tests.factories import CouncilMeetingFactory, SurveyFactory

    day = dt.date(2026, 1, 1)
    for n in range(26):
        SurveyFactory(title=f"Survey {n:02}", opens_on=day + dt.timedelta(days=n))
        CouncilMeetingFactory(held_on=day + dt.timedelta(days=n))
    client.force_login(UserFactory(roles=[Role.COORDINATOR]))
    surveys = client.get(reverse("surveys:list")).text
    assert surveys.count("Survey ") == 25 and "Page 1 of 2" in surveys
    assert surveys.index("Survey 25") < surveys.index("Survey 24")
    assert "Survey 00" in client.get(reverse("surveys:list"), {"page": 2}).text
    meetings = client.get(reverse("surveys:council_list")).text
    assert meetings.count("2026</a>") == 25 and "Page 1 of 2" in meetings
    assert meetings.index("26 January 2026") < meetings.index("25 January 2026")
    assert "1 January 2026" in client.get(reverse("surveys:council_list"), {"page": 2}).text
