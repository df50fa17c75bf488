"""Fences for third-party back offices whose own checks are coarser than our roles."""
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

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
