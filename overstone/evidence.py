"""Evidence files, one implementation for incidents and complaints.

Each app declares a concrete model (``class Evidence(EvidenceFile)`` with a foreign key
to its record), validates uploads with ``EvidenceForm`` (``evidence_check``), stores them
with ``evidence_create_many`` in a service decorated ``@evidence_atomic()`` (files written
aside, moved into place once the records commit) and serves them with
``evidence_response``. Files are stored under
MEDIA_ROOT/evidence/ with a random name, outside any public path; their type is sniffed
from the bytes; a SHA-256 is taken at upload and checked again at every download.
"""

import hashlib
import logging
import os
import re
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path, PurePath

import filetype
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.deconstruct import deconstructible
from django_scopes import scopes_disabled
from PIL import Image

from overstone.notify import notify
from overstone.roles import Role
from overstone.schools import each_school

logger = logging.getLogger(__name__)

# Under MEDIA_ROOT, which nothing serves: files go out only through evidence_response.
evidence_storage = FileSystemStorage()


@deconstructible
class RandomName:
    """The stored name never comes from the user."""

    def __call__(self, instance, filename: str) -> str:
        """A random name, with the extension of ``filename`` (the sniffed type's)."""
        name = uuid.uuid4().hex
        extension = PurePath(filename).suffix
        return f"evidence/{name[:2]}/{name}{extension}"


# What may be uploaded, by the type sniffed from the first bytes.
ALLOWED_TYPES = {
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/gif": "GIF image",
    "image/webp": "WebP image",
    "application/pdf": "PDF document",
    "message/rfc822": "E-mail export (.eml)",
}
# The extensions a file of each type may carry; the first is the one given to it.
EXTENSIONS = {
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/pdf": (".pdf",),
    "message/rfc822": (".eml",),
}
EMAIL_HEADER = re.compile(
    rb"^(Received|From|To|Subject|Date|Message-ID|MIME-Version|Return-Path|Delivered-To):",
    re.IGNORECASE | re.MULTILINE,
)


def sniff_content_type(head: bytes) -> str | None:
    """The content type of a file from its first bytes, or None if not recognised."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\x00" not in text and len(EMAIL_HEADER.findall(head)) >= 2:
        return "message/rfc822"
    return None


def _image_pixels(upload: UploadedFile) -> int | None:
    """Width x height from the image's header, without decoding it; None if unreadable."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:  # reads the header only, until .load()
            return image.width * image.height
    except Image.DecompressionBombError:
        return Image.MAX_IMAGE_PIXELS * 2  # more than any cap we would set
    except (OSError, SyntaxError, ValueError):
        return None
    finally:
        upload.seek(0)


def _image_is_whole(upload: UploadedFile) -> bool:
    """Decode the image fully: a truncated or corrupt file fails here, not in a viewer."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.load()
        return True
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    finally:
        upload.seek(0)


class EvidenceRejected(Exception):
    """An uploaded file that is refused, with the reason to show on the form."""


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    original_name: str
    content_type: str
    size: int
    sha256: str
    pixels: int = 0  # an image's width x height; 0 for other files


def clean_original_name(name: str) -> str:
    """The user's file name for display and download only: no folders, no control chars."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip(" .")
    return name[:200] or "evidence"


def name_for_type(name: str, content_type: str) -> str:
    """The user's file name with an extension of the type sniffed from its bytes: an e-mail
    export called ``evil.html`` becomes ``evil.eml``, so nothing opens it as a web page."""
    extensions = EXTENSIONS.get(content_type)
    if not extensions:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and f".{extension.lower()}" in extensions:
        return name
    stem = stem if dot else name
    return stem[: 200 - len(extensions[0])] + extensions[0]


# What Windows refuses in a file name; names in an archive must open anywhere.
WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{device}{n}" for device in ("COM", "LPT") for n in range(1, 10)
}


