"""The citizen's forms for privileges: redeeming one (with the consent to show one's name when the
partner needs it)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kwamdee.common.forms import Form
from kwamdee.common.idempotency import MAX_KEY_LENGTH
from kwamdee.rewards.errors import IdentityConsentNeeded
from kwamdee.rewards.models import Privilege


class RedeemForm(Form):
    """Redeem a privilege. `key` is made when the page is drawn, so that a second press (or the
    browser sending the form again) gives the same code, not a second one."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=MAX_KEY_LENGTH, required=False)

    def __init__(self, *args: Any, privilege: Privilege, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if privilege.shares_identity:
            self.fields["share_identity"] = forms.BooleanField(
                label=_("I agree to show my name to %(partner)s") % {"partner": privilege.partner.name},
                help_text=_(
                    "The partner needs to know who you are for this privilege (for example, to record "
                    "a health check). They see only your name, and only for this code."
                ),
                error_messages={"required": IdentityConsentNeeded.message},
            )
