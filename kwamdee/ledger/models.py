"""The double-entry, append-only, hash-chained ledger. It knows no domain.

Accounts belong to pseudonymous holders (`holder_ref`); their kinds, and the kinds of
transactions, are strings that the domains above name. A transaction names its `source` (a kind
and a public id, such as `deed` and a deed's UUID), never a person. No personal data here."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from kwamdee.ledger.choices import Unit

GENESIS_HASH = "0" * 64


class Account(models.Model):
    """A balance in one unit, for one holder, optionally for one virtue."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed by `uniq_account`, which leads with it.
    holder_ref = models.UUIDField(_("holder reference"))
    kind = models.CharField(_("kind"), max_length=32)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    # A sub-division chosen by the holder's domain (the passbook splits credit by virtue).
    virtue_code = models.CharField(_("sub-account"), max_length=40, blank=True)
    # Sources (issuance) may go negative; everything a person or sponsor holds may not.
    allow_negative = models.BooleanField(default=False)
    # A cache of the sum of this account's postings, kept under a row lock;
    # `ledger_verify` recomputes it.
    balance = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder_ref", "kind", "unit", "virtue_code"], name="uniq_account"
            ),
            models.CheckConstraint(
                condition=models.Q(allow_negative=True) | models.Q(balance__gte=0),
                name="account_balance_not_negative",
            ),
        ]
        permissions = [("audit_ledger", _("Can audit the ledger"))]

    def __str__(self) -> str:
        return f"{self.kind}/{self.unit}/{self.virtue_code or '-'}"


class ChainHead(models.Model):
    """The newest entry of one hash chain. Locked to append, so each chain is serial."""

    chain_key = models.CharField(max_length=80, primary_key=True)
    seq = models.BigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("chain head")
        verbose_name_plural = _("chain heads")
        ordering = ["chain_key"]

    def __str__(self) -> str:
        return f"{self.chain_key}#{self.seq}"


class LedgerTransaction(models.Model):
    """A balanced set of postings, one link of a hash chain. Never updated or deleted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField()
    chain_key = models.CharField(max_length=80)
    seq = models.BigIntegerField()
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)
    kind = models.CharField(max_length=32)
    # What this transaction is for, named by the domain that posted it: a kind and a public id.
    source_kind = models.CharField(max_length=32, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=120)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    memo = models.JSONField(default=dict, blank=True)
    # 1: hashed without the accounts' holders, no MAC (entries written before 2026-11).
    # 2: the accounts' holder, kind and sub-account are hashed, and `mac` seals the hash.
    format = models.PositiveSmallIntegerField(default=1)
    # HMAC-SHA256 of `entry_hash` under a key the database does not hold (settings.LEDGER_MAC_KEY):
    # whoever can write to the database still cannot forge or rewrite an entry.
    mac = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering = ["chain_key", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chain_key", "seq"], name="uniq_chain_seq"),
            # A constraint, not `unique=True`: PostgreSQL then builds no `_like` twin no query uses.
            models.UniqueConstraint(fields=["idempotency_key"], name="uniq_ledger_idempotency_key"),
        ]
        indexes = [models.Index(fields=["source_kind", "source_id"], name="ledger_tx_source")]

    def __str__(self) -> str:
        return f"{self.chain_key}#{self.seq} {self.kind}"


class Posting(models.Model):
    """One signed amount on one account; the postings of a transaction sum to 0 per unit."""

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="postings")
    # Indexed by `ledger_posting_account_cover`, which leads with it.
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings", db_index=False)
    unit = models.CharField(max_length=16, choices=Unit.choices)
    amount = models.BigIntegerField()

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["transaction_id", "id"]
        # One index for both reads by account: a holder's newest entries (without touching their
        # older postings), and sums per account answered from the index alone (PostgreSQL).
        indexes = [
            models.Index(
                fields=["account", "-transaction"], include=["unit", "amount"],
                name="ledger_posting_account_cover",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


class Checkpoint(models.Model):
    """A signed statement of every chain's head at one moment (Ed25519, settings.LEDGER_SIGNING_KEY).

    Also written to a file the operator ships elsewhere, and served to anyone by the API, so a
    rollback or a rewritten tail is named by `ledger_verify` even against the database's owner."""

    created_at = models.DateTimeField()
    # {chain_key: [seq, head_hash]}
    heads = models.JSONField()
    # SHA-256 of the canonical statement; what `signature` signs.
    digest = models.CharField(max_length=64, unique=True)
    signature = models.CharField(max_length=128)  # hex
    public_key = models.CharField(max_length=64)  # hex, raw Ed25519

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"checkpoint {self.created_at:%Y-%m-%d %H:%M} ({len(self.heads)} chains)"
