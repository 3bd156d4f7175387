import factory
from django.utils import timezone

from overstone.roles import Role
from overstone.tests.factories import UserFactory
from reporting.models import AnnualReport, PolicyDocument


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyDocument

    title = factory.Sequence(lambda n: f"Policy {n}")
    owner = factory.SubFactory(UserFactory, roles=[Role.COORDINATOR])
    review_due = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=200))


class AnnualReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReport

    school_year = 2025
    version = factory.Sequence(lambda n: n + 1)
