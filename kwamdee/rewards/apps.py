from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    name = "kwamdee.rewards"
    label = "rewards"
    verbose_name = _("Rewards")

    def ready(self) -> None:
        import kwamdee.rewards.personal_data  # noqa: F401  (registers its personal-data section)

        # Sponsors' bonuses are paid in the same transaction as the deed's verification: deeds
        # (a layer below) announces it, rewards listens, so deeds never imports rewards.
        from kwamdee.deeds.signals import deeds_verified
        from kwamdee.rewards.services import sponsorship_bonuses_pay

        deeds_verified.connect(sponsorship_bonuses_pay, dispatch_uid="kwamdee.rewards.bonuses")
