"""Files for the evidence tests, made in code (no binary in the repository)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825


def jpeg_with_gps(name: str = "garden.jpg", size: tuple[int, int] = (320, 240)) -> SimpleUploadedFile:
    """A JPEG whose EXIF holds a camera make, an orientation and a GPS position (Bangkok)."""
    image = Image.new("RGB", size, (46, 125, 50))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (13.0, 45.0, 0.0), 3: "E", 4: (100.0, 30.0, 0.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(name: str = "photo.png", size: tuple[int, int] = (64, 48), mode: str = "RGB") -> SimpleUploadedFile:
    image = Image.new(mode, size)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf(name: str = "receipt.pdf") -> SimpleUploadedFile:
    data = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def php_as_jpg() -> SimpleUploadedFile:
    return SimpleUploadedFile("shell.jpg", b"<?php system($_GET['c']); ?>\n", content_type="image/jpeg")


def html_as_jpg() -> SimpleUploadedFile:
    body = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    return SimpleUploadedFile("page.jpg", body, content_type="image/jpeg")


def zip_file() -> SimpleUploadedFile:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "hello")
    return SimpleUploadedFile("photos.zip", out.getvalue(), content_type="application/zip")


def bomb_png() -> SimpleUploadedFile:
    """100 million pixels in a few kilobytes: a decompression bomb."""
    image = Image.new("1", (10_000, 10_000))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png")
