"""Letters and the evidence bundle: documents produced from a complaint."""

import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from complaints.models import OnlineComplaint
from overstone.evidence import EvidenceTampered, name_for_type, portable_name
from overstone.pdf import html_to_pdf
from overstone.workflow import Refused


class LetterNotReady(Refused):
    """A letter that would have to leave blanks: what it gives is not recorded yet."""


@dataclass(frozen=True)
class Letter:
    """A printable letter; the stages that offer it say so (complaints.stages).
    ``requires`` raises ``LetterNotReady`` while something the letter states is missing."""

    kind: str
    title: str
    template: str
    requires: Callable[[OnlineComplaint], None] | None = None

    def is_ready(self, complaint: OnlineComplaint) -> bool:
        try:
            self.check_ready(complaint)
        except LetterNotReady:
            return False
        return True

    def check_ready(self, complaint: OnlineComplaint) -> None:
        if self.requires:
            self.requires(complaint)


def _require_arranged_meeting(complaint: OnlineComplaint) -> None:
    if complaint.governors_meeting_at is None:
        raise LetterNotReady(
            f"Arrange the meeting with the chair of governors for {complaint.reference} "
            "first: the letter gives its date, time and place."
        )


PARENTS_MEETING_LETTER = Letter(
    "parents_meeting",
    "Invitation to a meeting about an online post",
    "complaints/letters/parents_meeting.html",
)
REMOVAL_REQUEST_LETTER = Letter(
    "removal_request",
    "Request to remove online posts",
    "complaints/letters/removal_request.html",
)
LEGAL_WARNING_LETTER = Letter(
    "legal_warning",
    "Warning that further posts could lead to legal action",
    "complaints/letters/legal_warning.html",
)
GOVERNORS_MEETING_LETTER = Letter(
    "governors_meeting",
    "Invitation to a meeting with the chair of governors",
    "complaints/letters/governors_meeting.html",
    requires=_require_arranged_meeting,
)
LETTERS = {
    letter.kind: letter
    for letter in [
        PARENTS_MEETING_LETTER,
        REMOVAL_REQUEST_LETTER,
        LEGAL_WARNING_LETTER,
        GOVERNORS_MEETING_LETTER,
    ]
}


def letter_html(letter: Letter, complaint: OnlineComplaint, request=None, *, pdf=False) -> str:
    """The letter, written by the principal, or by the chair of governors when the
    complaint is about the principal (the conflict of interest the routing avoids)."""
    return render_to_string(
        letter.template,
        {
            "letter": letter,
            "complaint": complaint,
            "writer": "Chair of Governors" if complaint.about_principal else "Principal",
            "today": timezone.localdate(),
            # Only a removal request on record lets a letter say the school asked.
            "removal": complaint.removal_requests.first(),
            "pdf": pdf,
        },
        request=request,
    )


def letter_pdf(letter: Letter, complaint: OnlineComplaint, request=None) -> bytes:
    return html_to_pdf(letter_html(letter, complaint, request, pdf=True))


def chronology_pdf(complaint: OnlineComplaint) -> bytes:
    html = render_to_string(
        "complaints/chronology_pdf.html",
        {"complaint": complaint, "generated_at": timezone.localtime()},
    )
    return html_to_pdf(html)


def bundle_bytes(complaint: OnlineComplaint) -> tuple[bytes, str]:
    """The zip and its manifest: ``sha256  path`` for each file, as sha256sum prints."""
    files: list[tuple[str, bytes]] = [("chronology.pdf", chronology_pdf(complaint))]
    for number, evidence in enumerate(complaint.evidence.all(), start=1):
        with evidence.file.open("rb") as handle:
            content = handle.read()
        if hashlib.sha256(content).hexdigest() != evidence.sha256:
            raise EvidenceTampered(evidence)
        # As a download names it: the extension of its sniffed type, also for names kept
        # before uploads were renamed so (an e-mail export called evil.html).
        name = name_for_type(evidence.original_name, evidence.content_type)
        name = portable_name(f"{number:02d}-{name}")
        files.append((f"evidence/{name}", content))
    manifest = "".join(
        f"{hashlib.sha256(content).hexdigest()}  {name}\n" for name, content in files
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
        archive.writestr("MANIFEST-SHA256.txt", manifest)
    return buffer.getvalue(), manifest


def bundle_response(complaint: OnlineComplaint, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="{complaint.reference}-evidence-bundle-{stamp}.zip"'
    )
    return response
