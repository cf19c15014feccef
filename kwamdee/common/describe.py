"""How a domain describes its ledger entries to the passbook (the read model above it)."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class EntryDescription:
    """What a person reads for one passbook entry: a title, where it links, the rule that priced
    it (empty when none did), the day the good deed was done (None when it is not a deed), and
    why a reversal took it back (`reversal`, plain words; empty when nothing was reversed)."""

    title: str
    url: str = ""
    rule: str = ""
    done_on: date | None = None
    reversal: str = ""
