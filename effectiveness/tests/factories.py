import factory
from django.utils import timezone

from effectiveness.models import CheckKind, ChecklistItem, EffectivenessCheck, RiskAssessment
from effectiveness.services import check_create
from overstone.roles import Role
from overstone.tests.factories import UserFactory
from reporting.tests.factories import PolicyFactory


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    text = factory.Sequence(lambda n: f"Checklist line {n}")
    position = factory.Sequence(int)


class RiskAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskAssessment

    activity = factory.Sequence(lambda n: f"Activity {n}")
    risks = "Inappropriate content"
    controls = "Filtering"
    owner = factory.SubFactory(UserFactory, roles=[Role.COORDINATOR])
    review_due = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=90))


def a_check(kind: str = CheckKind.OBSERVATION, *, policy=None, actor=None, **fields):
    """A check in progress, started as the coordinator would."""
    actor = actor or UserFactory(roles=[Role.COORDINATOR])
    if kind == CheckKind.AUDIT and not ChecklistItem.objects.exists():
        ChecklistItemFactory.create_batch(2)
    values = {
        "policy": policy or PolicyFactory(),
        "held_on": timezone.localdate(),
        "checked_by": actor,
        "title": "Year 9 computing",
        **fields,
    }
    return check_create(kind=kind, actor=actor, **values)


def an_audit(**fields) -> EffectivenessCheck:
    return a_check(CheckKind.AUDIT, **fields)
