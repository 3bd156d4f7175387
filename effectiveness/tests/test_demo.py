import pytest

from effectiveness import demo
from effectiveness.models import ChecklistItem, EffectivenessCheck, RiskAssessment
from effectiveness.selectors import social_media_policy
from overstone.management.commands.seed_demo import demo_people
from reporting import demo as reporting_demo

pytestmark = pytest.mark.django_db


def test_the_demo_audit_moved_the_policy_on_and_seeding_twice_adds_nothing():
    people = demo_people("pw")
    reporting_demo.seed(people)  # the policy register, with the social-media policy
    before = social_media_policy().review_due
    demo.seed(people)
    counts = [m.objects.count() for m in (ChecklistItem, EffectivenessCheck, RiskAssessment)]
    demo.seed(people)
    assert [m.objects.count() for m in (ChecklistItem, EffectivenessCheck, RiskAssessment)] == (
        counts
    )
    audit = EffectivenessCheck.objects.get(kind="audit")
    assert audit.status == EffectivenessCheck.Status.COMPLETED
    assert social_media_policy().review_due > before
    assert EffectivenessCheck.objects.get(kind="filtering").is_draft
    # A completed check of each other kind, for the list and the annual report.
    completed = EffectivenessCheck.objects.filter(status=EffectivenessCheck.Status.COMPLETED)
    assert sorted(completed.values_list("kind", flat=True)) == [
        "audit",
        "conversation",
        "observation",
    ]
