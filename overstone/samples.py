"""Small real files of each accepted evidence type, for demo data and tests."""

import base64

from django.core.files.uploadedfile import SimpleUploadedFile

# A valid 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EML = (
    b"From: parent@example.org\r\nTo: office@school.example\r\n"
    b"Subject: Post about Mr Smith\r\nDate: Mon, 5 Oct 2026 09:00:00 +0100\r\n\r\nSee link.\r\n"
)


def upload(name: str = "screenshot.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
