from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PassbookConfig(AppConfig):
    name = "kwamdee.passbook"
    label = "passbook"
    verbose_name = _("Passbook")

    def ready(self) -> None:
        import kwamdee.passbook.personal_data  # noqa: F401  (registers its personal-data section)
