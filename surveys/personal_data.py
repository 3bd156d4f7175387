"""What surveys hold about people, for data protection (see overstone.personal_data).

A named response is the respondent's: their answers, found by their account. An
anonymous response has no account and nothing else that leads to a person (a random key,
a day, a group), so it is not personal data of anyone; ``Answered`` says only that a
person answered a survey. Free text is searched for names either way: someone may have
named a person in it. The School Council's notes are written without pupils' names, and
searched in case one was.
"""

from django.urls import reverse

from overstone.personal_data import Mention, NotPersonal, SubjectAccessSource, register
from surveys.models import Answer, Answered, CouncilPoint


def _answer(answer: Answer) -> Mention:
    response = answer.response
    who = "anonymous response" if response.respondent_id is None else "named response"
    return Mention(
        "Survey answer",
        str(response.survey),
        response.given_on,
        f"{answer.question.text} ({who}): {answer.choice or answer.text}",
        reverse("surveys:results", args=[response.survey_id]),
    )


def _council(point: CouncilPoint) -> Mention:
    return Mention(
        "School Council",
        str(point.meeting),
        point.meeting.held_on,
        point.raised,
        reverse("surveys:council_detail", args=[point.meeting_id]),
    )


register(
    SubjectAccessSource(
        label="Survey answer",
        model=Answer,
        records=lambda user: Answer.objects.select_related("response__survey", "question"),
        text_fields=("text",),
        account_fields=("response__respondent",),
        date_field="response__given_on",
        describe=_answer,
    ),
    SubjectAccessSource(
        label="Survey answered",
        model=Answered,
        records=lambda user: Answered.objects.select_related("survey"),
        text_fields=(),
        account_fields=("person",),
        date_field="survey__opens_on",
        describe=lambda answered: Mention(
            "Survey answered",
            str(answered.survey),
            answered.survey.opens_on,
            "Answered"
            + (" (anonymous: the answers are not linked)" if answered.survey.anonymous else ""),
            "",
        ),
    ),
    SubjectAccessSource(
        label="School Council",
        model=CouncilPoint,
        records=lambda user: CouncilPoint.objects.select_related("meeting"),
        text_fields=("raised", "school_response", "meeting__notes"),
        account_fields=(),
        date_field="meeting__held_on",
        describe=_council,
    ),
    NotPersonal(
        "surveys.Survey",
        ("created_by", "introduction"),
        "The school's own survey and who set it up, the same for everyone asked.",
    ),
    NotPersonal(
        "surveys.CouncilMeeting",
        ("recorded_by",),
        "The member of staff who recorded the meeting, as the school's record of it.",
    ),
)
