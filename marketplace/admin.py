"""Django admin for the shared records. Admin is for administrators only (is_staff + the role)."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from marketplace.models import (
    CategoryDeadline,
    CategoryQuota,
    LinkedUnit,
    Region,
    ServiceItemProfile,
    User,
    YearPolicy,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "phone", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "phone", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "phone", "phone_verified", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "phone", "password1", "password2")}),)
    filter_horizontal = ("groups",)

    def get_readonly_fields(self, request, obj=None):
        """Only a superuser makes superusers: administrators manage roles (groups), not the bypass."""
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, "is_superuser"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


class CategoryQuotaInline(admin.TabularInline):
    model = CategoryQuota
    extra = 0


class CategoryDeadlineInline(admin.TabularInline):
    model = CategoryDeadline
    extra = 0


@admin.register(YearPolicy)
class YearPolicyAdmin(SimpleHistoryAdmin):
    list_display = [
        "year", "min_discount", "complaint_limit", "subsidy_rate", "reward_rate",
        "satisfaction_target", "volunteer_hours_duty",
    ]
    inlines = [CategoryQuotaInline, CategoryDeadlineInline]


@admin.register(ServiceItemProfile)
class ServiceItemProfileAdmin(SimpleHistoryAdmin):
    list_display = ["product", "unit", "served_by", "department"]
    list_filter = ["served_by", "unit"]


@admin.register(LinkedUnit)
class LinkedUnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "duty_contact_name", "duty_contact_phone"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    filter_horizontal = ["staff"]
