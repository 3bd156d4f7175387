import factory

from pupils.models import Pupil, YearGroup


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    number = factory.Sequence(lambda n: f"P{n + 1000}")
    first_name = factory.Sequence(lambda n: f"Pupil{n}")
    last_name = "Example"
    year_group = YearGroup.Y8
    form = "8B"
