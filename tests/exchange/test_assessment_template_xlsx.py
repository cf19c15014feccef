"""Assessment templates as XLSX: exported, edited in a spreadsheet, imported as the next version;
every problem named by sheet and row, nothing written; the safe reading refuses what is not a
workbook."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from kwamdee.assessments.documents import template_document
from kwamdee.assessments.errors import TemplateInvalid
from kwamdee.assessments.models import Template
from kwamdee.assessments.selectors import template_in_force
from kwamdee.common.errors import PermissionDenied
from kwamdee.exchange.assessment_templates import template_import_xlsx, template_xlsx
from tests.assessments.helpers import SYSTEM
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def _book(content: bytes):
    return load_workbook(io.BytesIO(content))


def _bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_template_goes_out_and_comes_back_as_the_next_version_unchanged():
    current = template_in_force()
    content = template_xlsx(template_document(current))
    assert set(_book(content).sheetnames) == {"template", "sources", "levels", "items"}
    imported = template_import_xlsx(actor=SYSTEM, content=content)
    assert imported.version == current.version + 1
    assert template_document(imported) == template_document(current)


def test_an_edited_threshold_is_imported_and_a_wrong_rule_is_named_by_its_row():
    current = template_in_force()
    book = _book(template_xlsx(template_document(current)))
    items = book["items"]
    header = [c.value for c in items[1]]
    items.cell(row=2, column=header.index("threshold_full") + 1, value=90)
    imported = template_import_xlsx(actor=SYSTEM, content=_bytes(book))
    first = template_document(imported)["activities"][0]["items"][0]
    assert first["threshold_full"] == "90"

    items.cell(row=3, column=header.index("rule") + 1, value="guess")
    before = Template.objects.count()
    with pytest.raises(TemplateInvalid) as refused, translation.override("en"):
        template_import_xlsx(actor=SYSTEM, content=_bytes(book))
    assert any(place.startswith("items, row 3") for place in refused.value.fields), refused.value.fields
    assert Template.objects.count() == before


def test_what_is_not_a_workbook_or_lacks_a_sheet_is_refused_and_only_staff_import():
    with pytest.raises(TemplateInvalid) as refused:
        template_import_xlsx(actor=SYSTEM, content=b"PK\x03\x04 not a zip at all")
    assert "file" in refused.value.fields
    book = _book(template_xlsx(template_document(template_in_force())))
    book.remove(book["levels"])
    with pytest.raises(TemplateInvalid) as refused:
        template_import_xlsx(actor=SYSTEM, content=_bytes(book))
    assert "levels" in str(refused.value.fields["file"][0])
    with pytest.raises(PermissionDenied):
        template_import_xlsx(actor=make_person(), content=_bytes(book))


def _staff():
    from kwamdee.common.roles import Role, role_grant
    from tests.assessments.helpers import fresh

    person = make_person(name="เจ้าหน้าที่ แบบประเมิน")
    role_grant(actor=SYSTEM, person=person, role=Role.STAFF)
    return fresh(person)


def test_the_pages_download_a_workbook_and_take_one_back(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    current = template_in_force()
    client.force_login(_staff())
    download = client.get(f"/assessments/templates/{current.public_id}/workbook.xlsx")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment;")
    book = _book(download.content)
    book["levels"].cell(row=2, column=1, value="")  # a level without its code
    upload = SimpleUploadedFile("t.xlsx", _bytes(book), content_type="application/octet-stream")
    refused = client.post("/assessments/templates/workbook/", {"file": upload})
    assert refused.status_code == 400 and "แผ่นงาน levels แถวที่ 2" in refused.content.decode()
    upload = SimpleUploadedFile("t.xlsx", download.content, content_type="application/octet-stream")
    saved = client.post("/assessments/templates/workbook/", {"file": upload})
    assert saved.status_code == 302 and template_in_force().version == current.version + 1


def test_the_api_downloads_a_workbook_and_imports_one(client):
    from tests.api.test_api import token_for

    token = token_for(client, _staff().phone)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    current = template_in_force()
    download = client.get(f"/api/v1/assessments/templates/{current.public_id}/workbook", **auth)
    assert download.status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("t.xlsx", download.content)
    answer = client.post("/api/v1/assessments/templates/workbook", {"file": upload}, **auth)
    assert answer.status_code == 201 and answer.json()["version"] == current.version + 1
