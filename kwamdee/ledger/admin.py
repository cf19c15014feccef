from typing import Any

from django.contrib import admin

from kwamdee.common.admin import ReadOnlyAdmin
from kwamdee.ledger.models import Account, ChainHead, LedgerTransaction, Posting


class PostingInline(admin.TabularInline):
    model = Posting
    extra = 0
    can_delete = False
    readonly_fields = ["account", "unit", "amount"]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ["chain_key", "seq", "kind", "created_at", "entry_hash"]
    list_filter = ["kind", "chain_key"]
    inlines = [PostingInline]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "kind", "unit", "virtue_code", "balance"]
    list_filter = ["kind", "unit"]


@admin.register(ChainHead)
class ChainHeadAdmin(ReadOnlyAdmin):
    list_display = ["chain_key", "seq", "head_hash"]
