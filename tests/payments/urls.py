"""The project's URLs plus the payments app's, for these tests (the lead includes them in marketplace/urls.py;
until then the tests do it here)."""
from django.urls import include, path

from marketplace.urls import urlpatterns as project_urlpatterns

_names = (getattr(pattern, "urlconf_name", None) for pattern in project_urlpatterns)
_included = {getattr(name, "__name__", name) for name in _names if isinstance(name, str) or hasattr(name, "__name__")}

urlpatterns = list(project_urlpatterns)
if "marketplace.payments.urls" not in _included:
    urlpatterns.append(path("", include("marketplace.payments.urls")))
if "marketplace.payments.api_urls" not in _included:
    urlpatterns.append(path("api/", include("marketplace.payments.api_urls")))
