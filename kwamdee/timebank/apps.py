from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimeBankConfig(AppConfig):
    name = "kwamdee.timebank"
    label = "timebank"
    verbose_name = _("Time bank")

    def ready(self) -> None:
        import kwamdee.timebank.personal_data  # noqa: F401  (registers its personal-data sections)
