from django.core.management.base import BaseCommand

from incidents.services import incident_pupils_match
from overstone.audit import AuditOrigin


class Command(BaseCommand):
    help = (
        "Link the pupils named as free text on incidents to the pupil records, where exactly "
        "one pupil has that full name. Run once after the first import of the pupils."
    )

    def handle(self, *args, **options):
        linked = incident_pupils_match(
            actor=AuditOrigin.of_command("manage.py incident_pupils_match")
        )
        self.stdout.write(f"{linked} pupil name(s) linked to their pupil record.")
