from django.core.management.base import BaseCommand

from incidents.services import incident_pupils_match
from overstone.audit import AuditOrigin
from overstone.schools import each_school


class Command(BaseCommand):
    help = (
        "Link the pupils named as free text on incidents to the pupil records, where exactly "
        "one pupil of the incident's school has that full name. Run once after the first "
        "import of the pupils."
    )

    def handle(self, *args, **options):
        actor = AuditOrigin.of_command("manage.py incident_pupils_match")
        linked = sum(incident_pupils_match(actor=actor) for _school in each_school())
        self.stdout.write(f"{linked} pupil name(s) linked to their pupil record.")
