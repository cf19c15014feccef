"""Applies every retention rule now (the daily background task does the same at 03:00)."""

from django.core.management.base import BaseCommand

from kwamdee.privacy.retention import retention_apply


class Command(BaseCommand):
    help = "Deletes or blanks data past its retention period (docs/privacy.md)."

    def handle(self, *args, **options):
        counts = retention_apply()
        self.stdout.write(", ".join(f"{key}: {n}" for key, n in counts.items()))
