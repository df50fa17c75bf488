"""Admin for companies: profile fields may be corrected here, but status moves only through the
centre's admission pages (providers.services.company_transition), so status is read-only."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from providers.models import Agreement, Company, CompanyStatusChange


class StatusChangeInline(admin.TabularInline):
    model = CompanyStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "reason", "changed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Company)
class CompanyAdmin(SimpleHistoryAdmin):
    list_display = ["legal_name", "credit_code", "status", "capacity"]
    list_filter = ["status", "categories"]
    search_fields = ["legal_name", "credit_code"]
    readonly_fields = ["status", "partner"]
    filter_horizontal = ["categories", "service_regions"]
    inlines = [StatusChangeInline]

    def has_add_permission(self, request):
        return False  # companies apply through the portal or the API


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["company", "term_start", "term_end", "signed_on"]
    readonly_fields = ["company", "renews", "fee_schedule", "created_by"]

    def has_add_permission(self, request):
        return False  # signed through the centre's admission page
