"""The notice a person reads before each consent, one per purpose, versioned by the date it was
published. A new version (a new date here) asks again: a consent given under an older notice is
shown as "the notice changed", and giving it again records the new version."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kwamdee.people.choices import ConsentPurpose


@dataclass(frozen=True)
class Notice:
    purpose: str
    version: str  # the date it was published, ISO (shown as a date in พ.ศ.)
    text: Any
    required: bool = False  # only taking part is required, to record deeds


def notices() -> list[Notice]:
    return [
        Notice(
            ConsentPurpose.MEMBERSHIP, settings.CONSENT_NOTICE_VERSION,
            _("We record the deeds you submit, their verification, and the credit and points they "
              "earn, with your name, contact and subdistrict, to run your passbook. Needed to "
              "record good deeds."),
            required=True,
        ),
        Notice(
            ConsentPurpose.PUBLIC_DISPLAY, "2026-11-23",
            _("Your name and your good deeds may be shown on public recognition pages (the hall of "
              "fame, role models). Without this, nothing about you is ever shown in public."),
        ),
        Notice(
            ConsentPurpose.PARTNER_SHARING, "2026-11-23",
            _("When you ask a partner for a privilege that needs to know who you are, the partner "
              "learns your name and your level, nothing more."),
        ),
        Notice(
            ConsentPurpose.LOAN_ELIGIBILITY, "2026-11-23",
            _("When you ask the goodness bank for a loan, its committee may read your record of "
              "good deeds to decide."),
        ),
        Notice(
            ConsentPurpose.RESEARCH, "2026-11-23",
            _("Researchers may study your records without your name, beyond the public statistics "
              "that everyone's records make anyway."),
        ),
        Notice(
            ConsentPurpose.ORGANIZATION_FIGURES, "2026-12-07",
            _("When you link yourself to an organization (your employer, a group you belong to), "
              "your verified good deeds count in its totals while you are linked. The organization "
              "sees only totals of at least five people, never your name or your own credit. You "
              "can unlink, or withdraw this, at any time."),
        ),
    ]  # fmt: skip


def notice_for(purpose: str) -> Notice:
    return next(n for n in notices() if n.purpose == purpose)
