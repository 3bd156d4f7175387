"""Surveys and School Council meetings are kept per school; a pupil answering with a
class code, without an account, answers the survey of the code's school."""

import pytest
from django.urls import reverse
from django_scopes import ScopeError, scope

from overstone.roles import Role
from overstone.tests.factories import person_at
from surveys.models import Answer, ClassCode, CouncilMeeting, Survey
from surveys.tests.factories import (
    ClassCodeFactory,
    CouncilPointFactory,
    QuestionFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db


def test_surveys_and_meetings_are_listed_opened_and_changed_in_their_school_only(client, schools):
    one, two = schools
    ours = SurveyFactory(school=one, title="Survey of One")
    theirs = SurveyFactory(school=two, title="Survey of Two")
    their_point = CouncilPointFactory(meeting__school=two, raised="Unkind group chats")
    client.force_login(person_at(Role.PRINCIPAL, one))
    listed = client.get(reverse("surveys:list")).text
    assert "Survey of One" in listed and "Survey of Two" not in listed
    assert client.get(reverse("surveys:detail", args=[ours.pk])).status_code == 200
    for name in ("detail", "results", "export"):
        assert client.get(reverse(f"surveys:{name}", args=[theirs.pk])).status_code == 404
    question = {"text": "Anything else?", "kind": "text", "required": "on"}
    url = reverse("surveys:question_add", args=[theirs.pk])
    assert client.post(url, question).status_code == 404
    assert not theirs.questions.exists()
    assert "Unkind" not in client.get(reverse("surveys:council_list")).text
    meeting_url = reverse("surveys:council_detail", args=[their_point.meeting.pk])
    assert client.get(meeting_url).status_code == 404
    respond_url = reverse("surveys:council_respond", args=[their_point.pk])
    assert client.post(respond_url, {"school_response": "Done"}).status_code == 404
    their_point.refresh_from_db()
    assert their_point.school_response == ""


def test_a_survey_and_a_meeting_recorded_belong_to_the_school(client, schools):
    _, two = schools
    client.force_login(person_at(Role.PRINCIPAL, two))
    client.post(
        reverse("surveys:create"),
        {
            "title": "Online safety at home",
            "audiences": ["parents"],
            "opens_on": "2026-01-05",
            "closes_on": "2026-01-30",
            "anonymous": "True",
        },
    )
    client.post(reverse("surveys:council_create"), {"held_on": "2026-01-05"})
    assert Survey.objects.get(title="Online safety at home").school == two
    assert CouncilMeeting.objects.get().school == two


def test_a_parent_is_asked_the_surveys_of_their_school_only(client, schools):
    one, two = schools
    SurveyFactory(school=one, title="Survey of One")
    SurveyFactory(school=two, title="Survey of Two")
    client.force_login(person_at(Role.PARENT, two))
    mine = client.get(reverse("surveys:mine")).text
    assert "Survey of Two" in mine and "Survey of One" not in mine


def test_a_pupil_answers_the_survey_of_the_codes_school_without_an_account(client, schools):
    _, two = schools  # the first school is the one a visitor without an account is in
    code = ClassCodeFactory(survey__school=two, group="9T", places=20)
    QuestionFactory(survey=code.survey, text="Do you know who to tell?")
    question = code.survey.questions.get()
    entry = client.post(reverse("surveys:code_entry"), {"code": code.code})
    answer_url = reverse("surveys:class_answer", args=[code.code])
    assert entry["Location"] == answer_url
    assert "Do you know who to tell?" in client.get(answer_url).text
    done = client.post(answer_url, {f"q{question.pk}": "Yes"}, follow=True)
    assert "Your answers are saved" in done.text
    assert list(Answer.objects.values_list("response__survey", "choice")) == [
        (code.survey.pk, "Yes")
    ]
    assert ClassCode.objects.get().used == 1


def test_surveys_are_not_read_outside_a_schools_scope(schools):
    SurveyFactory(school=schools[0])
    with scope(), pytest.raises(ScopeError):
        Survey.objects.count()
    with scope(), pytest.raises(ScopeError):
        ClassCode.objects.count()
