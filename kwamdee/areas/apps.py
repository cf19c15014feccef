from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "kwamdee.areas"
    verbose_name = _("Areas")

    def ready(self) -> None:
        import kwamdee.areas.personal_data  # noqa: F401  (registers its personal-data section)
