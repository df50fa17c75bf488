"""Read-only admin views of the quality loop's records. Every change goes through ratings.services
(the web pages and the API), so the admin cannot bypass the rules or the history rows."""
from django.contrib import admin

from marketplace.admin_base import ReadOnlyAdmin
from ratings.models import (
    CallBack,
    CallBackAttempt,
    Complaint,
    ComplaintStatusChange,
    MonthlyReport,
    Rating,
    RatingReminder,
    Removal,
    RenewalReview,
)


class CallBackAttemptInline(admin.TabularInline):
    model = CallBackAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["agent", "reached", "outcome", "notes", "called_at"]

    def has_add_permission(self, request, obj=None):
        return False


class ComplaintStatusChangeInline(admin.TabularInline):
    model = ComplaintStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "reason", "changed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["request", "company", "overall", "punctuality", "attitude", "quality", "created_at"]
    list_filter = ["overall"]
    search_fields = ["company__legal_name", "comment"]


@admin.register(RatingReminder)
class RatingReminderAdmin(ReadOnlyAdmin):
    list_display = ["request", "sent_at"]


@admin.register(CallBack)
class CallBackAdmin(ReadOnlyAdmin):
    list_display = ["request", "company", "linked_unit", "status", "outcome", "queued_at", "closed_at"]
    list_filter = ["status", "outcome"]
    inlines = [CallBackAttemptInline]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["pk", "request", "company", "category", "status", "created_at", "upheld_at"]
    list_filter = ["status", "category", "channel"]
    search_fields = ["company__legal_name", "description"]
    inlines = [ComplaintStatusChangeInline]


@admin.register(Removal)
class RemovalAdmin(ReadOnlyAdmin):
    list_display = ["company", "agreement", "removed_at", "reinstated_at"]


@admin.register(RenewalReview)
class RenewalReviewAdmin(ReadOnlyAdmin):
    list_display = ["company", "agreement", "listed_on", "satisfaction", "upheld_complaints", "recommendation", "decision"]
    list_filter = ["recommendation", "decision"]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ["month", "subject_name", "received", "accepted", "completed", "overdue", "satisfaction",
                    "complaints_received", "complaints_upheld"]
    list_filter = ["month", "subject_kind"]
