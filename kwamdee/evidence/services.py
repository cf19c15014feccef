"""Writes about evidence: checking, cleaning and storing the files sent with a deed.

Each upload is checked before it is read whole (its size), then by its bytes (never its name or
the browser's word): JPEG, PNG and WebP are photos, PDF is a document. Photos are opened with a
pixel limit (a decompression bomb is refused), turned upright and re-encoded without any
metadata (EXIF, GPS, XMP, ICC), downscaled to EVIDENCE_MAX_DIMENSION. PDFs are stored as they
came: they are checked to be PDFs within the size limit, not sanitized (a verifier's browser opens
them; the serving view sends them as attachments with `nosniff`)."""

import contextvars
import hashlib
import io
import uuid
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import puremagic
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from kwamdee.common.audit import audit_record
from kwamdee.common.text_validation import text_problems
from kwamdee.evidence.choices import DOCUMENT_TYPES, PHOTO_TYPES, EvidenceKind
from kwamdee.evidence.errors import EVIDENCE_FIELD, EvidenceRefused, EvidenceRequired
from kwamdee.evidence.events import EvidenceEvent
from kwamdee.evidence.models import EvidenceFile

CHOOSE_AGAIN = _("Please choose your files again.")
NAME_SHOWN_MAX = 60

# The names of files written inside `evidence_writes_undone_on_failure`, deleted if it fails.
_written: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("evidence_written", default=None)


@dataclass(frozen=True)
class _Clean:
    kind: str
    content_type: str
    extension: str
    data: bytes


def _shown_name(upload: Any) -> str:
    """The file's name as the person chose it, for the error message only (never stored)."""
    name = str(getattr(upload, "name", "") or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if not name or text_problems(name):
        return str(_("your file"))
    return name if len(name) <= NAME_SHOWN_MAX else name[: NAME_SHOWN_MAX - 1] + "…"


def _refuse(upload: Any, message: Any) -> EvidenceRefused:
    text = f"“{_shown_name(upload)}”: {message} {CHOOSE_AGAIN}"
    return EvidenceRefused(text, fields={EVIDENCE_FIELD: [text]})


def _read_limited(upload: Any) -> bytes:
    limit = settings.EVIDENCE_MAX_BYTES
    megabytes = limit // (1024 * 1024)
    too_big = _("The file is larger than %(mb)s MB.") % {"mb": megabytes}
    size = getattr(upload, "size", None)
    if size is not None and size > limit:  # known from the upload before anything is read
        raise _refuse(upload, too_big)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)  # never more than the limit (and one byte to tell)
    if len(data) > limit:
        raise _refuse(upload, too_big)
    if not data:
        raise _refuse(upload, _("The file is empty."))
    return bytes(data)


def _sniff(data: bytes) -> str:
    try:
        return str(puremagic.from_string(data, mime=True))
    except puremagic.PureError:
        return ""


def _photo_clean(upload: Any, data: bytes, content_type: str) -> _Clean:
    not_photo = _("The photo could not be opened. Send a JPEG, PNG or WebP photo.")
    expected = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}[content_type]
    max_pixels = settings.EVIDENCE_MAX_PIXELS
    too_many = _("The photo is too large (more than %(mp)s million pixels).") % {
        "mp": max_pixels // 1_000_000
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))  # reads the header only
            if image.format != expected:
                raise _refuse(upload, not_photo)
            width, height = image.size
            if width * height > max_pixels:  # before a single pixel is decoded
                raise _refuse(upload, too_many)
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(upload, too_many) from None
    except (OSError, SyntaxError, ValueError):
        raise _refuse(upload, not_photo) from None
    limit = settings.EVIDENCE_MAX_DIMENSION
    if max(image.size) > limit:
        image.thumbnail((limit, limit))
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    # A new image from the pixels alone: nothing of the original's metadata can come along.
    if has_alpha:
        clean = Image.new("RGBA", image.size)
        clean.paste(image.convert("RGBA"))
        out = io.BytesIO()
        clean.save(out, format="PNG", optimize=True)
        return _Clean(EvidenceKind.PHOTO, "image/png", "png", out.getvalue())
    clean = Image.new("RGB", image.size)
    clean.paste(image.convert("RGB"))
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return _Clean(EvidenceKind.PHOTO, "image/jpeg", "jpg", out.getvalue())


