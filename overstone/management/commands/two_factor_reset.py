from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from overstone.audit import AuditOrigin
from overstone.schools import default_school, school_scope, schools_of
from overstone.twofactor import ResetRefused, two_factor_reset


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator app and backup codes, so that they set up two-factor "
        "login again at their next login (e.g. the only principal lost their phone and "
        "codes). Recorded in the audit log; the user is e-mailed."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        schools = schools_of(user)  # the audit entry goes in the school they work in
        try:
            with school_scope(schools[0] if schools else default_school()):
                removed = two_factor_reset(
                    user=user,
                    origin=AuditOrigin.of_command(f"manage.py two_factor_reset {username}"),
                )
        except ResetRefused as refusal:
            raise CommandError(str(refusal)) from None
        if not removed:
            self.stdout.write(f"{username} has no second factor: nothing to reset.")
            return
        self.stdout.write(
            f"Reset the two-factor login of {username} ({removed} device(s) removed): they "
            "set it up again at their next login. Recorded in the audit log; e-mailed."
        )
