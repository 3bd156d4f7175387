"""Reads for surveys: who is asked what, and the results, small groups not broken down."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from overstone.charts import horizontal_bars
from overstone.roles import GOVERNORS, SCHOOL_PERSONNEL, Role, user_roles
from surveys.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    SMALL_GROUP,
    Answer,
    Answered,
    Audience,
    ClassCode,
    CouncilMeeting,
    CouncilPoint,
    Question,
    Survey,
)

# The roles each audience is; pupils answer with a class code, not an account.
AUDIENCE_ROLES: dict[str, frozenset[Role]] = {
    Audience.PARENTS: frozenset({Role.PARENT}),
    Audience.STAFF: SCHOOL_PERSONNEL,
    Audience.GOVERNORS: GOVERNORS,
}


def audience_of(*, user, survey: Survey) -> str | None:
    """The audience of the survey this user answers as (its label is their group), or
    None when the survey does not ask them."""
    roles = user_roles(user)
    for audience in survey.audiences:
        if roles & AUDIENCE_ROLES.get(audience, frozenset()):
            return audience
    return None


def survey_list() -> QuerySet[Survey]:
    # Ordered here: Meta.ordering is not applied to a query with GROUP BY.
    return Survey.objects.annotate(response_count=Count("responses")).order_by("-opens_on", "-pk")


def survey_get(*, pk: int) -> Survey:
    return get_object_or_404(Survey.objects.prefetch_related("questions", "class_codes"), pk=pk)


@dataclass(frozen=True)
class SurveyToAnswer:
    survey: Survey
    answered: bool


def surveys_for(*, user, today: date | None = None) -> list[SurveyToAnswer]:
    """The open surveys addressed to this user's role, each saying whether they answered."""
    today = today or timezone.localdate()
    open_now = Survey.objects.filter(opens_on__lte=today, closes_on__gte=today)
    answered = set(Answered.objects.filter(person=user).values_list("survey_id", flat=True))
    return [
        SurveyToAnswer(survey, survey.pk in answered)
        for survey in open_now.order_by("closes_on", "pk")
        if audience_of(user=user, survey=survey)
    ]


def has_answered(*, user, survey: Survey) -> bool:
    return Answered.objects.filter(person=user, survey=survey).exists()


def class_code_get(*, code: str) -> ClassCode | None:
    """The class code typed or in the URL; None for anything that cannot be one (a NUL
    byte would otherwise reach PostgreSQL and fail the request)."""
    code = code.strip().upper().replace(" ", "")
    if len(code) != CODE_LENGTH or not set(code) <= set(CODE_ALPHABET):
        return None
    # Looked up in every school: a pupil has no account, so no school of their own; the
    # code's page then works in its survey's school (surveys.views.ClassAnswerView).
    codes = ClassCode.objects.with_scopes_disabled()
    return codes.select_related("survey").filter(code=code).first()


@dataclass(frozen=True)
class Breakdown:
    """The answers of a group: ``counts`` (choice, count) is None when fewer than
    SMALL_GROUP answered (not broken down)."""

    group: str
    respondents: int
    counts: list[tuple[str, int]] | None

    @property
    def suppressed(self) -> bool:
        return self.counts is None


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    overall: Breakdown
    groups: list[Breakdown]
    chart: str  # inline SVG; "" when not broken down
    texts: list[tuple[str, str]]  # (respondent or "", text); free-text questions only


def hidden_groups(sizes: dict[str, int]) -> set[str]:
    """The groups not broken down, from how many answered in each: every group of fewer
    than SMALL_GROUP, and then the smallest others until those hidden number SMALL_GROUP
    together. Otherwise "everyone" less the groups shown would give a small group's
    answers (one member of staff beside five parents: everyone less the parents)."""
    hidden = {group for group, n in sizes.items() if n < SMALL_GROUP}
    shown = sorted((n, group) for group, n in sizes.items() if group not in hidden)
    while shown and 0 < sum(sizes[group] for group in hidden) < SMALL_GROUP:
        hidden.add(shown.pop(0)[1])
    return hidden


def breakdown(group: str, choices: list[str], answers: list[tuple]) -> Breakdown:
    """``answers`` as (response id, choice): counted per choice, each respondent once."""
    respondents = len({response for response, _ in answers})
    if respondents < SMALL_GROUP:
        return Breakdown(group, respondents, None)
    counted = Counter(choice for _, choice in set(answers))
    return Breakdown(group, respondents, [(choice, counted[choice]) for choice in choices])


