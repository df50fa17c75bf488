"""Template context: the signed-in user's roles, so menus show only what the user may open."""
from marketplace.roles import Role, roles_of


def roles(request):
    user_roles = roles_of(getattr(request, "user", None))
    return {"user_roles": user_roles, "Role": Role}
