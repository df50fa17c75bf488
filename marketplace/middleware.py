"""Fences for third-party back offices whose own checks are coarser than our roles, and the page
language (Chinese first)."""
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from marketplace.roles import Role, has_role

# Oscar's dashboard lets any is_staff user edit the catalogue; on this platform only administrators may.
# Django's admin is fenced the same way: agents and finance officers are staff but work in our own pages.
ADMINISTRATOR_ONLY_PREFIXES = ("/oscar/dashboard/", "/admin/")


class AdministratorOnlyBackOffices:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(ADMINISTRATOR_ONLY_PREFIXES) and not request.path.startswith("/admin/login/"):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, Role.ADMINISTRATOR):
                raise PermissionDenied
        return self.get_response(request)


# Machine clients say which language they want in Accept-Language; people choose on the page.
API_PREFIXES = ("/api/", "/_allauth/", "/open311/")


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are in Chinese (settings.LANGUAGE_CODE) unless the person chose English with the language
    switch (Django's language cookie): a browser set to English does not turn the site English by
    itself. The APIs keep Django's negotiation, Accept-Language included, for app clients."""

    def process_request(self, request):
        if request.path_info.startswith(API_PREFIXES):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
