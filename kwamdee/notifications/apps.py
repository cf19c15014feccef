from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "kwamdee.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        import kwamdee.notifications.handlers
        import kwamdee.notifications.personal_data  # noqa: F401  (registers its personal-data section)
