import io
import zipfile
import zlib

import pytest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from PIL import Image

from overstone.evidence import (
    EvidenceForm,
    EvidenceRejected,
    clean_original_name,
    evidence_check,
    portable_name,
)
from overstone.roles import Role
from overstone.samples import EML, PDF, PNG, upload


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "JPEG")
    return buffer.getvalue()


JPEG = jpeg()


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


@pytest.mark.parametrize(
    ("name", "content", "kept"),
    [
        ("evil.html", b"From: a@example.org\nTo: b@example.org\n\n<script>x</script>", "evil.eml"),
        ("shot.PNG", PNG, "shot.PNG"),
        ("photo.jpeg", JPEG, "photo.jpeg"),
        ("photo.png", JPEG, "photo.jpg"),
        ("letter", PDF, "letter.pdf"),
        ("complaint.eml", EML, "complaint.eml"),
        ("a" * 200 + ".html", EML, "a" * 196 + ".eml"),
    ],
)
def test_the_name_carries_the_extension_of_the_sniffed_type(name, content, kept):
    assert evidence_check(upload(name, content)).original_name == kept


@pytest.mark.django_db
def test_an_html_named_email_is_stored_and_downloaded_as_eml(client, user_with_role):
    from incidents.services import incident_add_evidence
    from incidents.tests.factories import IncidentFactory

    incident = IncidentFactory()
    checked = evidence_check(upload("evil.html", b"From: a@example.org\nSubject: hi\n\n<b>x</b>"))
    [evidence] = incident_add_evidence(
        incident=incident, actor=incident.reported_by, files=[checked]
    )
    assert evidence.file.name.endswith(".eml")
    client.force_login(user_with_role(Role.COORDINATOR))
    response = client.get(
        reverse("incidents:evidence_download", args=[incident.reference, evidence.pk])
    )
    assert response["Content-Disposition"] == 'attachment; filename="evil.eml"'
    assert response["Content-Type"] == "message/rfc822"


@pytest.mark.parametrize("char", list('<>:"/\\|?*') + [chr(c) for c in range(32)] + ["\x7f"])
def test_characters_windows_forbids_are_replaced(char):
    assert portable_name(f"a{char}b.png") == "a_b.png"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("note. . .", "note"),
        ("note.pdf ", "note.pdf"),
        ("CON", "_CON"),
        ("con.png", "_con.png"),
        ("Lpt1.tar.gz", "_Lpt1.tar.gz"),
        ("COM9 .pdf", "_COM9 .pdf"),
        ("CONSOLE.png", "CONSOLE.png"),
        ("COM0.png", "COM0.png"),
        ("...", "evidence"),
    ],
)
def test_trailing_dots_spaces_and_device_names_are_made_safe(given, kept):
    assert portable_name(given) == kept


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims these dimensions: decoding it would fail (or cost
    width x height bytes), so only a check of the header can name its size."""
    data = bytearray(png(1, 1))
    ihdr = bytearray(data[12:29])  # type, width, height, depth, colour, ...
    ihdr[4:12] = width.to_bytes(4, "big") + height.to_bytes(4, "big")
    data[12:29] = ihdr
    data[29:33] = zlib.crc32(bytes(ihdr)).to_bytes(4, "big")
    return bytes(data)


def test_an_image_at_the_pixel_limit_is_accepted_and_one_over_is_refused(settings):
    settings.OVERSTONE_EVIDENCE_MAX_PIXELS = 100
    assert evidence_check(upload("at.png", png(10, 10))).pixels == 100
    with pytest.raises(EvidenceRejected, match="the limit is 100 pixels an image"):
        evidence_check(upload("over.png", png(101, 1)))


def test_the_pixel_limit_is_read_from_the_header_before_decoding():
    # 9400 x 9400: 88 megapixels claimed by a 70-byte file.
    with pytest.raises(EvidenceRejected, match="88.4 megapixels; the limit is 40 megapixels"):
        evidence_check(upload("bomb.png", png_claiming(9400, 9400)))


def upload_form(*images: bytes) -> EvidenceForm:
    files = MultiValueDict({"files": [upload(f"{n}.png", image) for n, image in enumerate(images)]})
    return EvidenceForm({}, files)


def test_one_upload_may_hold_up_to_the_pixel_total_and_not_one_more(settings):
    settings.OVERSTONE_EVIDENCE_MAX_PIXELS = 100
    settings.OVERSTONE_EVIDENCE_MAX_UPLOAD_PIXELS = 250
    assert upload_form(png(10, 10), png(10, 10), png(10, 5)).is_valid()
    over = upload_form(png(10, 10), png(10, 10), png(10, 5), png(1, 1))
    assert not over.is_valid()
    assert over.errors["files"] == [
        "“3.png” takes these images over 250 pixels in one upload; add it in a separate upload."
    ]


@pytest.mark.django_db
def test_an_image_over_the_limit_is_explained_on_the_form(client, user_with_role, settings):
    from incidents.tests.factories import IncidentFactory

    settings.OVERSTONE_EVIDENCE_MAX_PIXELS = 100
    incident = IncidentFactory()
    client.force_login(user_with_role(Role.COORDINATOR))
    url = reverse("incidents:evidence_add", args=[incident.reference])
    response = client.post(url, {"files": [upload("big.png", png(11, 10))]})
    assert response.status_code == 200
    assert "“big.png” is 110 pixels; the limit is 100 pixels an image" in response.text
    assert not incident.evidence.exists()
