"""Pages of the quality loop (included at the site root by marketplace/urls.py)."""
from django.urls import path

from ratings import views

urlpatterns = [
    # Residents and companies
    path("ratings/mine/", views.resident_ratings, name="ratings-mine"),
    path("ratings/jobs/<int:pk>/rate/", views.rating_form, name="ratings-rate"),
    path("ratings/jobs/<int:pk>/complain/", views.complaint_new, name="ratings-complain"),
    path("ratings/complaints/<int:pk>/", views.complaint_detail, name="ratings-complaint-detail"),
    path("ratings/complaints/<int:pk>/reopen/", views.complaint_reopen, name="ratings-complaint-reopen"),
    path("ratings/complaints/<int:pk>/respond/", views.complaint_respond, name="ratings-complaint-respond"),
    path("ratings/company/", views.company_ratings, name="ratings-company"),
    # Centre: call-backs (回访)
    path("centre/callbacks/", views.centre_callbacks, name="centre-callbacks"),
    path("centre/callbacks/<int:pk>/", views.centre_callback_detail, name="centre-callback-detail"),
    # Centre: complaints, removals and reinstatement
    path("centre/complaints/", views.centre_complaints, name="centre-complaints"),
    path("centre/complaints/new/", views.centre_complaint_new, name="centre-complaint-new"),
    path("centre/complaints/<int:pk>/", views.centre_complaint_detail, name="centre-complaint-detail"),
    path("centre/complaints/<int:pk>/review/", views.centre_complaint_review, name="centre-complaint-review"),
    path("centre/complaints/<int:pk>/decide/", views.centre_complaint_decide, name="centre-complaint-decide"),
    path("centre/complaints/removals/", views.centre_removals, name="centre-removals"),
    path("centre/complaints/removals/<int:pk>/reinstate/", views.centre_removal_reinstate, name="centre-removal-reinstate"),
    # Centre: renewals and the monthly report (月情况通报)
    path("centre/renewals/", views.centre_renewals, name="centre-renewals"),
    path("centre/renewals/<int:pk>/decide/", views.centre_renewal_decide, name="centre-renewal-decide"),
    path("centre/reports/", views.centre_reports, name="centre-reports"),
    path("centre/reports/generate/", views.centre_report_generate, name="centre-report-generate"),
    path("centre/reports/<int:year>/<int:month>/", views.centre_report_month, name="centre-report-month"),
    path("centre/reports/<int:year>/<int:month>/excel/", views.centre_report_excel, name="centre-report-excel"),
    # Public
    path("companies/league/", views.league, name="company-league"),
]
