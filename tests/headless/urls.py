"""The site's URLs plus allauth's headless API, until marketplace/urls.py includes it (same line)."""
from django.urls import include, path

from marketplace.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("_allauth/", include("allauth.headless.urls")), *site_urlpatterns]
