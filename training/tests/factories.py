import datetime as dt

import factory
from django.utils import timezone

from overstone.roles import Role
from overstone.schools import membership_add
from overstone.tests.factories import UserFactory, school_for_roles
from training.models import (
    ActionItem,
    Audience,
    Booking,
    BookingStatus,
    InductionRecord,
    InductionTopic,
    ParentProfile,
    Term,
    TrainingSession,
    WorkingPartyMeeting,
    WorkingPartyMember,
    WorkingPartyRole,
)


class ParentFactory(UserFactory):
    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            for role in extracted or [Role.PARENT]:
                membership_add(self, role, school_for_roles())

    profile = factory.RelatedFactory(
        "training.tests.factories.ParentProfileFactory", factory_related_name="user"
    )


class ParentProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentProfile

    user = factory.SubFactory(UserFactory, roles=[Role.PARENT])
    child_year_group = "Year 4"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    title = factory.Sequence(lambda n: f"Awareness session {n}")
    topics = ["benefits", "acceptable_posts"]
    audience = Audience.PARENTS
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=1))
    place = "School hall"
    capacity = 10
    max_guests = 2


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    session = factory.SubFactory(SessionFactory)
    parent = factory.SubFactory(ParentFactory)
    guests = 0
    status = BookingStatus.CONFIRMED


class InductionRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InductionRecord

    staff = factory.SubFactory(UserFactory, roles=[Role.STAFF])
    topic = InductionTopic.E_SAFETY
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingPartyMeeting

    school_year = 2025
    term = Term.AUTUMN
    held_on = dt.date(2025, 10, 8)
    agenda = "1. Training"
    minutes = "Discussed **training**."
    decisions = "Run a session"


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.SubFactory(UserFactory, roles=[Role.COORDINATOR])
    due_on = dt.date(2025, 11, 1)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingPartyMember

    user = factory.SubFactory(ParentFactory)
    place = WorkingPartyRole.PARENT_REPRESENTATIVE
    from_date = dt.date(2025, 9, 1)
