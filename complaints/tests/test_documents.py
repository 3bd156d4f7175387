"""What the letters say and how the evidence bundle's chronology PDF is laid out."""

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from complaints import services
from complaints.documents import LETTERS, letter_html
from complaints.models import OnlineComplaint
from complaints.tests.factories import complaint_at, move
from overstone.evidence import evidence_check
from overstone.samples import PDF, upload

pytestmark = pytest.mark.django_db

SHA256 = re.compile(r"[0-9a-f]{64}")


def widest_glyph(font) -> float:
    """The widest glyph of an embedded font, in thousandths of its size (PDF ``/W``)."""
    widths = font["/DescendantFonts"][0].get_object()["/W"]
    found, i = [], 0
    while i < len(widths):
        if isinstance(widths[i + 1], list):
            found += widths[i + 1]
            i += 2
        else:
            found.append(widths[i + 2])
            i += 3
    return max(float(width) for width in found)


def hashes_drawn_whole(pdf: bytes) -> set[str]:
    """Every SHA-256 written unbroken on one line that ends inside the page: where its
    run starts plus that many of the font's widest glyph is left of the page's right
    edge. (Text cut off at the edge is still in the PDF, so finding it in the extracted
    text is not enough.)"""
    whole = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        right_edge = float(page.mediabox.width)

        def visit(text, cm, tm, font, size, right_edge=right_edge):
            for found in SHA256.finditer(text):
                scale = tm[0] * cm[0]
                start = tm[4] * cm[0] + cm[4]
                end = start + found.end() * widest_glyph(font) / 1000 * size * scale
                if end <= right_edge:
                    whole.add(found.group())

        page.extract_text(visitor_text=visit)
    return whole


@pytest.fixture
def principal(client, user_with_role):
    user = user_with_role("principal")
    client.force_login(user)
    return user


def test_the_chronology_pdf_shows_every_sha256_in_full(client, principal):
    complaint = complaint_at("legal_advice")
    services.complaint_add_evidence(
        complaint=complaint,
        actor=principal,
        files=[
            evidence_check(upload("post.png")),
            evidence_check(upload("the-post-as-printed-for-the-solicitor-in-full.pdf", PDF)),
        ],
    )
    url = reverse("complaints:bundle", args=[complaint.reference])
    first = zipfile.ZipFile(io.BytesIO(client.post(url).content))
    second = zipfile.ZipFile(io.BytesIO(client.post(url).content))
    # The second bundle's chronology lists the first bundle's manifest too.
    hashes = set(SHA256.findall(first.read("MANIFEST-SHA256.txt").decode()))
    hashes |= {evidence.sha256 for evidence in complaint.evidence.all()}
    assert len(hashes) == 3
    assert hashes <= hashes_drawn_whole(second.read("chronology.pdf"))


def letter_text(letter_kind: str, complaint) -> str:
    return letter_html(LETTERS[letter_kind], complaint)


