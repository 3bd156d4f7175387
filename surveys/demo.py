"""Demo surveys and School Council: a parents' survey on social media with enough
answers to chart (anonymous, included in the annual report), a named staff survey still
open for the demo staff member, a pupils' survey with a class code, and two council
meetings with what pupils raised and the school's response.

Idempotent: looked up by title and date before anything is created. Rows are written
directly, not through the services, so seeding audits nothing.
"""

import datetime as dt
import random

from django.utils import timezone

from overstone.roles import Role
from overstone.schools import users_with_roles
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

PARENTS_SURVEY = "Parents' views on social media and the school"
STAFF_SURVEY = "Staff confidence with online safety"
PUPILS_SURVEY = "Pupils: staying safe online"
# Form 8D's code (letters and digits of CODE_ALPHABET only: an O or a 1 is never a code).
CLASS_CODE = "SAFE8D23"

FREE_TEXT = [
    "More evenings on privacy settings, please.",
    "The class WhatsApp groups need clearer guidance.",
    "Happy with how the school handles concerns.",
]


def _survey(title: str, questions: list[tuple], **fields) -> Survey:
    survey, created = Survey.objects.get_or_create(title=title, defaults=fields)
    if created:
        for position, (text, kind, options) in enumerate(questions, start=1):
            Question.objects.create(
                survey=survey, position=position, text=text, kind=kind, options=options,
                required=kind != Question.Kind.TEXT,
            )  # fmt: skip
    return survey


def _answer_all(survey: Survey, count: int, group: str, given_on: dt.date, seed: int) -> None:
    if survey.responses.exists():
        return
    rng = random.Random(seed)
    for number in range(count):
        response = Response.objects.create(survey=survey, group=group, given_on=given_on)
        for question in survey.questions.all():
            if question.kind == Question.Kind.TEXT:
                if number < len(FREE_TEXT):
                    Answer.objects.create(response=response, question=question,
                                          text=FREE_TEXT[number])  # fmt: skip
                continue
            picks = question.choices
            picked = rng.sample(picks, 2) if question.kind == Question.Kind.MULTIPLE else [
                rng.choice(picks[:3] if number % 3 else picks)
            ]  # fmt: skip
            for choice in picked:
                Answer.objects.create(response=response, question=question, choice=choice)


def seed(people: dict) -> str:
    today = timezone.localdate()
    coordinator = people[Role.COORDINATOR]
    parents = _survey(
        PARENTS_SURVEY,
        [
            (
                "How confident are you about your child's use of social media?",
                Question.Kind.SCALE,
                [],
            ),
            (
                "Which platforms does your child use?",
                Question.Kind.MULTIPLE,
                ["Instagram", "TikTok", "Snapchat", "WhatsApp", "YouTube"],
            ),
            (
                "Would you come to an awareness evening?",
                Question.Kind.SINGLE,
                ["Yes", "Maybe", "No"],
            ),
            ("Anything else you would like the school to know?", Question.Kind.TEXT, []),
        ],  # fmt: skip
        introduction="Ten minutes of your time helps us plan next year's awareness training.",
        audiences=[Audience.PARENTS],
        opens_on=today - dt.timedelta(days=40),
        closes_on=today + dt.timedelta(days=20),
        anonymous=True,
        in_annual_report=True,
        created_by=coordinator,
    )
    # The demo parent has not answered yet: they can try it. Others have.
    _answer_all(parents, 14, Audience.PARENTS.label, today - dt.timedelta(days=10), seed=17)
    others = users_with_roles([Role.PARENT])
    for other in others.exclude(pk=people[Role.PARENT].pk).order_by("pk")[:14]:
        Answered.objects.get_or_create(survey=parents, person=other)

    _survey(
        STAFF_SURVEY,
        [
            ("I know how to report an online allegation made about me.", Question.Kind.SCALE, []),
            ("What training would help you most?", Question.Kind.TEXT, []),
        ],  # fmt: skip
        audiences=[Audience.STAFF],
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=25),
        anonymous=False,
        created_by=coordinator,
    )

    pupils = _survey(
        PUPILS_SURVEY,
        [
            (
                "Do you know who to tell if something online upsets you?",
                Question.Kind.SINGLE,
                ["Yes", "Not sure", "No"],
            ),
            ("How safe do you feel online?", Question.Kind.SCALE, []),
        ],  # fmt: skip
        audiences=[Audience.PUPILS],
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=25),
        anonymous=True,
        created_by=coordinator,
    )
    code, _ = ClassCode.objects.get_or_create(
        survey=pupils, group="8D", defaults={"places": 28, "code": CLASS_CODE}
    )
    _answer_all(pupils, 6, code.group, today - dt.timedelta(days=2), seed=8)
    ClassCode.objects.filter(pk=code.pk, used=0).update(used=6)

    for days_ago, attendance, points in [
        (70, "Years 7 to 11, two representatives each", [
            ("Pupils asked what to do when a group chat turns unkind.",
             "Form tutors went through the reporting steps in PSHE the following week."),
            ("Some games' chat lets strangers message younger pupils.",
             "Guidance for parents on game settings was added to the newsletter."),
        ]),
        (15, "Years 7 to 11", [
            ("Pupils would like a way to report worries anonymously.", ""),
        ]),
    ]:  # fmt: skip
        held_on = today - dt.timedelta(days=days_ago)
        meeting, created = CouncilMeeting.objects.get_or_create(
            held_on=held_on, defaults={"attendance": attendance, "recorded_by": coordinator}
        )
        if created:
            for raised, response in points:
                CouncilPoint.objects.create(
                    meeting=meeting, raised=raised, school_response=response,
                    responded_on=held_on + dt.timedelta(days=7) if response else None,
                )  # fmt: skip
    return (
        f"{Survey.objects.count()} surveys; {Response.objects.count()} responses; "
        f"{CouncilMeeting.objects.count()} School Council meetings; pupils answer at "
        f"/surveys/class/ with the code {code.code}"
    )
