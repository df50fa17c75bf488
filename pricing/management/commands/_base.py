"""Shared bits of the pricing commands: who acts, and turning refusals into a clear CommandError."""
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from marketplace.errors import DomainError
from marketplace.roles import Role, has_role


class PricingCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--actor", required=True, help="email of the administrator making the change")
        parser.add_argument("--reason", required=True, help="why (kept in the price history)")

    def actor(self, email: str):
        user = get_user_model().objects.filter(email=email).first()
        if user is None or not has_role(user, Role.ADMINISTRATOR):
            raise CommandError(f"{email} is not an administrator")
        return user

    def run_service(self, call):
        try:
            return call()
        except DomainError as exc:
            raise CommandError(f"[{exc.code}] {exc.message}") from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