def portable_name(name: str) -> str:
    """``name`` as a file name any system can write: characters Windows forbids become
    ``_``, no trailing dots or spaces, and a reserved device name (CON, LPT1...) is
    prefixed."""
    name = WINDOWS_FORBIDDEN.sub("_", name).rstrip(" .")
    if name.split(".")[0].rstrip(" ").upper() in WINDOWS_RESERVED:
        name = f"_{name}"
    return name or "evidence"


def _pixels_text(pixels: int) -> str:
    if pixels < 1_000_000:
        return f"{pixels:,} pixels"
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0") + " megapixels"


def evidence_check(upload: UploadedFile, *, pixels_left: int | None = None) -> CheckedFile:
    """Validate one upload against the size limits and the allow-list, and hash it.

    An image is measured from its header before it is decoded: it may have at most
    OVERSTONE_EVIDENCE_MAX_PIXELS, and no more than ``pixels_left`` (what the rest of its
    upload leaves of OVERSTONE_EVIDENCE_MAX_UPLOAD_PIXELS).
    """
    name = clean_original_name(upload.name or "")
    limit = settings.OVERSTONE_EVIDENCE_MAX_BYTES
    if upload.size == 0:
        raise EvidenceRejected(f"“{name}” is empty (0 bytes).")
    if upload.size > limit:
        raise EvidenceRejected(
            f"“{name}” is {upload.size / 1_000_000:.1f} MB; the limit is "
            f"{limit / 1_000_000:.0f} MB."
        )
    upload.seek(0)
    content_type = sniff_content_type(upload.read(8192))
    if content_type not in ALLOWED_TYPES:
        allowed = ", ".join(ALLOWED_TYPES.values())
        raise EvidenceRejected(
            f"“{name}” is not a file type we accept, whatever its name says. Allowed: {allowed}."
        )
    pixels = 0
    if content_type.startswith("image/"):
        pixels = _image_pixels(upload)
        damaged = f"“{name}” is a damaged or incomplete image; capture it again."
        if pixels is None:
            raise EvidenceRejected(damaged)
        _check_pixels(name, pixels, pixels_left)
        if not _image_is_whole(upload):
            raise EvidenceRejected(damaged)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        upload,
        name_for_type(name, content_type),
        content_type,
        upload.size,
        digest.hexdigest(),
        pixels,
    )


def _check_pixels(name: str, pixels: int, pixels_left: int | None) -> None:
    limit = settings.OVERSTONE_EVIDENCE_MAX_PIXELS
    if pixels > limit:
        raise EvidenceRejected(
            f"“{name}” is {_pixels_text(pixels)}; the limit is {_pixels_text(limit)} an "
            "image. Save a smaller screenshot."
        )
    if pixels_left is not None and pixels > pixels_left:
        total = settings.OVERSTONE_EVIDENCE_MAX_UPLOAD_PIXELS
        raise EvidenceRejected(
            f"“{name}” takes these images over {_pixels_text(total)} in one upload; add it "
            "in a separate upload."
        )


