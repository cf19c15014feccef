from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "kwamdee.evidence"
    verbose_name = _("Evidence")

    def ready(self) -> None:
        import kwamdee.evidence.personal_data  # noqa: F401  (registers its personal-data section)
