from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "kwamdee.people"
    verbose_name = _("People")

    def ready(self) -> None:
        import kwamdee.people.personal_data  # noqa: F401  (registers its personal-data section)
