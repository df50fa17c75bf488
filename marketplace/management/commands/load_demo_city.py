"""``manage.py load_demo_city``: load the Shaowu-like demo county and one login per role.

Deterministic and idempotent: running it again changes nothing. The work is in marketplace.demo.loader.
"""
from django.core.management.base import BaseCommand
from django.utils import timezone

from marketplace.demo import DEMO_PASSWORD
from marketplace.demo.loader import demo_city_load


class Command(BaseCommand):
    help = "Load the demo county (邵武市): grid, catalogue, guide prices, 32 contracted companies, people and logins."

    def handle(self, *args, **options):
        today = timezone.localdate()
        result = demo_city_load(today=today)

        if result.service_day != today:
            self.stdout.write(f"Services were called as of {result.service_day} (the demo's 2026 contract year).")
        if result.writes:
            written = ", ".join(f"{kind} {count}" for kind, count in sorted(result.writes.items()))
            self.stdout.write(self.style.SUCCESS(f"Written: {written}."))
        else:
            self.stdout.write(self.style.SUCCESS("Nothing to change: the demo county was already loaded."))

        self.stdout.write("")
        width = max(len(name) for name in result.counts)
        for name, count in result.counts.items():
            self.stdout.write(f"  {name:<{width}}  {count:>5}")

        self.stdout.write("")
        self.stdout.write(f"Logins (password {DEMO_PASSWORD}):")
        role_width = max(len(role) for role, _email in result.logins)
        self.stdout.write(f"  {'role':<{role_width}}  email")
        self.stdout.write(f"  {'-' * role_width}  {'-' * 32}")
        for role, email in result.logins:
            self.stdout.write(f"  {role:<{role_width}}  {email}")
