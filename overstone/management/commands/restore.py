import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from overstone.backup import RestoreRefused, backup_restore


class Command(BaseCommand):
    help = "Restore a backup folder into an empty, migrated database and verify it."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the result as JSON"
        )

    def handle(self, *args, folder: Path, as_json: bool = False, **options):
        try:
            result = backup_restore(folder=folder)
        except RestoreRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        if as_json:
            self.stdout.write(json.dumps(result, sort_keys=True))
        else:
            self.stdout.write(
                f"Restored {sum(result['counts'].values())} records and "
                f"{result['evidence_files']} evidence files."
            )
            for problem in result["problems"]:
                self.stderr.write(problem)
        if result["problems"]:
            raise CommandError(f"{len(result['problems'])} problem(s) found after the restore")
