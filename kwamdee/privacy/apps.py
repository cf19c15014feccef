from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "kwamdee.privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from kwamdee.common.personal_data import audit_section, personal_data_section

        # The record of changes comes last: every other app has registered its section by now.
        personal_data_section("audit", order=100)(audit_section)
        # Each app's part of erasure, in its own `erasure.py` (common/erasure.py), found as the
        # admin finds `admin.py`: a new app adds the module and erasure follows.
        autodiscover_modules("erasure")
