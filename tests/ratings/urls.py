"""The project's URLs plus the ratings app's pages and API, as the lead will include them."""
from django.urls import include, path

from marketplace.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("", include("ratings.urls")),
    path("api/", include("ratings.api_urls")),
    *project_urlpatterns,
]
