"""Shared admin pieces. Ledgers, histories and decisions are written by services, never in the admin."""
from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows records without letting the admin add, edit or delete them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
