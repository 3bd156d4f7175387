from importlib import import_module

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from overstone.models import School
from overstone.roles import TRUST_ROLES, Role
from overstone.schools import default_school, membership_add, school_scope

DEMO_PEOPLE = {
    Role.PRINCIPAL: ("Margaret", "Brown"),
    Role.SLT: ("Diane", "York"),
    Role.COORDINATOR: ("Alice", "West"),
    Role.STAFF: ("Karen", "Gorton"),
    Role.GOVERNOR: ("Vera", "Brown"),
    Role.CHAIR_OF_GOVERNORS: ("Henry", "Oduya"),
    Role.PARENT: ("Priya", "Shah"),
}

# Each app's demo data: a module with seed(people: dict[Role, User]) -> str, which must
# be idempotent (running seed_demo twice creates nothing twice).
DEMO_MODULES: list[str] = [
    "pupils.demo",
    "incidents.demo",
    "complaints.demo",
    "training.demo",
    "agreements.demo",
    "cases.demo",
    "surveys.demo",
    "reporting.demo",
    "privacy.demo",
    "effectiveness.demo",
    "trust.demo",  # last: the trust's other schools, and its people
]


# The demo school and its trust, named before any app seeds: letters, e-mails and the
# annual report made while seeding carry the school's name.
TRUST_NAME = "Overstone Learning Trust"
SCHOOL_NAME = "Overstone Park School"


def demo_school() -> School:
    """The demo school is the trust's first, renamed for the demo; trust.demo adds the
    others."""
    school = School.objects.order_by("pk").first() or default_school()
    school.name = SCHOOL_NAME
    school.trust.name = TRUST_NAME
    school.trust.save(update_fields=["name"])
    school.save(update_fields=["name"])
    return school


def demo_people(password: str) -> dict:
    """One demo user per role, named after the role; the apps' demo data uses them."""
    return {role: demo_user(role, password) for role in DEMO_PEOPLE}


def demo_user(role: Role, password: str):
    first_name, last_name = DEMO_PEOPLE[role]
    user, _ = get_user_model().objects.update_or_create(
        username=role.value,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{role.value}@overstone.example",
            "is_active": True,
        },
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    membership_add(user, role)
    return user


class Command(BaseCommand):
    help = "Create (or refresh) demo data: one user per role, named after the role."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="overstone-demo")

    @transaction.atomic
    def handle(self, *args, password: str, **options):
        school = demo_school()
        with school_scope(school):
            people = demo_people(password)
            for module in DEMO_MODULES:
                summary = import_module(module).seed(people)
                self.stdout.write(f"{module}: {summary}")
        if connection.vendor == "postgresql":
            # A new demo's tables have no statistics until autovacuum reaches them (some
            # pages then took seconds, not milliseconds): plan with them from the start.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write("Demo logins (username / password):")
        for role in DEMO_PEOPLE:
            self.stdout.write(f"  {role.value:<20} {password}   ({role.label})")
        for role in TRUST_ROLES:
            self.stdout.write(f"  {role.value:<20} {password}   ({role.label}, every school)")
        self.stdout.write("  principal.rva, coordinator.rva, principal.kms, coordinator.kms: the")
        self.stdout.write(
            "  other schools; 'staff' also works at Riverside, 'parent' at Kingsmead."
        )
