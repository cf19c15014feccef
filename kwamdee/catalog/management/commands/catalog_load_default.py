"""Loads the national default catalog and its everyday search words on a new installation
(production runs this once after `migrate`; `seed_demo` does it for the demo). Idempotent."""

from django.core.management.base import BaseCommand

from kwamdee.catalog.services import catalog_load_default
from kwamdee.common.actors import SystemActor


class Command(BaseCommand):
    help = "Loads the default catalog and its everyday search words (safe to run again)."

    def handle(self, *args, **options):
        summary = catalog_load_default(actor=SystemActor("catalog_load_default"))
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in sorted(summary.items())))
