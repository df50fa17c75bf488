from django.urls import path

from pricing import views

urlpatterns = [
    path("prices/", views.guide_price_list, name="guide-price-list"),
    path("prices/export.csv", views.guide_price_export_csv, name="guide-price-export-csv"),
    path("prices/export.xlsx", views.guide_price_export_xlsx, name="guide-price-export-xlsx"),
    path("centre/price-changes/", views.price_change_list, name="centre-price-change-list"),
    path("centre/price-changes/<int:pk>/decide/", views.price_change_decide, name="centre-price-change-decide"),
]
