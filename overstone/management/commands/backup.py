from pathlib import Path

from django.core.management.base import BaseCommand

from overstone.backup import backup_create


class Command(BaseCommand):
    help = "Write a backup (records, evidence files, manifest) into a folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        manifest = backup_create(folder=folder)
        records = sum(manifest["counts"].values())
        files = len(manifest["evidence_sha256"])
        self.stdout.write(f"Backed up {records} records and {files} evidence files to {folder}")
