"""The site's URLs plus the volunteers app's, for these tests until the lead includes
``volunteers.urls`` at the root and ``volunteers.api_urls`` under /api/ (harmless after that)."""
from django.urls import include, path

urlpatterns = [
    path("", include("volunteers.urls")),
    path("api/", include("volunteers.api_urls")),
    path("", include("marketplace.urls")),
]
