from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from overstone.models import School
from overstone.roles import TRUST_ROLES, Role
from overstone.schools import ScopeError, default_school, membership_add, trust_membership_add


class Command(BaseCommand):
    help = (
        "Give a person a role at a school (--school CODE; the only school if there is one), "
        "or a trust role, held in every school (trust_lead, trust_executive, trustee)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--school", default="", help="the school's code")

    def handle(self, *args, username: str, role: str, school: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        if Role(role) in TRUST_ROLES:
            if school:
                raise CommandError("A trust role is held in every school: leave out --school.")
            trust_membership_add(user, role)
            self.stdout.write(f"{username} is {Role(role).label} in every school.")
            return
        if school:
            chosen = School.objects.filter(code=school).first()
            if chosen is None:
                raise CommandError(f"No school with the code {school!r}.")
        else:
            try:
                chosen = default_school()
            except ScopeError:
                raise CommandError(
                    "There are several schools: say which with --school CODE."
                ) from None
        membership_add(user, role, chosen)
        self.stdout.write(f"{username} is {Role(role).label} at {chosen.name}.")
