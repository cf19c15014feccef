"""The authorization matrix's rows for assessment templates as XLSX workbooks (kwamdee/exchange,
issue 13): staff who manage templates (the staff role) download and upload; everyone else is 403
(the web asks a visitor to sign in; the API answers 401)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from kwamdee.assessments.selectors import template_in_force
from tests.security.matrix_rows import A, Row, only

STAFF_ONLY_API = {"anon": 401, "staff": 200, "*": 403}


def _not_a_workbook(data, role):
    return {"file": SimpleUploadedFile("t.xlsx", b"not a workbook", content_type="application/octet-stream")}


WEB: list[Row] = [
    Row("GET", "/assessments/templates/{template}/workbook.xlsx", only("staff", 200)),
    Row("GET", "/assessments/templates/workbook/", only("staff", 200)),
    # An empty form comes back to staff with its error; nothing is saved.
    Row("POST", "/assessments/templates/workbook/", only("staff", 400)),
]

API: list[Row] = [
    Row(
        "GET",
        f"{A}/assessments/templates/{{template}}/workbook",
        STAFF_ONLY_API,
        api_template=f"{A}/assessments/templates/{{public_id}}/workbook",
    ),
    Row(
        "POST",
        f"{A}/assessments/templates/workbook",
        {"anon": 401, "staff": 400, "*": 403},
        body=_not_a_workbook,
        upload=True,
        api_template=f"{A}/assessments/templates/workbook",
    ),
]


def objects() -> dict[str, str]:
    template = template_in_force()
    assert template is not None, "the default template is migration data"
    return {"template": str(template.public_id)}