def _file_clean(upload: Any) -> _Clean:
    data = _read_limited(upload)
    content_type = _sniff(data)
    if content_type in PHOTO_TYPES:
        return _photo_clean(upload, data, content_type)
    if content_type in DOCUMENT_TYPES and data.startswith(b"%PDF-"):
        return _Clean(EvidenceKind.DOCUMENT, "application/pdf", "pdf", data)
    raise _refuse(upload, _("This is not a photo (JPEG, PNG, WebP) or a PDF document."))


@contextmanager
def evidence_writes_undone_on_failure() -> Iterator[None]:
    """Around a transaction that attaches evidence: if it fails (and rolls back), the files it
    wrote are deleted from storage. Use it outside the `transaction.atomic` block."""
    written: list[str] = []
    token = _written.set(written)
    try:
        yield
    except BaseException:
        evidence_files_delete(written)
        raise
    finally:
        _written.reset(token)


def evidence_files_delete(names: Sequence[str]) -> None:
    """Deletes stored files by name (what a rollback left behind, or what erasure removes)."""
    for name in names:
        if name:
            default_storage.delete(name)


def evidence_attach(
    *, actor: Any, deed: Any, files: Sequence[Any], required_kind: str | None = None
) -> list[EvidenceFile]:
    """Checks, cleans and stores `files` for `deed` (whose caller checked that `actor` may add to
    it). With `required_kind`, at least one file must be of that kind. Every file is checked before
    any is written: one refused file refuses them all. One audit event for the whole attach."""
    files = [f for f in files if f is not None]
    if len(files) > settings.EVIDENCE_MAX_FILES:
        text = _("Send at most %(n)s files.") % {"n": settings.EVIDENCE_MAX_FILES}
        text = f"{text} {CHOOSE_AGAIN}"
        raise EvidenceRefused(text, fields={EVIDENCE_FIELD: [text]})
    cleaned = [_file_clean(upload) for upload in files]
    # A document may come as a PDF or as a photo of the paper; a photo must be a photo.
    enough = any(c.kind == required_kind or required_kind == EvidenceKind.DOCUMENT for c in cleaned)
    if required_kind and not enough:
        raise evidence_required_error(required_kind)
    stored: list[EvidenceFile] = []
    written = _written.get()
    names: list[str] = []
    try:
        for item in cleaned:
            evidence = EvidenceFile(
                deed=deed, uploaded_by=actor, kind=item.kind, content_type=item.content_type,
                size=len(item.data), sha256=hashlib.sha256(item.data).hexdigest(),
            )  # fmt: skip
            # A random name: nothing of the person's own file name is kept.
            evidence.file.save(f"{uuid.uuid4().hex}.{item.extension}", ContentFile(item.data), save=False)
            names.append(evidence.file.name or "")
            if written is not None:
                written.append(evidence.file.name or "")
            evidence.save()
            stored.append(evidence)
        if stored:
            kinds: dict[str, int] = {}
            for evidence in stored:
                kinds[evidence.kind] = kinds.get(evidence.kind, 0) + 1
            audit_record(
                actor=actor, event=EvidenceEvent.ATTACH, subject_id=deed.public_id,
                data={"files": len(stored), "kinds": kinds, "sha256": [e.sha256 for e in stored]},
            )  # fmt: skip
    except BaseException:
        if written is None:  # nobody else will clean up
            evidence_files_delete(names)
        raise
    return stored


def evidence_required_error(kind: str) -> EvidenceRequired:
    text = (
        _("This deed type needs a photo of what you did. Choose at least one photo.")
        if kind == EvidenceKind.PHOTO
        else _("This deed type needs a document (a PDF or a photo of it). Choose at least one file.")
    )
    return EvidenceRequired(text, fields={EVIDENCE_FIELD: [text]})


def photo_clean(upload: Any) -> tuple[str, str, bytes]:
    """A photo checked and cleaned as evidence photos are (size before reading, bytes sniffed,
    pixel limit, metadata dropped): (content type, file extension, bytes). Refuses anything else
    (`EvidenceRefused`, on the field `evidence`). For other apps' pictures (a privilege's photo)."""
    data = _read_limited(upload)
    content_type = _sniff(data)
    if content_type not in PHOTO_TYPES:
        raise _refuse(upload, _("This is not a photo. Send a JPEG, PNG or WebP photo."))
    cleaned = _photo_clean(upload, data, content_type)
    return cleaned.content_type, cleaned.extension, cleaned.data
