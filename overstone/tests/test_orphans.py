"""Evidence files are written aside and moved into place only when their records are
committed; files no record refers to are reported daily, never touched, and never backed
up."""

import os
import tarfile
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from incidents.models import Evidence
from incidents.services import incident_add_evidence
from incidents.tests.factories import IncidentFactory, evidence_for
from overstone.evidence import evidence_atomic, evidence_check
from overstone.roles import Role
from overstone.samples import PDF, PNG, upload
from overstone.tasks import report_evidence_orphans

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """A media folder of this test alone: files of other tests' rolled-back records would
    be orphans here."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(media: Path) -> list[str]:
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


def add_evidence(incident):
    checked = [evidence_check(upload("a.png", PNG)), evidence_check(upload("b.pdf", PDF))]
    return incident_add_evidence(incident=incident, actor=incident.reported_by, files=checked)


def test_files_are_written_aside_and_moved_into_place_with_their_records(media):
    incident = IncidentFactory()
    with evidence_atomic():
        added = add_evidence(incident)
        assert all(name.endswith(".part") for name in stored(media))
    assert stored(media) == sorted(evidence.file.name for evidence in added)
    assert all(evidence.is_intact() for evidence in incident.evidence.all())


def test_a_rollback_leaves_no_file(media):
    incident = IncidentFactory()
    with pytest.raises(RuntimeError), evidence_atomic():
        add_evidence(incident)
        assert len(stored(media)) == 2
        raise RuntimeError("the request fails after the files were written")
    assert not Evidence.objects.exists()
    assert stored(media) == []


def write(media: Path, name: str, content: bytes = b"left behind", *, age: float = 0) -> Path:
    """A file in the store, last written ``age`` seconds ago."""
    path = media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_the_orphan_report_counts_files_without_records_and_touches_nothing(
    media, user_with_role, sent_mail
):
    principal = user_with_role(Role.PRINCIPAL, email="head@school.example")
    user_with_role(Role.COORDINATOR, email="coordinator@school.example")
    kept = evidence_for(IncidentFactory())
    kept_path = Path(kept.file.path)
    before = (kept_path.read_bytes(), kept_path.stat().st_mtime_ns)
    orphans = [
        write(media, "evidence/ab/abandoned.png", age=DAY),
        write(media, "evidence/cd/by-hand.pdf"),
    ]

    assert report_evidence_orphans() == 2

    [message] = sent_mail
    assert message.to == [principal.email]
    assert "2 stored files belong to no record" in message.subject
    assert "Nothing has been deleted" in message.body
    assert (kept_path.read_bytes(), kept_path.stat().st_mtime_ns) == before
    assert all(orphan.exists() for orphan in orphans)


DAY = 24 * 3600


def test_what_a_killed_worker_left_is_removed_and_an_upload_under_way_is_left_alone(
    media, sent_mail
):
    """A worker killed during an upload leaves its files written aside; the daily task
    removes those once no upload can still be saving them (an hour), and no one is asked
    about them."""
    kept = evidence_for(IncidentFactory())
    left = [write(media, f"evidence/cd/killed-{n}.pdf.part", age=3700) for n in range(3)]
    under_way = write(media, "evidence/ef/saving.png.part", age=3500)

    assert report_evidence_orphans() == 0

    assert not any(path.exists() for path in left)
    assert under_way.exists() and Path(kept.file.path).exists()
    assert len(sent_mail) == 0


def test_no_orphans_no_mail(media, sent_mail):
    evidence_for(IncidentFactory())
    assert report_evidence_orphans() == 0
    assert len(sent_mail) == 0


def test_a_backup_holds_only_files_with_records(media, tmp_path):
    kept = evidence_for(IncidentFactory())
    write(media, "evidence/ab/abandoned.png")
    call_command("backup", str(tmp_path / "backup"))
    with tarfile.open(tmp_path / "backup" / "media.tar.gz") as archive:
        names = [member.name for member in archive.getmembers() if member.isfile()]
    assert names == [kept.file.name]
