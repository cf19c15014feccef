"""Deletes sign-in records past their use (run daily, e.g. from cron; docs/privacy.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from kwamdee.people.throttle import signin_records_prune


class Command(BaseCommand):
    help = (
        "Delete failed sign-in attempts older than the lockout's cool-off, and logs of sign-ins "
        "older than SIGNIN_LOG_RETENTION_DAYS (0: all)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--log-days",
            type=int,
            default=None,
            help="keep sign-in logs this many days (default: the setting)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = signin_records_prune(log_retention_days=options["log_days"])
        self.stdout.write(
            f"deleted {counts['attempts']} expired attempts, {counts['access_logs']} sign-in logs, "
            f"{counts['failure_logs']} failure logs"
        )
