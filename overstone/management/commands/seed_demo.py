from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from overstone.roles import Role, group_for

DEMO_PEOPLE = {
    Role.PRINCIPAL: ("Margaret", "Brown"),
    Role.SLT: ("Diane", "York"),
    Role.COORDINATOR: ("Alice", "West"),
    Role.STAFF: ("Karen", "Gorton"),
    Role.GOVERNOR: ("Vera", "Brown"),
    Role.CHAIR_OF_GOVERNORS: ("Henry", "Oduya"),
    Role.PARENT: ("Priya", "Shah"),
}


class Command(BaseCommand):
    help = "Create (or refresh) demo data: one user per role, named after the role."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="overstone-demo")

    @transaction.atomic
    def handle(self, *args, password: str, **options):
        User = get_user_model()
        for role, (first_name, last_name) in DEMO_PEOPLE.items():
            user, _ = User.objects.update_or_create(
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
            user.groups.set([group_for(role)])
        self.stdout.write("Demo logins (username / password):")
        for role in DEMO_PEOPLE:
            self.stdout.write(f"  {role.value:<20} {password}   ({role.label})")
