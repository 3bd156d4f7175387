"""Backup and restore: the database as a Django fixture, the evidence files as a tarball.

A backup folder holds ``data.json.gz`` (every record, users by username), ``media.tar.gz``
(the evidence files and report PDFs that records refer to: a file left by an interrupted
upload is no record and stays out) and ``manifest.json`` (record counts and the SHA-256
of every evidence file), so a restore can prove that nothing was lost or changed.
"""

import json
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django_scopes import scopes_disabled

from overstone.evidence import EvidenceFile, stored_files_referenced

# Not records of the school: rebuilt by migrations or by the running system.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "django_celery_results",
    "django_celery_beat",
    "django_tomselect",  # a placeholder model with no table: the widget's static files only
]


class RestoreRefused(Exception):
    pass


def _evidence_models() -> list[type[EvidenceFile]]:
    return [m for m in apps.get_models() if issubclass(m, EvidenceFile)]


def _counts() -> dict[str, int]:
    labels = {app.label for app in apps.get_app_configs()} - {"contenttypes", "sessions"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in labels
        and model._meta.app_label not in EXCLUDED
        and model._meta.label not in EXCLUDED
    }


def _hashes() -> dict[str, str]:
    return {
        f"{model._meta.label}:{pk}": sha256
        for model in _evidence_models()
        for pk, sha256 in model._default_manager.values_list("pk", "sha256")
    }


@scopes_disabled()  # every school's records, on purpose: the backup is the trust's
def backup_create(*, folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():  # one consistent snapshot of the records
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            exclude=EXCLUDED,
            output=str(folder / "data.json.gz"),
            verbosity=0,
        )
        manifest = {"counts": _counts(), "evidence_sha256": _hashes()}
        referenced = stored_files_referenced()
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        for name in sorted(referenced):  # never a file no record refers to
            if (media / name).is_file():
                archive.add(media / name, arcname=name)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


@scopes_disabled()  # every school's records, on purpose
def backup_restore(*, folder: Path) -> dict:
    """Load a backup into an empty, migrated database and check it against its manifest."""
    manifest = json.loads((folder / "manifest.json").read_text())
    if (
        any(model._default_manager.exists() for model in _evidence_models())
        or apps.get_model("incidents", "Incident").objects.exists()
    ):
        raise RestoreRefused("This database already holds records: restore only into an empty one.")
    with transaction.atomic():
        call_command("loaddata", str(folder / "data.json.gz"), verbosity=0)
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "media.tar.gz") as archive:
        archive.extractall(media, filter="data")

    problems = [
        f"{label}: {count} in the backup, {_counts().get(label, 0)} restored"
        for label, count in manifest["counts"].items()
        if _counts().get(label, 0) < count
    ]
    restored = _hashes()
    for key, sha256 in manifest["evidence_sha256"].items():
        if restored.get(key) != sha256:
            problems.append(f"{key}: the record's SHA-256 differs from the backup")
    for model in _evidence_models():
        for evidence in model._default_manager.all():
            if not evidence.is_intact():
                problems.append(f"{model._meta.label}:{evidence.pk}: file missing or changed")
    return {"counts": _counts(), "evidence_files": len(restored), "problems": problems}
