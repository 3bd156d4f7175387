import io
import zipfile

import pytest

from overstone.evidence import EvidenceRejected, clean_original_name, evidence_check
from overstone.samples import EML, PDF, PNG, upload


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("shot.png", PNG, "image/png"),
        ("letter.pdf", PDF, "application/pdf"),
        ("complaint.eml", EML, "message/rfc822"),
        ("no-extension", PNG, "image/png"),
    ],
)
def test_allowed_types_are_sniffed_from_the_bytes(name, content, content_type):
    checked = evidence_check(upload(name, content))
    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


def zipped_zeros() -> bytes:
    """A small zip that expands to 50 MB: a zip bomb in miniature."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * 50_000_000)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("holiday.png", b"MZ\x90\x00\x03" + b"\x00" * 200, "not a file type we accept"),
        ("notes.pdf", b"just some words, not a pdf at all", "not a file type we accept"),
        ("page.png", b"<html><script>alert(1)</script></html>", "not a file type we accept"),
        ("empty.png", b"", "is empty"),
        ("bomb.png", zipped_zeros(), "not a file type we accept"),
        ("cut.png", PNG[: len(PNG) // 2], "damaged or incomplete image"),
        ("bad.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 300, "damaged or incomplete image"),
    ],
)
def test_refused_files_say_why(name, content, reason):
    with pytest.raises(EvidenceRejected, match=reason):
        evidence_check(upload(name, content))


def test_oversized_files_are_refused(settings):
    settings.OVERSTONE_EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(EvidenceRejected, match="the limit is"):
        evidence_check(upload("big.pdf", PDF + b"0" * 2000))


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\shot.png", "shot.png"),
        ("bad\x00name\n.png", "badname.png"),
        ("...", "evidence"),
    ],
)
def test_a_users_file_name_is_only_a_label(given, kept):
    assert clean_original_name(given) == kept
