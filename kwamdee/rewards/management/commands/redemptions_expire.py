"""Releases every redemption code past its time (points and stock go back)."""

from typing import Any

from django.core.management.base import BaseCommand

from kwamdee.rewards.redemptions import redemptions_expire_due


class Command(BaseCommand):
    help = "Releases every redemption code past its time (its points and stock go back)."

    def handle(self, *args: Any, **options: Any) -> None:
        released = redemptions_expire_due()
        self.stdout.write(f"released {released}")
