"""One response per person, anonymity, class codes and small-group suppression."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from overstone.models import AuditLogEntry
from overstone.roles import Role
from overstone.tests.factories import UserFactory
from surveys import selectors, services
from surveys.models import Answered, Audience, Response
from surveys.services import SurveyRefused
from surveys.tests.factories import ClassCodeFactory, QuestionFactory, survey_with_questions

pytestmark = pytest.mark.django_db


def answers(survey, *, come="Yes", platforms=("TikTok",), scale="4", text=""):
    q = {question.position: question for question in survey.questions.all()}
    return {q[1]: [come], q[2]: list(platforms), q[3]: [scale], q[4]: text}


def parents(n: int):
    return [UserFactory(roles=[Role.PARENT]) for _ in range(n)]


def test_a_person_answers_once():
    survey = survey_with_questions()
    parent = UserFactory(roles=[Role.PARENT])
    services.response_submit(survey=survey, answers=answers(survey), actor=parent)
    with pytest.raises(SurveyRefused, match="already answered"):
        services.response_submit(survey=survey, answers=answers(survey), actor=parent)
    assert survey.responses.count() == 1
    # Another parent is not held back by the first.
    services.response_submit(survey=survey, answers=answers(survey), actor=parents(1)[0])
    assert survey.responses.count() == 2


def test_an_anonymous_response_keeps_no_account_but_a_named_one_does():
    anonymous, named = survey_with_questions(), survey_with_questions(anonymous=False)
    parent = UserFactory(roles=[Role.PARENT])
    a = services.response_submit(survey=anonymous, answers=answers(anonymous), actor=parent)
    n = services.response_submit(survey=named, answers=answers(named), actor=parent)
    assert a.respondent is None and n.respondent == parent
    assert Answered.objects.filter(person=parent).count() == 2
    # Nothing in the audit log ties the person to the anonymous survey's answers.
    assert not AuditLogEntry.objects.filter(user=parent).exists()


def test_only_those_addressed_may_answer_and_only_while_open():
    survey = survey_with_questions()
    with pytest.raises(SurveyRefused, match="not addressed to you"):
        services.response_submit(
            survey=survey, answers=answers(survey), actor=UserFactory(roles=[Role.STAFF])
        )
    parent = UserFactory(roles=[Role.PARENT])
    with pytest.raises(SurveyRefused, match="closed on"):
        services.response_submit(
            survey=survey, answers=answers(survey), actor=parent,
            today=survey.closes_on + dt.timedelta(days=1),
        )  # fmt: skip
    # The last day is still open.
    services.response_submit(
        survey=survey, answers=answers(survey), actor=parent, today=survey.closes_on
    )


def test_a_required_question_left_unanswered_saves_nothing():
    survey = survey_with_questions()
    parent = UserFactory(roles=[Role.PARENT])
    given = answers(survey)
    given[survey.questions.get(position=1)] = []
    with pytest.raises(SurveyRefused, match="Please answer: Would you come"):
        services.response_submit(survey=survey, answers=given, actor=parent)
    assert not Answered.objects.exists() and not Response.objects.exists()


def test_a_forged_choice_is_refused():
    survey = survey_with_questions()
    given = answers(survey, come="Not a choice")
    with pytest.raises(SurveyRefused, match="choose from the choices"):
        services.response_submit(
            survey=survey, answers=given, actor=UserFactory(roles=[Role.PARENT])
        )


def test_a_class_code_lets_in_as_many_as_the_class_has_places():
    code = ClassCodeFactory(places=2)
    QuestionFactory(survey=code.survey)
    question = code.survey.questions.get()
    for _ in range(2):
        services.response_submit_by_code(class_code=code, answers={question: ["Yes"]})
    with pytest.raises(SurveyRefused, match="Everyone in"):
        services.response_submit_by_code(class_code=code, answers={question: ["No"]})
    code.refresh_from_db()
    assert code.used == 2
    assert list(code.survey.responses.values_list("group", flat=True)) == [code.group] * 2


def _results_of(survey, who, count):
    for person in who[:count]:
        services.response_submit(survey=survey, answers=answers(survey), actor=person)
    return {r.question.position: r for r in selectors.survey_results(survey=survey)}


def test_four_respondents_are_not_broken_down_five_are():
    survey = survey_with_questions()
    people = parents(5)
    four = _results_of(survey, people, 4)
    assert four[1].overall.respondents == 4 and four[1].overall.counts is None
    assert four[1].chart == ""
    services.response_submit(survey=survey, answers=answers(survey), actor=people[4])
    five = {r.question.position: r for r in selectors.survey_results(survey=survey)}
    assert five[1].overall.counts == [("Yes", 5), ("Maybe", 0), ("No", 0)]
    assert "<svg" in five[1].chart


def _answered_by(survey, *groups):
    """Responses from (role, how many) groups; the survey's results by question."""
    for role, count in groups:
        for _ in range(count):
            person = UserFactory(roles=[role])
            services.response_submit(survey=survey, answers=answers(survey), actor=person)
    return selectors.survey_results(survey=survey)[0]


