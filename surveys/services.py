"""Writes for surveys and the School Council.

An anonymous response is written with no account and no audit entry naming the person
(an audit line "X answered survey S" beside a response of the same day would name it);
``Answered`` alone remembers that they did, so each person answers once.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from overstone.audit import audit_change
from overstone.workflow import Refused
from surveys import selectors
from surveys.models import (
    Answer,
    Answered,
    Audience,
    ClassCode,
    CouncilMeeting,
    CouncilPoint,
    Question,
    Response,
    Survey,
)

# {question: the choices ticked (a list) or the text written (a str)}
Answers = dict[Question, list[str] | str]


class SurveyRefused(Refused):
    """An answer, question or code the rules refuse; the message says why."""


@transaction.atomic
def survey_create(
    *,
    title: str,
    introduction: str,
    audiences: list[str],
    opens_on: date,
    closes_on: date,
    anonymous: bool,
    actor,
) -> Survey:
    if closes_on < opens_on:
        raise SurveyRefused("A survey cannot close before it opens.")
    if not audiences:
        raise SurveyRefused("Choose who the survey is for.")
    survey = Survey.objects.create(
        title=title,
        introduction=introduction,
        audiences=[Audience(a).value for a in audiences],
        opens_on=opens_on,
        closes_on=closes_on,
        anonymous=anonymous,
        created_by=actor,
    )
    kind = "anonymous" if anonymous else "named"
    audit_change(actor=actor, obj=survey, changes={"survey": ["", f"{title} ({kind})"]})
    return survey


def _unchanged_once_answered(survey: Survey) -> None:
    if survey.responses.exists():
        raise SurveyRefused(
            "People have already answered this survey: its questions can no longer change."
        )


@transaction.atomic
def question_add(
    *, survey: Survey, text: str, kind: str, options: list[str], required: bool, actor
) -> Question:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _unchanged_once_answered(survey)
    options = list(dict.fromkeys(o.strip() for o in options if o.strip()))
    choice = kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
    if choice and len(options) < 2:
        raise SurveyRefused("Give at least two choices, one on each line.")
    last = survey.questions.order_by("-position").values_list("position", flat=True).first()
    question = Question.objects.create(
        survey=survey,
        position=(last or 0) + 1,
        text=text,
        kind=kind,
        options=options if choice else [],
        required=required,
    )
    audit_change(actor=actor, obj=survey, changes={"question": ["", text]})
    return question


@transaction.atomic
def survey_report_include(*, survey: Survey, include: bool, actor) -> Survey:
    """Whether the survey's results go into the governors' annual report."""
    if survey.in_annual_report != include:
        audit_change(
            actor=actor,
            obj=survey,
            changes={"in annual report": [str(survey.in_annual_report), str(include)]},
        )
        survey.in_annual_report = include
        survey.save(update_fields=["in_annual_report"])
    return survey


@transaction.atomic
def class_code_create(*, survey: Survey, group: str, places: int, actor) -> ClassCode:
    if Audience.PUPILS not in survey.audiences:
        raise SurveyRefused("This survey is not for pupils: it has no class codes.")
    group = " ".join(group.split())
    if survey.class_codes.filter(group__iexact=group).exists():
        raise SurveyRefused(f"{group} already has a code for this survey.")
    if places < 1:
        raise SurveyRefused("A class has at least one pupil.")
    code = ClassCode.objects.create(survey=survey, group=group, places=places)
    audit_change(actor=actor, obj=survey, changes={"class code": ["", f"{group}, {places}"]})
    return code


def _open(survey: Survey, today: date) -> None:
    if today < survey.opens_on:
        raise SurveyRefused(f"{survey.title} opens on {survey.opens_on:%d %B %Y}.")
    if today > survey.closes_on:
        raise SurveyRefused(f"{survey.title} closed on {survey.closes_on:%d %B %Y}.")


def _answers_save(*, survey: Survey, answers: Answers, **response_fields) -> Response:
    """Checks each answer against its question (a form may be forged) and saves them."""
    questions = {q.pk: q for q in survey.questions.all()}
    rows = []
    for question, value in answers.items():
        if questions.get(question.pk) is None:
            raise SurveyRefused("An answer is to a question of another survey.")
        if question.kind == Question.Kind.TEXT:
            if value.strip():
                rows.append(Answer(question=question, text=value.strip()))
            continue
        picked = list(value)
        if any(choice not in question.choices for choice in picked) or (
            question.kind != Question.Kind.MULTIPLE and len(picked) > 1
        ):
            raise SurveyRefused(f"“{question.text}”: choose from the choices given.")
        rows.extend(Answer(question=question, choice=choice) for choice in picked)
    answered = {row.question.pk for row in rows}
    missing = [q.text for q in questions.values() if q.required and q.pk not in answered]
    if missing:
        raise SurveyRefused(f"Please answer: {'; '.join(missing)}.")
    response = Response.objects.create(survey=survey, **response_fields)
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    return response


@transaction.atomic
def response_submit(
    *, survey: Survey, answers: Answers, actor, today: date | None = None
) -> Response:
    """A parent's, member of staff's or governor's answers, once. On an anonymous survey
    the response keeps no account; ``Answered`` records that the person answered."""
    today = today or timezone.localdate()
    audience = selectors.audience_of(user=actor, survey=survey)
    if audience is None:
        raise SurveyRefused(f"{survey.title} is not addressed to you.")
    _open(survey, today)
    refusal = SurveyRefused("You have already answered this survey: one response each.")
    try:
        with transaction.atomic():
            Answered.objects.create(survey=survey, person=actor)
    except IntegrityError:  # answered before, or the same form sent twice at once
        raise refusal from None
    return _answers_save(
        survey=survey,
        answers=answers,
        respondent=None if survey.anonymous else actor,
        group=Audience(audience).label,
        given_on=today,
    )


@transaction.atomic
def response_submit_by_code(
    *, class_code: ClassCode, answers: Answers, today: date | None = None
) -> Response:
    """A pupil's answers with their class's code: one of the class's places is taken
    (the browser session is refused a second time by the view)."""
    today = today or timezone.localdate()
    _open(class_code.survey, today)
    taken = ClassCode.objects.filter(pk=class_code.pk, used__lt=F("places")).update(
        used=F("used") + 1
    )
    if not taken:
        raise SurveyRefused(
            f"Everyone in {class_code.group} has answered: ask your teacher if you have not."
        )
    return _answers_save(
        survey=class_code.survey, answers=answers, group=class_code.group, given_on=today
    )


@transaction.atomic
def council_meeting_create(*, held_on: date, attendance: str, notes: str, actor) -> CouncilMeeting:
    meeting = CouncilMeeting.objects.create(
        held_on=held_on, attendance=attendance, notes=notes, recorded_by=actor
    )
    audit_change(actor=actor, obj=meeting, changes={"meeting": ["", f"{held_on:%d %B %Y}"]})
    return meeting


@transaction.atomic
def council_point_add(
    *, meeting: CouncilMeeting, raised: str, school_response: str, actor
) -> CouncilPoint:
    point = CouncilPoint.objects.create(
        meeting=meeting,
        raised=raised,
        school_response=school_response,
        responded_on=timezone.localdate() if school_response.strip() else None,
    )
    audit_change(actor=actor, obj=meeting, changes={"raised": ["", raised]})
    return point


@transaction.atomic
def council_point_respond(*, point: CouncilPoint, school_response: str, actor) -> CouncilPoint:
    """The school's response to what pupils raised (audited: it is what they are told)."""
    before = point.school_response
    point.school_response = school_response
    point.responded_on = timezone.localdate() if school_response.strip() else None
    point.save(update_fields=["school_response", "responded_on"])
    audit_change(
        actor=actor,
        obj=point.meeting,
        changes={"school's response": [before, school_response]},
    )
    return point
