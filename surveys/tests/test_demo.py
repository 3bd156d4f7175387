import pytest
from django.urls import reverse

from overstone.management.commands.seed_demo import demo_people
from overstone.roles import Role
from surveys import demo, selectors
from surveys.models import CouncilPoint, Response, Survey

pytestmark = pytest.mark.django_db


def test_the_demo_surveys_chart_and_seeding_twice_adds_nothing():
    people = demo_people("pw")
    demo.seed(people)
    counts = (Survey.objects.count(), Response.objects.count(), CouncilPoint.objects.count())
    demo.seed(people)
    assert (Survey.objects.count(), Response.objects.count(),
            CouncilPoint.objects.count()) == counts  # fmt: skip
    parents = Survey.objects.get(title=demo.PARENTS_SURVEY)
    assert all(r.chart for r in selectors.survey_results(survey=parents)[:3])
    # The demo parent can still try it; the demo member of staff has the staff survey.
    assert [i.answered for i in selectors.surveys_for(user=people[Role.PARENT])] == [False]
    assert [i.survey.title for i in selectors.surveys_for(user=people[Role.STAFF])] == [
        demo.STAFF_SURVEY
    ]


def test_the_demo_class_code_opens_the_pupils_survey(client):
    """The demo's code was DEMO8DSS: an O is never in a code, so no pupil could use it."""
    demo.seed(demo_people("pw"))
    entry = client.post(reverse("surveys:code_entry"), {"code": demo.CLASS_CODE.lower()})
    assert entry.status_code == 302
    assert demo.PUPILS_SURVEY in client.get(entry["Location"]).text
