"""The site's URLs plus the subsidy pages and API (until the lead includes them in marketplace/urls.py)."""
from django.urls import include, path

from marketplace.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("", include("subsidies.urls")),
    path("api/", include("subsidies.api_urls")),
    *site_urlpatterns,
]
