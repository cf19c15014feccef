from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PassbookConfig(AppConfig):
    name = "kwamdee.passbook"
    label = "passbook"
    verbose_name = _("Passbook")
