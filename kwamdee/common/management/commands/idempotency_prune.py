"""Deletes stored idempotent answers past their retention (run daily, e.g. from cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from kwamdee.common.idempotency import RETENTION_DAYS, idempotency_records_prune


class Command(BaseCommand):
    help = f"Delete stored idempotent answers older than {RETENTION_DAYS} days."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"deleted {idempotency_records_prune()} stored answers")
