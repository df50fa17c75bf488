"""Admin for volunteer teams and people. Teams, memberships and identities may be edited here (saving a
membership gives the volunteer / team_lead role through the service). The hours ledger, assignments,
visits, reminders and certificates are read-only: they change only through the portals' services."""
from django.contrib import admin

from marketplace.admin_base import ReadOnlyAdmin
from volunteers import services
from volunteers.models import (
    Certificate,
    DistrictVisit,
    DutyReminder,
    HoursEntry,
    Membership,
    Team,
    TeamAssignment,
    Volunteer,
    VolunteerIdentity,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["volunteer"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "area", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["skills"]
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for membership in formset.queryset.model.objects.filter(team=form.instance).select_related("volunteer__user"):
            services.membership_roles_sync(volunteer=membership.volunteer)


class IdentityInline(admin.TabularInline):
    model = VolunteerIdentity
    extra = 0


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ["user", "joined_on"]
    search_fields = ["user__last_name", "user__first_name", "user__email", "user__phone"]
    autocomplete_fields = ["user"]
    inlines = [IdentityInline]


@admin.register(HoursEntry)
class HoursEntryAdmin(ReadOnlyAdmin):
    list_display = ["volunteer", "service_date", "kind", "hours", "status", "team", "corrects"]
    list_filter = ["status", "kind", "team"]
    search_fields = ["volunteer__user__last_name", "volunteer__user__first_name"]


@admin.register(TeamAssignment)
class TeamAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["request", "team", "status", "offered_at", "responded_at"]
    list_filter = ["status", "team"]


@admin.register(DistrictVisit)
class DistrictVisitAdmin(ReadOnlyAdmin):
    list_display = ["deputy", "region", "visited_on", "report_due_on", "report_filed_at", "report_late"]
    list_filter = ["report_late"]


@admin.register(DutyReminder)
class DutyReminderAdmin(ReadOnlyAdmin):
    list_display = ["volunteer", "checkpoint", "approved_hours", "expected_hours", "sent_at"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "holder_name", "issuer_name", "period_start", "period_end", "total_hours", "issued_on"]
    search_fields = ["number", "holder_name"]