def _texts(question: Question, survey: Survey, respondents: int) -> list[tuple[str, str]]:
    """Free text as written: with the respondent's name on a named survey; on an
    anonymous one without, in no particular order, and only once SMALL_GROUP answered."""
    if survey.anonymous and respondents < SMALL_GROUP:
        return []
    answers = question.answers.exclude(text="").select_related("response__respondent")
    return [
        (
            "" if survey.anonymous or not a.response.respondent else str(a.response.respondent),
            a.text,
        )
        for a in answers.order_by("response_id", "pk")
    ]


def survey_results(*, survey: Survey) -> list[QuestionResult]:
    """Each question's counts overall and per group (parents, staff, governors, each
    class), a group of fewer than SMALL_GROUP respondents not broken down."""
    rows = defaultdict(list)
    for question_id, response_id, group, choice, text in Answer.objects.filter(
        question__survey=survey
    ).values_list("question_id", "response_id", "response__group", "choice", "text"):
        rows[question_id].append((response_id, group, choice or ("…" if text else "")))
    results = []
    for question in survey.questions.all():
        answers = rows[question.pk]
        choices = question.choices
        overall = breakdown("Everyone", choices, [(r, c) for r, _, c in answers])
        by_group = defaultdict(list)
        for response, group, choice in answers:
            by_group[group].append((response, choice))
        sizes = {group: len({r for r, _ in rows}) for group, rows in by_group.items()}
        hidden = hidden_groups(sizes)
        groups = [
            Breakdown(group, sizes[group], None)
            if group in hidden
            else breakdown(group, choices, group_answers)
            for group, group_answers in sorted(by_group.items())
        ]
        is_text = question.kind == Question.Kind.TEXT
        chart = ""
        if overall.counts and not is_text:
            chart = horizontal_bars(
                [choice for choice, _ in overall.counts],
                [n for _, n in overall.counts],
                anonymise=False,
            )
        texts = _texts(question, survey, overall.respondents) if is_text else []
        results.append(QuestionResult(question, overall, groups, chart, texts))
    return results


def response_count(*, survey: Survey) -> int:
    return survey.responses.count()


# The group of an anonymous response whose group is not broken down (``hidden_groups``).
GROUP_NOT_SHOWN = "(not shown: a small group)"


def export_withheld(*, survey: Survey) -> bool:
    """An anonymous survey answered by fewer than SMALL_GROUP is not exported: its rows
    would be the answers the results do not break down, a person's words among them."""
    return survey.anonymous and survey.responses.count() < SMALL_GROUP


def export_rows(*, survey: Survey):
    """One row per response, answers in question order. Named surveys start with the
    respondent; anonymous ones name no one, in random order (a response's key is
    random), and show a group only where the results break it down (``hidden_groups``)."""
    if export_withheld(survey=survey):
        return
    questions = list(survey.questions.all())
    group_sizes = dict(survey.responses.order_by().values_list("group").annotate(n=Count("pk")))
    hidden = hidden_groups(group_sizes) if survey.anonymous else set()
    responses = survey.responses.select_related("respondent").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.order_by("pk"))
    )
    for response in responses.order_by("id"):
        by_question = defaultdict(list)
        for answer in response.answers.all():
            by_question[answer.question_id].append(answer.choice or answer.text)
        group = GROUP_NOT_SHOWN if response.group in hidden else response.group
        who = [] if survey.anonymous else [str(response.respondent or "")]
        yield [*who, group, *("; ".join(by_question[q.pk]) for q in questions)]


def export_header(*, survey: Survey) -> list[str]:
    who = [] if survey.anonymous else ["Respondent"]
    return [*who, "Group", *(q.text for q in survey.questions.all())]


def council_meeting_list() -> QuerySet[CouncilMeeting]:
    meetings = CouncilMeeting.objects.annotate(point_count=Count("points"))
    return meetings.order_by("-held_on", "-pk")  # newest first (see survey_list)


def council_meeting_get(*, pk: int) -> CouncilMeeting:
    return get_object_or_404(CouncilMeeting.objects.prefetch_related("points"), pk=pk)


def council_point_get(*, pk: int) -> CouncilPoint:
    return get_object_or_404(CouncilPoint.objects.select_related("meeting"), pk=pk)
