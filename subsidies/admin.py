"""Read-only admin views of runs and the ledger (writes go through subsidies.services); payout accounts
(with their history) and budgets are editable by administrators."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from marketplace.admin_base import ReadOnlyAdmin as ReadOnly
from subsidies.models import (
    PayoutAccount,
    PayoutLine,
    PayoutRun,
    SubsidyBudget,
    SubsidyLedgerEntry,
)


@admin.register(PayoutRun)
class PayoutRunAdmin(ReadOnly):
    list_display = ["year", "status", "line_count", "total_amount", "started_by", "approved_by"]


@admin.register(PayoutLine)
class PayoutLineAdmin(ReadOnly):
    list_display = ["run", "company_name", "volume", "eligibility", "total", "payout_state"]
    list_filter = ["run", "payout_state", "eligibility"]


@admin.register(SubsidyLedgerEntry)
class SubsidyLedgerEntryAdmin(ReadOnly):
    list_display = ["created_at", "kind", "company", "amount", "reason"]


@admin.register(PayoutAccount)
class PayoutAccountAdmin(SimpleHistoryAdmin):  # an edit here keeps a history row too
    list_display = ["company", "account_name", "bank_name", "bank_account"]


@admin.register(SubsidyBudget)
class SubsidyBudgetAdmin(admin.ModelAdmin):
    list_display = ["year", "amount", "set_by", "set_at"]
