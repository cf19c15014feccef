"""Text a person typed stays inside its box on a phone, however many Thai marks it stacks."""

import pytest

from kwamdee.deeds.models import Deed
from kwamdee.deeds.services import deed_record
from tests.browser.test_deed_flow import sign_in
from tests.factories import PASSWORD, days_ago, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STACKED = "ก" + "\u0e49\u0e34\u0e47" * 27  # 81 marks piled on one letter


def test_stacked_marks_never_reach_the_header(page, deed_types, artifacts):
    person = make_person()
    kind = deed_types["returning-lost-property"]
    plain = deed_record(
        actor=person, deed_type_public_id=kind.public_id, performed_on=days_ago(1), description="ช่วยงานวัด"
    )
    abusive = deed_record(
        actor=person, deed_type_public_id=kind.public_id, performed_on=days_ago(1), description="ช่วยงานวัด"
    )
    # The shared text check refuses such text now (common/text_validation.py); text stored before
    # it existed may still hold it, so the page must still keep it in its box.
    Deed.objects.filter(pk=abusive.pk).update(description=f"{STACKED} {STACKED}\n{STACKED}")
    sign_in(page, person.phone, PASSWORD)
    header = {}
    for name, deed in (("plain", plain), ("abusive", abusive)):
        page.goto(f"{page.base}/deeds/{deed.public_id}/")
        page.wait_for_load_state("networkidle")
        # the header and the rows above the description: the same person and date on both pages
        header[name] = [
            page.locator("header.site").screenshot(),
            page.locator("main table tr").nth(0).screenshot(),
            page.locator("main table tr").nth(1).screenshot(),
        ]
    page.screenshot(path=artifacts / "abusive-text-phone.png", full_page=True)
    # Drawn pixel for pixel the same: nothing of the description climbed into them (without the
    # clip the marks, broken into a column, covered the rows above).
    assert header["plain"] == header["abusive"]
    # And the text itself is all there, in its own clipped box.
    assert page.locator(".user-text").first.inner_text().count("\u0e49") == 81
