from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "kwamdee.people"
    verbose_name = _("People")

    def ready(self) -> None:
        from kwamdee.people.roles import roles_sync

        post_migrate.connect(roles_sync, dispatch_uid="kwamdee.people.roles_sync")
