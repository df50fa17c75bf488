"""Django admin for Open311 partner keys (administrators only: the back-office fence covers /admin/).

Adding a client issues its key through ``open311_client_issue``; the raw key is shown once, in a
message. Afterwards everything is read-only (the key only as its hash); keys change only through the
actions, which call the services.

Django's admin autodiscovery imports ``marketplace.admin`` only; this module is imported by
``marketplace.open311.urls`` (loaded before the admin's URLs are built).
"""
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.errors import DomainError
from marketplace.models import Open311Client
from marketplace.open311.services import (
    open311_client_deactivate,
    open311_client_issue,
    open311_client_key_rotate,
)

READ_ONLY = ["name", "active", "api_key_hash", "issued_by", "issued_at", "user"]


def _show_key_once(request, client: Open311Client, raw_key: str) -> None:
    messages.warning(
        request,
        _("API key for “%(name)s”: %(key)s — copy it now; it is stored only as a hash and cannot be shown again.")
        % {"name": client.name, "key": raw_key},
    )


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "issued_by", "issued_at", "user"]
    list_filter = ["active"]
    search_fields = ["name"]
    actions = ["rotate_keys", "deactivate"]

    def get_fields(self, request, obj=None):
        return ["name"] if obj is None else READ_ONLY

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else READ_ONLY

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: requests keep pointing at the client's account

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing is editable; keys change through the actions
        try:
            client, raw_key = open311_client_issue(name=form.cleaned_data["name"], issued_by=request.user)
        except DomainError as refusal:
            messages.error(request, str(refusal.message))
            raise
        obj.__dict__.update({k: v for k, v in client.__dict__.items() if k != "_state"})
        obj._state.adding = False
        _show_key_once(request, client, raw_key)

    @admin.action(description=gettext_lazy("Issue a new key (the old one stops working)"))
    def rotate_keys(self, request, queryset):
        for client in queryset:
            _show_key_once(request, client, open311_client_key_rotate(client=client, actor=request.user))

    @admin.action(description=gettext_lazy("Revoke the key"))
    def deactivate(self, request, queryset):
        for client in queryset:
            open311_client_deactivate(client=client, actor=request.user)
        messages.success(request, _("Revoked %(count)s key(s).") % {"count": queryset.count()})