def test_a_small_group_is_not_broken_down_nor_the_group_that_would_give_it_away():
    survey = survey_with_questions(audiences=[Audience.PARENTS, Audience.STAFF])
    result = _answered_by(survey, (Role.PARENT, 5), (Role.STAFF, 4))
    groups = {group.group: group for group in result.groups}
    assert result.overall.counts[0] == ("Yes", 9)
    # Everyone (9) less the parents (5) would be the four members of staff's answers.
    assert groups[Audience.STAFF.label].counts is None
    assert groups[Audience.PARENTS.label].counts is None


def test_beside_a_small_group_the_smallest_other_is_hidden_and_the_rest_shown():
    audiences = [Audience.PARENTS, Audience.STAFF, Audience.GOVERNORS]
    survey = survey_with_questions(audiences=audiences)
    result = _answered_by(survey, (Role.PARENT, 6), (Role.STAFF, 1), (Role.GOVERNOR, 5))
    groups = {group.group: group for group in result.groups}
    assert groups[Audience.STAFF.label].suppressed
    assert groups[Audience.GOVERNORS.label].suppressed  # 1 + 5 hidden together
    assert groups[Audience.PARENTS.label].counts == [("Yes", 6), ("Maybe", 0), ("No", 0)]


@pytest.mark.parametrize(
    ("sizes", "hidden"),
    [
        ({"Parents": 5, "Staff": 5}, set()),
        ({"Parents": 5}, set()),
        ({"Parents": 4}, {"Parents"}),
        ({"Parents": 9, "Staff": 4}, {"Parents", "Staff"}),
        ({"Parents": 9, "Staff": 3, "Governors": 2}, {"Staff", "Governors"}),
        ({"Parents": 9, "Staff": 3, "Governors": 1}, {"Parents", "Staff", "Governors"}),
        ({"8A": 20, "8B": 6, "8C": 2, "8D": 3}, {"8C", "8D"}),
        ({"8A": 20, "8B": 6, "8C": 2, "8D": 2}, {"8B", "8C", "8D"}),
    ],
)
def test_the_groups_hidden_number_five_together_or_none(sizes, hidden):
    assert selectors.hidden_groups(sizes) == hidden


def test_free_text_of_an_anonymous_survey_is_listed_without_names_from_five():
    survey = survey_with_questions()
    people = parents(5)
    for number, person in enumerate(people[:4]):
        services.response_submit(
            survey=survey, answers=answers(survey, text=f"Idea {number}"), actor=person
        )
    assert selectors.survey_results(survey=survey)[3].texts == []
    services.response_submit(survey=survey, answers=answers(survey, text="Idea 4"), actor=people[4])
    texts = selectors.survey_results(survey=survey)[3].texts
    assert sorted(text for _, text in texts) == [f"Idea {n}" for n in range(5)]
    assert {who for who, _ in texts} == {""}


def test_free_text_of_a_named_survey_is_listed_with_the_name():
    survey = survey_with_questions(anonymous=False)
    parent = UserFactory(roles=[Role.PARENT], first_name="Ann", last_name="Lee")
    services.response_submit(survey=survey, answers=answers(survey, text="Hi"), actor=parent)
    assert selectors.survey_results(survey=survey)[3].texts == [(str(parent), "Hi")]


