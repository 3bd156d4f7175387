"""A backup restores into an empty database with every record and evidence hash intact."""

import json
import os
import shutil
import subprocess
import sys
import tarfile

import pytest
from django.core.management import call_command

from complaints.tests.factories import complaint_at
from conftest import ROOT
from incidents.tests.factories import IncidentFactory, evidence_for
from overstone.backup import _counts
from training.tests.factories import BookingFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory):
    """An empty, migrated database file, made once and copied for each test."""
    path = tmp_path_factory.mktemp("empty") / "empty.sqlite3"
    result = manage("migrate", "--noinput", "-v0", DATABASE_URL=f"sqlite:///{path}")
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def empty(migrated_sqlite, tmp_path) -> dict:
    """Settings of an empty installation to restore into."""
    database = tmp_path / "restored.sqlite3"
    shutil.copy(migrated_sqlite, database)
    return {
        "DATABASE_URL": f"sqlite:///{database}",
        "OVERSTONE_MEDIA_ROOT": str(tmp_path / "restored-media"),
        "OVERSTONE_VAR_DIR": str(tmp_path / "var"),
    }


def test_backup_restores_into_an_empty_database(tmp_path, empty):
    incident = IncidentFactory()
    evidence_for(incident)
    evidence_for(incident, name="second.png")
    complaint_at("legal_warning_given")  # with its own evidence and chronology
    BookingFactory()
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    source = _counts()

    result = manage("restore", str(folder), "--json", **empty)
    assert result.returncode == 0, result.stderr
    restored = json.loads(result.stdout)
    assert restored["problems"] == []
    assert restored["evidence_files"] == 3
    for label in (
        "incidents.Incident",
        "incidents.Evidence",
        "complaints.OnlineComplaint",
        "complaints.ComplaintEvent",
        "training.Booking",
        "auth.User",
    ):
        assert restored["counts"][label] == source[label], label  # fmt: skip

    again = manage("restore", str(folder), **empty)
    assert again.returncode != 0 and "already holds records" in again.stderr


def test_a_changed_evidence_file_is_reported_after_restore(tmp_path, empty):
    evidence = evidence_for(IncidentFactory())
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    # Someone edits the file inside the backup's tarball: rebuild it with changed bytes.
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        changed = tmp_path / "changed"
        (changed / "evidence" / evidence.file.name.split("/")[1]).mkdir(parents=True)
        (changed / evidence.file.name).write_bytes(b"\x89PNG tampered")
        archive.add(changed, arcname=".")
    result = manage("restore", str(folder), **empty)
    assert result.returncode != 0
    assert "file missing or changed" in result.stderr
