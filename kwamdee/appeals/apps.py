from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "kwamdee.appeals"
    verbose_name = _("Appeals")

    def ready(self) -> None:
        import kwamdee.appeals.personal_data  # noqa: F401  (registers its personal-data section)