def _export(client, survey) -> list[list[str]]:
    response = client.get(reverse("surveys:export", args=[survey.pk]))
    assert response.status_code == 200
    # Read as the web server reads it: after the request has left the school's scope.
    with scope():
        body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_the_export_of_an_anonymous_survey_names_no_one_and_hides_small_groups(client):
    audiences = [Audience.PARENTS, Audience.STAFF, Audience.GOVERNORS]
    survey = survey_with_questions(audiences=audiences)
    people = (
        parents(5)
        + [UserFactory(roles=[Role.STAFF], username="teacher-tom")]
        + [UserFactory(roles=[Role.GOVERNOR]) for _ in range(5)]
    )
    for person in people:
        services.response_submit(
            survey=survey, answers=answers(survey, text="=HYPERLINK(1)"), actor=person
        )
    principal = UserFactory(roles=[Role.PRINCIPAL])
    client.force_login(principal)
    rows = _export(client, survey)
    assert rows[0][0] == "Group" and "Respondent" not in rows[0]
    # The one member of staff is hidden among the governors (the smaller group of five).
    groups = sorted(row[0] for row in rows[1:])
    assert groups == ["(not shown: a small group)"] * 6 + [Audience.PARENTS.label] * 5
    flat = " ".join(" ".join(row) for row in rows)
    for person in people:
        assert person.username not in flat and person.last_name not in flat
    assert all(row[4] == "'=HYPERLINK(1)" for row in rows[1:])  # formula-safe
    assert AuditLogEntry.objects.filter(user=principal, action="export").exists()


def test_a_lone_small_group_is_not_named_in_the_export(client):
    survey = survey_with_questions(audiences=[Audience.PARENTS, Audience.STAFF])
    for person in parents(5) + [UserFactory(roles=[Role.STAFF])]:
        services.response_submit(survey=survey, answers=answers(survey), actor=person)
    client.force_login(UserFactory(roles=[Role.PRINCIPAL]))
    # Parents named beside one hidden row would name the member of staff's row.
    assert {row[0] for row in _export(client, survey)[1:]} == {"(not shown: a small group)"}


def test_an_anonymous_survey_is_exported_from_five_responses(client):
    survey = survey_with_questions()
    people = parents(5)
    for person in people[:4]:
        services.response_submit(survey=survey, answers=answers(survey, text="Hi"), actor=person)
    principal = UserFactory(roles=[Role.PRINCIPAL])
    client.force_login(principal)
    url = reverse("surveys:export", args=[survey.pk])
    results_url = reverse("surveys:results", args=[survey.pk])
    refused = client.get(url, follow=True)
    assert refused.redirect_chain == [(results_url, 302)]
    assert "can be exported once 5 people have answered" in refused.text
    assert 'data-testid="export-withheld"' in refused.text
    assert not AuditLogEntry.objects.filter(user=principal, action="export").exists()
    services.response_submit(survey=survey, answers=answers(survey, text="Hi"), actor=people[4])
    assert len(_export(client, survey)) == 1 + 5
    assert "Export CSV" in client.get(results_url).text


def test_the_export_of_a_named_survey_names_the_respondent(client):
    survey = survey_with_questions(anonymous=False)
    parent = UserFactory(roles=[Role.PARENT])
    services.response_submit(survey=survey, answers=answers(survey), actor=parent)
    client.force_login(UserFactory(roles=[Role.COORDINATOR]))
    rows = _export(client, survey)
    assert rows[0][:2] == ["Respondent", "Group"]
    assert rows[1][0] == str(parent)
    assert rows[1][2:5] == ["Yes", "TikTok", "4"]


def test_questions_cannot_change_once_answered():
    survey = survey_with_questions()
    services.response_submit(
        survey=survey, answers=answers(survey), actor=UserFactory(roles=[Role.PARENT])
    )
    with pytest.raises(SurveyRefused, match="already answered"):
        services.question_add(
            survey=survey, text="More?", kind="text", options=[], required=False,
            actor=UserFactory(roles=[Role.PRINCIPAL]),
        )  # fmt: skip


def test_a_survey_addressed_to_a_role_is_listed_for_it_while_open():
    open_now = survey_with_questions()
    survey_with_questions(opens_on=timezone.localdate() + dt.timedelta(days=1))
    parent = UserFactory(roles=[Role.PARENT])
    assert [item.survey for item in selectors.surveys_for(user=parent)] == [open_now]
    assert selectors.surveys_for(user=UserFactory(roles=[Role.GOVERNOR])) == []
