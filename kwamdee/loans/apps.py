from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "kwamdee.loans"
    label = "loans"
    verbose_name = _("Goodness-bank loans")

    def ready(self) -> None:
        import kwamdee.loans.personal_data  # noqa: F401  (registers its personal-data sections)
