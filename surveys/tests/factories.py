import datetime as dt

import factory
from django.utils import timezone

from surveys.models import Audience, ClassCode, CouncilMeeting, CouncilPoint, Question, Survey


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Parents' survey {n}")
    audiences = factory.LazyFunction(lambda: [Audience.PARENTS.value])
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    anonymous = True


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "Would you come to an awareness evening?"
    kind = Question.Kind.SINGLE
    options = factory.LazyFunction(lambda: ["Yes", "Maybe", "No"])


class ClassCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassCode

    survey = factory.SubFactory(
        SurveyFactory, audiences=[Audience.PUPILS.value], title="Pupils' survey"
    )
    group = factory.Sequence(lambda n: f"7{'ABCDEFGH'[n % 8]}{n}")
    places = 28


class CouncilMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMeeting

    held_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    attendance = "Years 7 to 11"


class CouncilPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilPoint

    meeting = factory.SubFactory(CouncilMeetingFactory)
    raised = "Pupils asked what to do when a group chat turns unkind."


def survey_with_questions(**fields) -> Survey:
    """An open survey with a single-choice, a multiple-choice, a scale and a text question."""
    survey = SurveyFactory(**fields)
    QuestionFactory(survey=survey, position=1, text="Would you come?")
    QuestionFactory(
        survey=survey,
        position=2,
        text="Which platforms?",
        kind=Question.Kind.MULTIPLE,
        options=["TikTok", "Snapchat", "WhatsApp"],
    )
    QuestionFactory(
        survey=survey,
        position=3,
        text="How confident are you?",
        kind=Question.Kind.SCALE,
        options=[],
    )
    QuestionFactory(survey=survey, position=4, text="Anything else?", kind=Question.Kind.TEXT,
                    options=[], required=False)  # fmt: skip
    return survey
