"""The seven roles, as Django groups, and the checks every view and endpoint uses.

A role is a group; being in the group is the permission. Views ask ``has_role`` (or use the
``role_required`` decorator / ``HasRole`` DRF permission) rather than inspecting groups themselves.
"""
from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class Role:
    RESIDENT = "resident"
    COMPANY_STAFF = "company_staff"
    VOLUNTEER = "volunteer"
    TEAM_LEAD = "team_lead"
    CENTRE_AGENT = "centre_agent"
    FINANCE_OFFICER = "finance_officer"
    ADMINISTRATOR = "administrator"

    LABELS = {
        RESIDENT: _("Resident"),
        COMPANY_STAFF: _("Company staff"),
        VOLUNTEER: _("Volunteer"),
        TEAM_LEAD: _("Team lead"),
        CENTRE_AGENT: _("Centre agent"),
        FINANCE_OFFICER: _("Finance officer"),
        ADMINISTRATOR: _("Administrator"),
    }
    ALL = tuple(LABELS)
    # Staff roles work inside the centre and may use the Oscar dashboard / Django admin.
    STAFF = (CENTRE_AGENT, FINANCE_OFFICER, ADMINISTRATOR)


# The apps whose records administrators keep in the Django admin (and Oscar's catalogue and partners).
# Being in the administrator group grants every model permission of these apps; nothing in ``auth``
# or ``admin`` itself. The admin classes still route writes through the services.
ADMINISTRATOR_APP_LABELS = (
    "marketplace", "providers", "pricing", "matching", "ratings", "volunteers", "subsidies", "payments",
    "catalogue", "partner", "django_celery_beat",
)


def administrator_permissions_sync(**_kwargs) -> int:
    """Give the administrator group the model permissions of ``ADMINISTRATOR_APP_LABELS`` (so a
    non-superuser administrator can use the Django admin). Run after every migrate; idempotent.
    Returns how many permissions the group holds afterwards."""
    from django.contrib.auth.models import Permission

    group = role_group(Role.ADMINISTRATOR)
    wanted = Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APP_LABELS)
    missing = wanted.exclude(group=group)
    if missing.exists():
        group.permissions.add(*missing)
    return group.permissions.count()


def role_group(role: str):
    """The group of a role. Created by a migration; get-or-create keeps a flushed test database working."""
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=role)[0]


def roles_of(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {Role.ADMINISTRATOR}
        user._role_cache = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def role_required(*roles: str):
    """View decorator: anonymous users go to login, signed-in users without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class HasRole(BasePermission):
    """DRF permission: ``permission_classes = [HasRole.of(Role.ADMINISTRATOR)]``."""

    roles: tuple[str, ...] = ()

    @classmethod
    def of(cls, *roles: str):
        return type(f"HasRole_{'_'.join(roles)}", (cls,), {"roles": roles})

    def has_permission(self, request, view) -> bool:
        return has_role(request.user, *self.roles)