class EvidenceFile(models.Model):
    """Fields every evidence file has; subclasses add the record it belongs to."""

    file = models.FileField(storage=evidence_storage, upload_to=RandomName(), max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    captured_url = models.URLField("captured from URL", max_length=2000, blank=True)
    captured_at = models.DateTimeField("captured at", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def type_label(self) -> str:
        return ALLOWED_TYPES.get(self.content_type, self.content_type)

    @property
    def chronology_line(self) -> str:
        """How the record's chronology names this file when it is added."""
        return f"{self.original_name} ({self.type_label}), SHA-256 {self.sha256}"

    def current_sha256(self) -> str:
        digest = hashlib.sha256()
        with self.file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
        return digest.hexdigest()

    def is_intact(self) -> bool:
        try:
            return self.current_sha256() == self.sha256
        except FileNotFoundError:
            return False


# The files written aside by the evidence_atomic block being run: (aside name, final name).
_written_aside: ContextVar[list[tuple[str, str]] | None] = ContextVar(
    "evidence_written_aside", default=None
)
ASIDE_SUFFIX = ".part"


@contextmanager
def evidence_atomic():
    """``transaction.atomic`` for a service that stores evidence files (as a decorator or a
    ``with`` block): each file is written aside, as ``<name>.part`` in its own folder, and
    moved into place once the transaction has committed; if it rolls back they are
    removed. A worker killed half-way leaves ``.part`` files, which no record names and
    the daily evidence_orphans_report removes. Inside another evidence_atomic block this
    joins it."""
    if _written_aside.get() is not None:
        yield
        return
    written: list[tuple[str, str]] = []
    token = _written_aside.set(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for aside, _ in written:
            evidence_storage.delete(aside)
        raise
    else:
        for aside, final in written:
            os.replace(evidence_storage.path(aside), evidence_storage.path(final))
    finally:
        _written_aside.reset(token)


@evidence_atomic()
def evidence_create(
    *, model: type[EvidenceFile], checked: CheckedFile, actor, **fields
) -> EvidenceFile:
    evidence = model(
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        **fields,
    )
    final = evidence.file.field.generate_filename(
        evidence, name_for_type("evidence", checked.content_type)
    )
    aside = evidence_storage.save(final + ASIDE_SUFFIX, checked.upload)
    _written_aside.get().append((aside, final))
    evidence.file.name = final
    evidence.save()
    return evidence


def evidence_create_many(
    *,
    model: type[EvidenceFile],
    files: list[CheckedFile],
    actor,
    captured_url: str = "",
    captured_at=None,
    **record,
) -> list[EvidenceFile]:
    """Store checked uploads for one record (``incident=...`` or ``complaint=...``); where
    and when they were captured applies to every file of one upload."""
    return [
        evidence_create(
            model=model,
            checked=checked,
            actor=actor,
            captured_url=captured_url,
            captured_at=captured_at,
            **record,
        )
        for checked in files
    ]


def evidence_erase(evidence: models.QuerySet) -> int:
    """Delete evidence rows, and their files once the transaction has committed (so a
    rollback never leaves rows pointing at missing files)."""
    names = list(evidence.values_list("file", flat=True))
    deleted, _ = evidence.delete()

    def delete_files() -> None:
        for name in names:
            evidence_storage.delete(name)

    transaction.on_commit(delete_files)
    return deleted


def stored_files_referenced() -> set[str]:
    """The names of every file in the evidence store that a record refers to: evidence of
    any kind, and anything else kept there (the annual report PDFs)."""
    names: set[str] = set()
    # Every school's records, on purpose: the store is one for the whole trust, and a
    # file of another school's record is no orphan.
    with scopes_disabled():
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.FileField) and field.storage is evidence_storage:
                    names.update(
                        model._default_manager.exclude(**{field.name: ""})
                        .values_list(field.name, flat=True)
                        .iterator()
                    )
    return names


def stored_files_unreferenced() -> list[str]:
    """Files in the evidence store that no record refers to (left by an interrupted
    upload, or put there by hand), by name under MEDIA_ROOT."""
    media = Path(settings.MEDIA_ROOT)
    if not media.exists():
        return []
    referenced = stored_files_referenced()
    stored = (path.relative_to(media).as_posix() for path in media.rglob("*") if path.is_file())
    return sorted(name for name in stored if name not in referenced)


# A file written aside is an upload being saved, for seconds; one this old was left by a
# worker killed half-way (no request or task runs anywhere near as long).
INTERRUPTED_AFTER = timedelta(hours=1)


def interrupted_uploads_remove() -> int:
    """Delete the files written aside (``<name>.part``) by uploads that never finished:
    no record ever refers to one, so nothing a record needs is touched. Returns how many."""
    media = Path(settings.MEDIA_ROOT)
    if not media.exists():
        return 0
    before = time.time() - INTERRUPTED_AFTER.total_seconds()
    removed = 0
    for path in media.rglob(f"*{ASIDE_SUFFIX}"):
        if path.is_file() and path.stat().st_mtime < before:
            path.unlink(missing_ok=True)
            removed += 1
    if removed:
        logger.warning("Removed %d file(s) left by interrupted uploads.", removed)
    return removed


def evidence_orphans_report() -> int:
    """Remove what interrupted uploads left, then count the other files no record refers
    to; log their names and e-mail the principal the count. Those are neither deleted nor
    moved: a person decides what they were. An upload being saved now is left alone."""
    interrupted_uploads_remove()
    orphans = [name for name in stored_files_unreferenced() if not name.endswith(ASIDE_SUFFIX)]
    if not orphans:
        return 0
    media = Path(settings.MEDIA_ROOT)
    size = sum((media / name).stat().st_size for name in orphans)
    logger.warning("%d stored file(s) belong to no record: %s", len(orphans), ", ".join(orphans))
    context = {"count": len(orphans), "megabytes": size / 1_000_000, "media": media}
    # The files belong to no record, so to no school: every school's principal is told.
    for _ in each_school():
        notify("overstone/emails/evidence_orphans", context, to=[Role.PRINCIPAL])
    return len(orphans)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleEvidenceField(forms.FileField):
    """Several files in one input; each is checked, and every refusal is listed."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not uploads:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        checked, errors = [], []
        pixels_left = settings.OVERSTONE_EVIDENCE_MAX_UPLOAD_PIXELS
        for upload in uploads:
            try:
                checked.append(evidence_check(upload, pixels_left=pixels_left))
            except EvidenceRejected as refusal:
                errors.append(str(refusal))
            else:
                pixels_left -= checked[-1].pixels
        if errors:
            raise forms.ValidationError(errors)
        return checked


class EvidenceForm(forms.Form):
    """Files with where and when they were captured (applies to all files in one upload)."""

    files = MultipleEvidenceField(
        label="Evidence files",
        required=False,
        help_text="Screenshots (PNG, JPEG, GIF, WebP), PDF or an e-mail export (.eml); "
        "several at once are fine.",
    )
    captured_url = forms.URLField(
        label="Captured from URL",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="The address of the post or page, if the evidence is a capture of one.",
    )
    captured_at = forms.DateTimeField(
        label="Captured at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def evidence_fields(self) -> dict:
        return {
            "captured_url": self.cleaned_data.get("captured_url") or "",
            "captured_at": self.cleaned_data.get("captured_at"),
        }


class EvidenceAddForm(EvidenceForm):
    """Evidence added to an existing record: at least one file."""

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError("Choose at least one file.")
        return files


class EvidenceTampered(Exception):
    """The stored bytes no longer match the SHA-256 taken at upload."""


def evidence_response(evidence: EvidenceFile) -> FileResponse:
    """The file as a download, after checking it is the file that was uploaded."""
    if not evidence.is_intact():
        raise EvidenceTampered(evidence)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=name_for_type(evidence.original_name, evidence.content_type),
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def evidence_download(request, evidence: EvidenceFile, *, record, tampered) -> HttpResponse:
    """Serve one evidence file of ``record`` to a user the view has let through, recorded in
    the audit log (by number: a file's name may name someone). A file that no longer
    matches its SHA-256 is refused with a warning (409) and ``tampered(evidence=...,
    actor=...)``, the owning app's service, notes it in the record's chronology."""
    from overstone.audit import Action, audit_record

    audit_record(
        request, Action.DOWNLOAD, evidence, reference=f"{record.reference} evidence #{evidence.pk}"
    )
    try:
        return evidence_response(evidence)
    except EvidenceTampered:
        return evidence_tampered_response(request, evidence, record=record, tampered=tampered)


def evidence_tampered_response(request, evidence, *, record, tampered) -> HttpResponse:
    """The warning for a file that failed its check, noted by the owning app's service."""
    tampered(evidence=evidence, actor=request.user)
    context = {"evidence": evidence, "record": record, "kind": record._meta.verbose_name}
    return render(request, "evidence_tampered.html", context, status=409)
