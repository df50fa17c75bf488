"""REST API routes (DRF). Each app keeps its endpoints in its own api.py."""
from django.urls import path

urlpatterns: list = []
