"""Evidence sent with a deed: sniffed from the bytes, limited, photos re-encoded without EXIF."""

import hashlib
import io

import pytest
from PIL import Image

from kwamdee.common.models import AuditEvent
from kwamdee.deeds.models import Deed
from kwamdee.deeds.services import deed_record
from kwamdee.evidence.errors import EvidenceRefused
from kwamdee.evidence.models import EvidenceFile
from kwamdee.evidence.services import evidence_attach
from tests.evidence.conftest import stored_files
from tests.evidence.helpers import (
    bomb_png,
    html_as_jpg,
    jpeg_with_gps,
    pdf,
    php_as_jpg,
    png,
    zip_file,
)
from tests.factories import days_ago

pytestmark = pytest.mark.django_db


def record(person, deed_type, files, **extra):
    return deed_record(
        actor=person, deed_type_public_id=deed_type.public_id, performed_on=days_ago(1),
        description="ปลูกต้นไม้หน้าบ้าน", quantity=2, evidence_files=files, **extra,
    )  # fmt: skip


def test_a_photo_with_gps_is_stored_without_any_exif(citizen, photo_type, media_root):
    upload = jpeg_with_gps()
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(0x8825)  # the test file has GPS
    upload.seek(0)
    deed = record(citizen, photo_type, [upload])
    (evidence,) = EvidenceFile.objects.filter(deed=deed)
    stored = evidence.file.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and evidence.content_type == "image/jpeg"
    assert len(image.getexif()) == 0
    assert "exif" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info
    assert b"PhoneMaker" not in stored and b"Exif" not in stored
    assert image.size == (240, 320)  # turned upright by the orientation tag, then dropped it
    assert evidence.sha256 == hashlib.sha256(stored).hexdigest() and evidence.size == len(stored)
    assert evidence.kind == "photo" and evidence.uploaded_by == citizen
    assert "garden" not in evidence.file.name  # the person's file name is not kept
    assert len(stored_files(media_root)) == 1


def test_one_audit_event_per_attach_with_counts_not_names(citizen, photo_type):
    deed = record(citizen, photo_type, [jpeg_with_gps(), png()])
    event = AuditEvent.objects.get(event_type="evidence:attach")
    assert event.subject_id == str(deed.public_id)
    assert event.data["files"] == 2 and event.data["kinds"] == {"photo": 2}
    assert "garden" not in str(event.data)


def test_large_photos_are_downscaled(citizen, photo_type, settings):
    settings.EVIDENCE_MAX_DIMENSION = 100
    deed = record(citizen, photo_type, [png(size=(400, 200))])
    image = Image.open(EvidenceFile.objects.get(deed=deed).file)
    assert max(image.size) == 100


@pytest.mark.parametrize(
    "upload, name",
    [(php_as_jpg, "shell.jpg"), (html_as_jpg, "page.jpg"), (zip_file, "photos.zip")],
)
def test_files_that_are_not_photos_or_pdfs_are_refused_by_their_bytes(
    citizen, photo_type, media_root, upload, name
):
    with pytest.raises(EvidenceRefused) as refused:
        record(citizen, photo_type, [jpeg_with_gps(), upload()])
    message = refused.value.fields["evidence_files"][0]
    assert name in message and refused.value.code == "evidence_refused"
    assert "JPEG, PNG, WebP" in message and "PDF" in message  # what is accepted, in either language
    assert not Deed.objects.exists() and not EvidenceFile.objects.exists()
    assert stored_files(media_root) == []  # the good photo was not written either


def test_an_oversized_file_is_refused_before_it_is_read(citizen, photo_type, settings):
    settings.EVIDENCE_MAX_BYTES = 1024

    class Huge:
        name = "huge.jpg"
        size = 10 * 1024 * 1024

        def read(self, *args):  # pragma: no cover - must not be called
            raise AssertionError("read whole")

    with pytest.raises(EvidenceRefused) as refused:
        record(citizen, photo_type, [Huge()])
    assert "huge.jpg" in refused.value.message and "1 MB" not in refused.value.message


def test_a_file_larger_than_it_says_is_cut_at_the_limit(citizen, photo_type, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    upload = png(size=(600, 600))
    upload.size = 10  # a lying size: reading stops one byte after the limit
    with pytest.raises(EvidenceRefused):
        record(citizen, photo_type, [upload])


def test_a_decompression_bomb_is_refused(citizen, photo_type):
    with pytest.raises(EvidenceRefused) as refused:
        record(citizen, photo_type, [bomb_png()])
    assert "bomb.png" in refused.value.message and "40" in refused.value.message  # million pixels


def test_at_most_four_files(citizen, photo_type):
    with pytest.raises(EvidenceRefused):
        record(citizen, photo_type, [png() for _ in range(5)])


def test_a_deed_type_asking_for_a_photo_refuses_a_deed_without_one(citizen, photo_type):
    with pytest.raises(Exception) as refused:
        record(citizen, photo_type, [])
    assert "evidence_files" in refused.value.fields
    with pytest.raises(Exception) as refused:
        record(citizen, photo_type, [pdf()])  # a document is not a photo
    assert refused.value.code == "evidence_required"
    assert not Deed.objects.exists()


def test_a_pdf_is_stored_as_it_came_for_a_document_type(citizen, document_type):
    upload = pdf()
    deed = deed_record(
        actor=citizen, deed_type_public_id=document_type.public_id, performed_on=days_ago(1),
        description="คืนกระเป๋า", evidence_files=[upload],
    )  # fmt: skip
    evidence = EvidenceFile.objects.get(deed=deed)
    upload.seek(0)
    assert evidence.kind == "document" and evidence.content_type == "application/pdf"
    assert evidence.file.read() == upload.read()


def test_deed_types_without_evidence_take_none(citizen, deed_types):
    deed = deed_record(
        actor=citizen, deed_type_public_id=deed_types["returning-lost-property"].public_id,
        performed_on=days_ago(1), description="คืนกระเป๋า",
    )  # fmt: skip
    assert deed.evidence_files.count() == 0


def test_files_written_for_a_deed_that_rolls_back_are_deleted(citizen, photo_type, media_root, monkeypatch):
    import kwamdee.evidence.services as services

    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "audit_record", fail)  # after the files are written
    with pytest.raises(RuntimeError):
        record(citizen, photo_type, [jpeg_with_gps(), png()])
    assert not Deed.objects.exists() and stored_files(media_root) == []


def test_attach_alone_cleans_up_after_itself(citizen, deed_types, media_root, monkeypatch):
    deed = deed_record(
        actor=citizen, deed_type_public_id=deed_types["returning-lost-property"].public_id,
        performed_on=days_ago(1), description="คืนกระเป๋า",
    )  # fmt: skip
    import kwamdee.evidence.services as services

    monkeypatch.setattr(services, "audit_record", lambda **kw: (_ for _ in ()).throw(RuntimeError()))
    with pytest.raises(RuntimeError):
        evidence_attach(actor=citizen, deed=deed, files=[png()])
    assert stored_files(media_root) == []
