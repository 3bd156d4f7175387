from datetime import timedelta

import factory
from django.utils import timezone

from cases.models import Agency, CaseTask, Referral
from overstone.roles import Role
from overstone.tests.factories import UserFactory


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    record_reference = "INC-2026-0001"
    agency = Agency.POLICE
    referred_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    response_due = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    contact = "PC Ellis"
    referred_by = factory.SubFactory(UserFactory, roles=[Role.COORDINATOR])


class CaseTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseTask

    record_reference = "INC-2026-0001"
    what = "Call the parents"
    owner = factory.SubFactory(UserFactory, roles=[Role.COORDINATOR])
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=3))
    created_by = factory.SelfAttribute("owner")
