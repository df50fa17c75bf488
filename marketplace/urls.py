from django.apps import apps
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from marketplace import views

urlpatterns = [
    path("", views.home, name="site-home"),
    path("", include("marketplace.catalogue_urls")),
    path("", include("pricing.urls")),
    path("", include("providers.urls")),
    path("", include("marketplace.request_urls")),
    path("", include("matching.urls")),
    path("", include("ratings.urls")),
    path("", include("volunteers.urls")),
    path("", include("marketplace.payments.urls")),
    path("", include("subsidies.urls")),
    path("api/", include("marketplace.api_urls")),
    path("api/", include("marketplace.api_urls_requests")),
    path("api/", include("ratings.api_urls")),
    path("api/", include("volunteers.api_urls")),
    path("api/", include("marketplace.payments.api_urls")),
    path("api/", include("subsidies.api_urls")),
    path("open311/v2/", include("marketplace.open311.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/wechat/", include("marketplace.social.urls")),  # WeChat identity → phone account (docs/sign-in.md)
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("marketplace.headless_phone")),  # auth/login taking 11-digit phones (before allauth's)
    path("_allauth/", include("allauth.headless.urls")),  # allauth's headless API for app clients
    path("admin/", admin.site.urls),
    # Oscar's shop and dashboard (administrators edit the catalogue there).
    path("oscar/", include(apps.get_app_config("oscar").urls[0])),
]
