from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeedsConfig(AppConfig):
    name = "kwamdee.deeds"
    verbose_name = _("Deeds")

    def ready(self) -> None:
        import kwamdee.deeds.personal_data  # noqa: F401  (registers its personal-data section)
