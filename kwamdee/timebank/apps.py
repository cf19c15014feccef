from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimeBankConfig(AppConfig):
    name = "kwamdee.timebank"
    label = "timebank"
    verbose_name = _("Time bank")
