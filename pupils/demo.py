"""Demo data for pupils: a roll of about 900 pupils in years 7 to 13, most with one or two
parents' accounts, and the demo parent's two children.

Idempotent: a roll already seeded is left as it is. Written in bulk and directly, not
through the import, so seeding is quick and sends no invitation.
"""

import random
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from overstone.models import Membership
from overstone.roles import Role
from overstone.schools import school_id_or_default
from pupils.models import Pupil, YearGroup

PER_YEAR = 130  # seven year groups: 910 pupils
FIRST_NAMES = [
    "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Leo", "Ivy", "Arthur",
    "Freya", "Muhammad", "Lily", "Harry", "Grace", "Oscar", "Sophia", "Jack", "Ella", "Theo",
    "Aisha", "Kai", "Zara", "Yusuf", "Chloe", "Reuben", "Maya", "Ethan", "Ruby", "Jamie",
]  # fmt: skip
LAST_NAMES = [
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes",
    "Edwards", "Green", "Hall", "Khan", "Patel", "Ahmed", "Nguyen", "Okafor", "Kowalski",
    "Murphy", "Clarke", "Ali", "Doe",
]  # fmt: skip
PARENT_NAMES = ["Sam", "Alex", "Chris", "Jo", "Pat", "Robin", "Jordan", "Kim", "Lee", "Morgan"]
FORMS = "ABCDE"


def seed(people) -> str:
    if Pupil.objects.filter(number__startswith="D").exists():
        return "already seeded"
    rng = random.Random(16)
    User = get_user_model()
    this_year = date.today().year
    pupils, parents, links = [], {}, []
    for year in YearGroup.values:
        born = this_year - int(year) - 5
        for n in range(PER_YEAR):
            last = rng.choice(LAST_NAMES)
            number = f"D{year.zfill(2)}{n:03d}"
            pupils.append(
                Pupil(
                    number=number,
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=last,
                    date_of_birth=date(born, rng.randint(1, 12), rng.randint(1, 28)),
                    year_group=year,
                    form=f"{year}{rng.choice(FORMS)}",
                )
            )
            for slot in range(rng.choice([0, 1, 1, 2])):
                email = f"parent.{number.lower()}.{slot}@parents.overstone.example"
                parents[email] = User(
                    username=email,
                    email=email,
                    first_name=rng.choice(PARENT_NAMES),
                    last_name=last,
                    password=make_password(None),
                )
                links.append((number, email))
    Pupil.objects.bulk_create(pupils, batch_size=1000)
    User.objects.bulk_create(parents.values(), batch_size=1000)
    user_ids = dict(User.objects.filter(email__in=parents).values_list("email", "pk"))
    pupil_ids = dict(Pupil.objects.filter(number__startswith="D").values_list("number", "pk"))
    school_id = school_id_or_default()
    Membership.objects.bulk_create(
        [Membership(user_id=pk, school_id=school_id, role=Role.PARENT) for pk in user_ids.values()],
        batch_size=1000,
    )
    Link = Pupil.parents.through
    demo_parent = people[Role.PARENT]
    links += [(number, demo_parent.email) for number in ("D07000", "D10000")]  # two children
    user_ids[demo_parent.email] = demo_parent.pk
    Link.objects.bulk_create(
        [Link(pupil_id=pupil_ids[number], user_id=user_ids[email]) for number, email in links],
        batch_size=1000,
    )
    return f"{len(pupils)} pupils, {len(parents)} parents"
