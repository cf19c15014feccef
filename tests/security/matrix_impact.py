"""The authorization matrix's rows for the public directory, an organization's page, its "how it
was computed" page and its report (kwamdee/impact, issue 13), and the objects they name.

An approved and listed organization is public; an approved one that is not listed is its own
people's and staff's (404 to anyone else, as if it did not exist); one waiting for staff is
nobody's page yet (404). The API answers listed organizations only."""

from kwamdee.organizations.choices import MembershipRole
from kwamdee.organizations.models import Organization
from kwamdee.organizations.services import membership_grant, organization_create
from kwamdee.people.models import User
from tests.factories import SYSTEM
from tests.security.matrix_rows import EVERYONE, A, Row

PAGE = "/organizations/o"
OWN = {"verifier": 200, "staff": 200, "*": 404}

WEB: list[Row] = [
    Row("GET", "/organizations/directory/", EVERYONE),
    Row("GET", "/organizations/directory/?q=อบต&province=71", EVERYONE),
    *[
        Row("GET", f"{PAGE}/{{org_listed}}/{tail}", {"*": 200})
        for tail in ("", "how/", "report.pdf", "report.xlsx?year=2020")
    ],
    *[
        Row("GET", f"{PAGE}/{{org_unlisted}}/{tail}", OWN)
        for tail in ("", "how/", "report.pdf", "report.xlsx")
    ],
    *[Row("GET", f"{PAGE}/{{org_waiting}}/{tail}", {"*": 404}) for tail in ("", "how/", "report.pdf")],
    Row("GET", f"{PAGE}/{{org_waiting}}/report.xlsx", {"*": 404}),
]

API: list[Row] = [
    Row("GET", f"{A}/directory", {"*": 200}, api_template=f"{A}/directory"),
    Row("GET", f"{A}/directory/{{org_listed}}", {"*": 200}, api_template=f"{A}/directory/{{public_id}}"),
    Row("GET", f"{A}/directory/{{org_unlisted}}", {"*": 404}, api_template=f"{A}/directory/{{public_id}}"),
]


def objects() -> dict[str, str]:
    """The demo's listed อบต., an unlisted organization of the demo's verifier, and the school
    waiting for staff (kwamdee/demo/organizations_demo.py)."""
    listed = Organization.objects.get(name_th="องค์การบริหารส่วนตำบลหนองสาหร่าย")
    unlisted = organization_create(
        actor=SYSTEM, name_th="ศูนย์อาสาที่ไม่ประสงค์ออกนาม", kind="civil_society", scope_area_code="710911"
    )
    verifier = User.objects.get(phone="0810000001")
    membership_grant(actor=SYSTEM, organization=unlisted, person=verifier, role=MembershipRole.VERIFIER)
    waiting = Organization.objects.get(name_th="โรงเรียนบ้านหนองสาหร่าย")
    return {
        "org_listed": str(listed.public_id),
        "org_unlisted": str(unlisted.public_id),
        "org_waiting": str(waiting.public_id),
    }
