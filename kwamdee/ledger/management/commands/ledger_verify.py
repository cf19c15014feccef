"""Recomputes the ledger's chains, seals and balances; exits non-zero on any mismatch."""

import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kwamdee.ledger.checkpoints import checkpoint_latest_published
from kwamdee.ledger.verification import ledger_verify


class Command(BaseCommand):
    help = (
        "Recompute every hash chain, seal (MAC) and account balance of the ledger, and check it "
        "against the newest published signed checkpoint."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--checkpoint", type=Path, help="a published checkpoint (default: newest)")
        parser.add_argument("--since-checkpoint", action="store_true", help="check only what came after it")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes (PostgreSQL)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["checkpoint"]
        checkpoint = json.loads(path.read_text(encoding="utf-8")) if path else checkpoint_latest_published()
        if options["since_checkpoint"] and checkpoint is None:
            raise CommandError("no published checkpoint to start from (run ledger_checkpoint first)")
        report = ledger_verify(
            checkpoint=checkpoint, since_checkpoint=options["since_checkpoint"], workers=options["workers"]
        )
        scope = "since the checkpoint" if report.since_checkpoint else "in full"
        against = "against a signed checkpoint" if checkpoint else "with no published checkpoint"
        self.stdout.write(
            f"checked {scope}, {against}: {report.chains} chains, {report.transactions} transactions, "
            f"{report.postings} postings, {report.accounts} accounts in {report.seconds:.2f} s "
            f"({report.postings_per_second:,.0f} postings/s)"
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS("ledger OK: every chain, seal and balance matches"))
            return
        for problem in report.problems:
            self.stderr.write(problem)
        raise CommandError(f"ledger verification failed: {len(report.problems)} problem(s)")
