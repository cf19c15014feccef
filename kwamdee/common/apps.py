from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "kwamdee.common"
    verbose_name = _("Common")

    def ready(self) -> None:
        from kwamdee.common.roles import roles_sync

        post_migrate.connect(roles_sync, dispatch_uid="kwamdee.common.roles_sync")

        from kwamdee.common.personal_data import access_section, personal_data_section

        personal_data_section("access", order=90)(access_section)
