import pytest
from django.utils import timezone

from cases import demo
from cases.models import CaseTask, Referral
from complaints import demo as complaints_demo
from incidents import demo as incidents_demo
from overstone.management.commands.seed_demo import demo_people
from overstone.roles import Role

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_overdue_referral_and_the_chairs_and_seeding_twice_adds_nothing():
    people = demo_people("pw")
    incidents_demo.seed(people)
    complaints_demo.seed(people)
    demo.seed(people)
    counts = (Referral.objects.count(), CaseTask.objects.count())
    demo.seed(people)
    assert (Referral.objects.count(), CaseTask.objects.count()) == counts == (4, 4)
    today = timezone.localdate()
    assert any(referral.is_overdue(today) for referral in Referral.objects.all())
    assert Referral.objects.filter(referred_by=people[Role.CHAIR_OF_GOVERNORS]).exists()
    assert CaseTask.objects.filter(done_at__isnull=False).count() == 1
