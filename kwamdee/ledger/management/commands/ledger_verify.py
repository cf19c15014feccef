"""Recomputes every ledger chain and balance; exits non-zero on any mismatch."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kwamdee.ledger.verification import ledger_verify


class Command(BaseCommand):
    help = "Recompute every hash chain and every account balance of the ledger."

    def handle(self, *args: Any, **options: Any) -> None:
        report = ledger_verify()
        self.stdout.write(
            f"checked {report.chains} chains, {report.transactions} transactions, "
            f"{report.postings} postings, {report.accounts} accounts"
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS("ledger OK: every chain and balance matches"))
            return
        for problem in report.problems:
            self.stderr.write(problem)
        raise CommandError(f"ledger verification failed: {len(report.problems)} problem(s)")
