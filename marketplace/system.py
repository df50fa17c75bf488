"""The system actor: the user automated work (Celery beat tasks) acts as, so ledgers and histories that
name who did something name it ("系统（自动任务）") rather than a person or nobody.

It cannot sign in: it is inactive, has no usable password, no phone, and its email is on the reserved
``.invalid`` domain (RFC 2606), so no code or link can reach it. It holds no role; a service that lets
automated work act checks ``is_system_user`` explicitly. Made on first use (get-or-create), so a
flushed test database or a fresh install needs no data migration.
"""
from __future__ import annotations

from django.contrib.auth.hashers import make_password

SYSTEM_EMAIL = "system@minsheng110.invalid"
SYSTEM_NAME = ("系统", "（自动任务）")  # last name, first name: shown as 系统（自动任务）


def system_user():
    """The one system user, created the first time it is asked for. Idempotent."""
    from marketplace.models import User

    user = User.objects.filter(email=SYSTEM_EMAIL).first()
    if user is not None:
        return user
    user, _created = User.objects.get_or_create(
        email=SYSTEM_EMAIL,
        defaults={"last_name": SYSTEM_NAME[0], "first_name": SYSTEM_NAME[1], "is_active": False,
                  "is_staff": False, "is_superuser": False, "password": make_password(None)},
    )
    return user


def is_system_user(user) -> bool:
    return user is not None and getattr(user, "email", None) == SYSTEM_EMAIL and not user.is_active
