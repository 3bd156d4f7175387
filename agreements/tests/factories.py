import datetime as dt

import factory
from django.utils import timezone

from agreements.models import Agreement, AgreementVersion, Signers


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    title = factory.Sequence(lambda n: f"Home-School Agreement {n}")
    signers = Signers.PARENTS
    purpose = "Parents agree not to use social media to make allegations about the school."


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementVersion

    agreement = factory.SubFactory(AgreementFactory)
    version = factory.Sequence(lambda n: f"1.{n}")
    text = "We will **not** use social media to make derogatory or malicious allegations."
    effective_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


def agreement_for(signers: str = Signers.PARENTS, **fields) -> Agreement:
    """An agreement with one version in effect."""
    return VersionFactory(agreement__signers=signers, **fields).agreement
