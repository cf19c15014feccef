from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DeedStatus(models.TextChoices):
    """awaiting_witnesses → pending once enough witnesses confirmed (deed types that ask for
    witnesses); pending → verified | rejected | needs_info; needs_info → pending once the person
    answers; rejected → verified only when an appeal overturns the rejection (appeals app)."""

    AWAITING_WITNESSES = "awaiting_witnesses", _("waiting for witnesses")
    PENDING = "pending", _("pending")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")
    NEEDS_INFO = "needs_info", _("waiting for your answer")
    # verified → reversed: an auditor reversed the credit through the ledger (deeds/reversal.py).
    REVERSED = "reversed", _("credit reversed")


class RejectionReason(models.TextChoices):
    """Why a verifier rejected a deed, chosen from a list (with free text beside it). Deeds
    rejected before the list existed have none (an empty code)."""

    NOT_ENOUGH_EVIDENCE = "not_enough_evidence", _("Not enough evidence")
    OUTSIDE_RULES = "outside_rules", _("Outside the rules of this deed type")
    DATE_OR_QUANTITY = "date_or_quantity", _("The date or the amount is wrong")
    DUPLICATE = "duplicate", _("Already recorded (a duplicate)")
    NOT_THIS_CATALOG = "not_this_catalog", _("Not a deed of this catalog")
    OTHER = "other", _("Other reason")


class WitnessAnswer(models.TextChoices):
    """A named witness's answer: asked → confirmed | declined (once)."""

    ASKED = "asked", _("not answered yet")
    CONFIRMED = "confirmed", _("confirmed")
    DECLINED = "declined", _("declined")


class ReversalReason(models.TextChoices):
    """Why an auditor reversed a deed's credit: a code, never free text, because the ledger's
    memo keeps it forever (ledger.services.REVERSAL_REASONS)."""

    FRAUDULENT = "fraudulent", _("Fraudulent")
    DUPLICATE = "duplicate", _("Duplicate")
    ENTERED_IN_ERROR = "entered_in_error", _("Entered in error")


# What the person reads about a reversal of their own deed's credit: neutral words, never an
# accusation (the auditor's label above stays on the auditor's pages).
REVERSAL_WORDS_FOR_PERSON: dict[str, Any] = {
    ReversalReason.FRAUDULENT: _("After a review, the deed could not be confirmed as recorded."),
    ReversalReason.DUPLICATE: _("The same deed was credited twice; this was the extra credit."),
    ReversalReason.ENTERED_IN_ERROR: _("The credit was entered in error."),
}


class FlagKind(models.TextChoices):
    """What an automatic check noticed about a deed (deeds/flags.py). A flag asks an auditor to
    look; it changes nothing for the person."""

    NEW_ACCOUNTS_BULK = "new_accounts_bulk", _("New accounts verified together")
    LIMIT_NEAR = "limit_near", _("Close to a limit")
    SAME_FILE = "same_file", _("The same file on another deed")
    BURST = "burst", _("Many deeds in one hour")
    VERIFIER_OFTEN = "verifier_often", _("One verifier, one person, often")
    MUTUAL = "mutual", _("Two people verify each other")
    NEW_MEMBER = "new_member", _("A new member's first deeds")


class FlagState(models.TextChoices):
    """open → dismissed (an auditor looked and found nothing wrong) | reversed (the credit was
    reversed)."""

    OPEN = "open", pgettext_lazy("flag state", "open")
    DISMISSED = "dismissed", pgettext_lazy("flag state", "dismissed")
    REVERSED = "reversed", _("credit reversed")
