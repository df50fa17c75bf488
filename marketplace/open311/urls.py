"""Open311 GeoReport v2, mounted at /open311/v2/. Every resource ends in .xml or .json."""
from django.urls import re_path

from marketplace.open311 import admin as _admin  # noqa: F401  (registers the client admin; see admin.py)
from marketplace.open311 import views

FORMAT = r"\.(?P<format>xml|json)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.discovery, name="open311-discovery"),
    re_path(r"^services" + FORMAT, views.service_list, name="open311-services"),
    re_path(r"^services/(?P<service_code>[^/]+)" + FORMAT, views.service_definition, name="open311-service"),
    re_path(r"^requests" + FORMAT, views.service_requests, name="open311-requests"),
    re_path(r"^requests/(?P<service_request_id>[^/]+)" + FORMAT, views.service_request, name="open311-request"),
    re_path(r"^tokens/(?P<token>[^/]+)" + FORMAT, views.token, name="open311-token"),
]
