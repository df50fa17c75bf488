"""Public service catalogue (owned by the catalogue views in marketplace/catalogue_views.py)."""
from django.urls import path

from marketplace import catalogue_views

urlpatterns = [
    path("catalogue/", catalogue_views.catalogue_list, name="catalogue-list"),
    path("catalogue/<int:pk>/", catalogue_views.catalogue_item, name="catalogue-item"),
]
