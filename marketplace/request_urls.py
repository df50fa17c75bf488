"""Web pages about service requests: residents' own requests and the centre's hotline, request
detail with its verbs, list and supervise queue (views in marketplace/request_views.py)."""
from django.urls import path

from marketplace import request_views

urlpatterns = [
    path("requests/", request_views.request_list, name="request-list"),
    path("requests/new/", request_views.request_new, name="request-new"),
    path("requests/<int:pk>/", request_views.request_detail, name="request-detail"),
    path("centre/hotline/", request_views.centre_hotline, name="centre-hotline"),
    path("centre/requests/", request_views.centre_request_list, name="centre-request-list"),
    path("centre/requests/<int:pk>/", request_views.centre_request_detail, name="centre-request-detail"),
    path("centre/supervise/", request_views.centre_supervise, name="centre-supervise"),
]
