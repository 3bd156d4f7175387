import re

from django.core.management.base import BaseCommand, CommandError

from overstone.models import School
from overstone.schools import default_school

CODE = re.compile(r"[A-Z]{2,5}")


class Command(BaseCommand):
    help = (
        "Add a school to the trust (a single-school installation becomes a trust of two). "
        "Its references start with CODE, e.g. RVA-INC-2026-0001; give the first school a "
        "code too (--code with --first) if its references should carry one from now on."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", default="")
        parser.add_argument("--code", required=True, help="two to five capital letters")
        parser.add_argument("--pupils", type=int, default=0, help="pupils on roll")
        parser.add_argument(
            "--first", action="store_true", help="set the code of the first school instead"
        )

    def handle(self, *args, name: str, code: str, pupils: int, first: bool, **options):
        if not CODE.fullmatch(code):
            raise CommandError(f"{code!r} is not two to five capital letters.")
        if School.objects.filter(code=code).exists():
            raise CommandError(f"The code {code} is already used by another school.")
        if first:
            school = School.objects.order_by("pk").first() or default_school()
            school.code = code
            school.save(update_fields=["code"])
            self.stdout.write(f"{school.name}: references now start with {code}-.")
            return
        if not name.strip():
            raise CommandError("Give the new school's name.")
        trust = (School.objects.order_by("pk").first() or default_school()).trust
        school = School.objects.create(
            trust=trust, name=name.strip(), code=code, number_on_roll=pupils
        )
        self.stdout.write(f"Added {school.name} ({code}) to {trust.name}.")
