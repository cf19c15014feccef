from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "kwamdee.privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        import kwamdee.privacy.personal_data  # registers the requests' section
        from kwamdee.common.personal_data import audit_section, personal_data_section

        # The record of changes comes last: every other app has registered its section by now.
        personal_data_section("audit", order=100)(audit_section)
        # Each app's part of erasure, in its own `erasure.py` (common/erasure.py), found as the
        # admin finds `admin.py`: a new app adds the module and erasure follows.
        autodiscover_modules("erasure")
        # And each app's retention rules, in its own `retention.py` (common/retention.py); the
        # first daily run is booked after `migrate` (privacy/tasks.py).
        autodiscover_modules("retention")
        import kwamdee.common.retention_rules  # noqa: F401  (common's own rules)
        from kwamdee.privacy.tasks import retention_book

        post_migrate.connect(retention_book, sender=self, dispatch_uid="kwamdee.privacy.retention_book")
