from django.urls import path

from providers import views

urlpatterns = [
    path("companies/apply/", views.company_apply_view, name="company-apply"),
    path("companies/mine/", views.company_portal, name="company-portal"),
    path("centre/companies/", views.centre_company_list, name="centre-company-list"),
    path("centre/companies/<int:pk>/", views.centre_company_detail, name="centre-company-detail"),
]
