"""How a domain describes its ledger entries to the passbook (the read model above it)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class EntryDescription:
    """What a person reads for one passbook entry: a title, where it links, and the rule that
    priced it (empty when none did)."""

    title: str
    url: str = ""
    rule: str = ""
