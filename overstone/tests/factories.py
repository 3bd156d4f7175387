import factory
from django.contrib.auth import get_user_model

from overstone.models import School
from overstone.schools import current_school_id, default_school, membership_add

PASSWORD = "correct-horse-battery"


def school_for_roles() -> int:
    """The school a factory's roles are held at: the one in scope, else the first."""
    first = School.objects.order_by("pk").values_list("pk", flat=True).first()
    return current_school_id() or first or default_school().pk


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@overstone.example")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for role in extracted:
                membership_add(self, role, school_for_roles())


def person_at(role, school, **fields):
    """A person holding ``role`` at ``school`` (a test with two schools)."""
    user = UserFactory(**fields)
    membership_add(user, role, school)
    return user