def test_the_letter_page_downloads_its_pdf_by_a_form_and_prints_without_inline_script(
    client, principal
):
    complaint = complaint_at("removal_requested")
    page = client.post(
        reverse("complaints:letter", args=[complaint.reference, "legal_warning"])
    ).content.decode()
    pdf_url = reverse("complaints:letter_pdf", args=[complaint.reference, "legal_warning"])
    download = re.search(r'<form method="post" action="([^"]+)">\s*<input[^>]*csrfmiddleware', page)
    assert download and download.group(1) == pdf_url
    assert "onclick" not in page and "data-print" in page
    assert f'<script src="{static("js/print.js")}" defer>' in page
    assert "window.print()" in Path(finders.find("js/print.js")).read_text()
    response = client.post(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")


def test_the_chairs_meeting_letter_waits_for_the_meeting_to_be_arranged(client, principal):
    complaint = complaint_at("legal_warning_given")
    url = reverse("complaints:letter", args=[complaint.reference, "governors_meeting"])
    assert url not in client.get(complaint.get_absolute_url()).content.decode()
    refused = client.post(url, follow=True)
    assert "Arrange the meeting with the chair of governors" in str(
        list(refused.context["messages"])[0]
    )
    assert not complaint.events.filter(kind="letter").exists()

    meeting_at = timezone.make_aware(datetime(2026, 3, 12, 18, 30))
    services.complaint_arrange_governors_meeting(
        complaint=complaint, actor=principal, meeting_at=meeting_at, place="the school library"
    )
    assert url in client.get(complaint.get_absolute_url()).content.decode()
    letter = client.post(url).content.decode()
    assert "on Thursday 12 March 2026 at 18:30 at the school library" in letter
    assert "____" not in letter


def test_a_letter_greets_the_poster_by_name_or_as_parent_carer(user_with_role):
    parent = user_with_role("parent", first_name="Jo", last_name="Bloggs")
    by_account = complaint_at("evidence_gathered", posted_by_parent=parent)
    by_name = complaint_at("evidence_gathered", posted_by_name="Mr K Smith")
    unknown = complaint_at("evidence_gathered", posted_by_name="")
    assert "Dear Jo Bloggs," in letter_text("parents_meeting", by_account)
    about_staff = complaint_at("evidence_gathered", about="staff")
    assert "concerning a member of staff." in letter_text("parents_meeting", about_staff)
    assert "Dear Mr K Smith," in letter_text("parents_meeting", by_name)
    text = letter_text("parents_meeting", unknown)
    assert "Dear Parent/Carer," in text and "Not known" not in text


def test_letters_about_the_principal_come_from_the_chair_of_governors(user_with_role):
    principal = user_with_role("principal")
    about_school = complaint_at("evidence_gathered")
    about_principal = complaint_at("evidence_gathered", about_principal=True)
    text = letter_text("parents_meeting", about_school)
    school = about_school.school.name  # the complaint's own school signs it
    assert "Office of the Principal" in text and f"Principal<br>{school}" in text
    assert "concerning the school." in text
    text = letter_text("parents_meeting", about_principal)
    assert "concerning the Principal." in text and "named staff" not in text
    assert f"Chair of Governors<br>{school}" in text
    assert "I am dealing with it as Chair of Governors" in text
    assert "Office of the Principal" not in text and "Principal<br>" not in text

    for complaint in (about_school, about_principal):
        for stage in ("parents_meeting", "removal_requested", "legal_warning_given"):
            complaint = move(complaint, stage, principal)
        services.complaint_arrange_governors_meeting(
            complaint=complaint, actor=principal, meeting_at=timezone.now(), place="the school"
        )
    about_school.refresh_from_db()
    about_principal.refresh_from_db()
    text = letter_text("governors_meeting", about_school)
    assert "this time with the Chair of Governors" in text
    assert "Principal, on behalf of the Chair of Governors" in text
    text = letter_text("governors_meeting", about_principal)
    assert "I, as Chair of Governors, am arranging a further meeting with you" in text
    assert "on behalf of" not in text and "Principal<br>" not in text


def test_letters_set_no_deadline_but_the_stages_due_date():
    for kind, stage in (
        ("parents_meeting", "evidence_gathered"),
        ("removal_request", "parents_meeting"),
    ):
        complaint = complaint_at(stage)
        text = letter_text(kind, complaint)
        assert "48 hours" not in text and "next week" not in text
        assert date_format(complaint.stage_due, "j F Y") in text
        OnlineComplaint.objects.filter(pk=complaint.pk).update(stage_due=None)
        complaint.refresh_from_db()
        assert " by " not in letter_text(kind, complaint).split("<h1")[1]


def test_the_removal_letter_says_the_platform_was_asked_only_once_recorded():
    before = letter_text("removal_request", complaint_at("parents_meeting"))
    assert "asked Facebook" not in before
    assert "the school may ask Facebook to review it" in before
    complaint = complaint_at("removal_requested")
    asked = timezone.localtime(complaint.removal_requests.get().requested_at)
    after = letter_text("removal_request", complaint)
    assert f"On {date_format(asked, 'j F Y')} the school also asked Facebook" in after
    assert "may ask" not in after
