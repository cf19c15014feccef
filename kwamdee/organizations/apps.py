from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "kwamdee.organizations"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        import kwamdee.organizations.personal_data  # noqa: F401  (registers its personal-data section)
