"""Pages of the subsidy payout. Included at the site root."""
from django.urls import path

from subsidies import views

urlpatterns = [
    path("finance/subsidies/", views.run_list, name="subsidy-run-list"),
    path("finance/subsidies/dashboard/", views.finance_dashboard, name="subsidy-dashboard"),
    path("finance/subsidies/runs/<int:pk>/", views.run_detail, name="subsidy-run-detail"),
    path("finance/subsidies/runs/<int:pk>/action/", views.run_action, name="subsidy-run-action"),
    path("finance/subsidies/runs/<int:pk>/bank-transfers.csv", views.run_bank_file, name="subsidy-run-bank-file"),
    path("finance/subsidies/runs/<int:pk>/workbook.xlsx", views.run_workbook, name="subsidy-run-workbook"),
    path("finance/subsidies/lines/<int:pk>/", views.line_detail, name="subsidy-line-detail"),
    path("finance/subsidies/lines/<int:pk>/statement.pdf", views.line_statement, name="subsidy-line-statement"),
    path("companies/mine/statements/", views.company_statements, name="company-statements"),
    path("companies/mine/statements/<int:pk>.pdf", views.company_statement_pdf, name="company-statement-pdf"),
    path("companies/mine/payout-account/", views.company_payout_account, name="company-payout-account"),
]
