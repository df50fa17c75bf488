"""The company portal's work pages: offers, jobs, calendar, history."""
from django.urls import path

from matching import views

urlpatterns = [
    path("company/offers/", views.company_offers, name="company-offers"),
    path("company/offers/<int:pk>/accept/", views.company_offer_accept, name="company-offer-accept"),
    path("company/offers/<int:pk>/decline/", views.company_offer_decline, name="company-offer-decline"),
    path("company/jobs/", views.company_jobs, name="company-jobs"),
    path("company/jobs/<int:pk>/", views.company_job_detail, name="company-job-detail"),
    path("company/jobs/<int:pk>/set-off/", views.company_job_set_off, name="company-job-set-off"),
    path("company/jobs/<int:pk>/arrive/", views.company_job_arrive, name="company-job-arrive"),
    path("company/jobs/<int:pk>/complete/", views.company_job_complete, name="company-job-complete"),
    path("company/calendar/", views.company_calendar, name="company-calendar"),
    path("company/history/", views.company_history, name="company-history"),
]
