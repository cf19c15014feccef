"""Checking and cleaning a registration document, the way evidence checks a deed's files
(kwamdee/evidence/services.py, a sibling in the layers that this app may not import): its size
before it is read whole, its type by its bytes (never its name), photos re-encoded from their
pixels alone (no EXIF, GPS or other metadata; turned upright; a pixel limit against decompression
bombs; downscaled), PDFs kept as they came. The same limits as evidence (settings.EVIDENCE_*)."""

import io
import warnings
from dataclasses import dataclass
from typing import Any

import puremagic
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from kwamdee.organizations.errors import DocumentRefused

DOCUMENT_FIELD = "document"
PHOTO_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


@dataclass(frozen=True)
class CleanDocument:
    content_type: str
    extension: str
    data: bytes


def _refuse(message: Any) -> DocumentRefused:
    return DocumentRefused(message, fields={DOCUMENT_FIELD: [message]})


def _read_limited(upload: Any) -> bytes:
    limit = settings.EVIDENCE_MAX_BYTES
    too_big = _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _refuse(too_big)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(too_big)
    if not data:
        raise _refuse(_("The file is empty."))
    return bytes(data)


def _photo_clean(data: bytes, content_type: str) -> CleanDocument:
    not_photo = _("The photo could not be opened. Send a JPEG, PNG or WebP photo.")
    max_pixels = settings.EVIDENCE_MAX_PIXELS
    too_many = _("The photo is too large (more than %(mp)s million pixels).") % {
        "mp": max_pixels // 1_000_000
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))  # the header only
            if image.format != PHOTO_FORMATS[content_type]:
                raise _refuse(not_photo)
            if image.size[0] * image.size[1] > max_pixels:  # before a pixel is decoded
                raise _refuse(too_many)
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(too_many) from None
    except (OSError, SyntaxError, ValueError):
        raise _refuse(not_photo) from None
    limit = settings.EVIDENCE_MAX_DIMENSION
    if max(image.size) > limit:
        image.thumbnail((limit, limit))
    # A new image from the pixels alone: none of the original's metadata comes along.
    clean = Image.new("RGB", image.size, "white")
    clean.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return CleanDocument("image/jpeg", "jpg", out.getvalue())


def document_clean(upload: Any) -> CleanDocument:
    """The document as it will be stored, or DocumentRefused (with translated words) for a file
    too large, empty, or neither a PDF nor a photo."""
    data = _read_limited(upload)
    try:
        content_type = str(puremagic.from_string(data, mime=True))
    except (puremagic.PureError, ValueError):
        content_type = ""
    if content_type in PHOTO_FORMATS:
        return _photo_clean(data, content_type)
    if content_type == "application/pdf" and data.startswith(b"%PDF-"):
        return CleanDocument("application/pdf", "pdf", data)
    raise _refuse(_("This is not a PDF document or a photo (JPEG, PNG, WebP)."))
