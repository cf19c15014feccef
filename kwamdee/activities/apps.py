from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "kwamdee.activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        import kwamdee.activities.personal_data  # noqa: F401  (registers its personal-data section)
