"""``manage.py issue_open311_key <name> --actor admin@…``: register an Open311 partner and print its
API key once. Only the key's SHA-256 hash is stored; a lost key is replaced, never recovered."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from marketplace.errors import DomainError
from marketplace.open311.services import open311_client_issue


class Command(BaseCommand):
    help = "Issue an Open311 GeoReport v2 API key to a partner system and print it once."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The partner system's name, e.g. 邵武随手拍")
        parser.add_argument("--actor", required=True, help="Email of the administrator issuing the key")

    def handle(self, *args, name, actor, **options):
        issued_by = get_user_model().objects.filter(email__iexact=actor.strip()).first()
        if issued_by is None:
            raise CommandError(f"No user with the email {actor}.")
        try:
            client, raw_key = open311_client_issue(name=name, issued_by=issued_by)
        except DomainError as refusal:
            raise CommandError(str(refusal.message)) from None
        self.stdout.write(f"Open311 client “{client.name}” (#{client.pk}), requests created as user #{client.user_id}.")
        self.stdout.write("API key (shown once; only its hash is stored):")
        self.stdout.write(raw_key)
