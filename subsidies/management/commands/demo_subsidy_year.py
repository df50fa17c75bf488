"""``manage.py demo_subsidy_year``: give the demo county a closed 2025 fiscal year (after load_demo_city),
so a finance officer can start, review, have approved, pay and export the 2025 subsidy run.
Deterministic and idempotent; the work and its shortcuts are described in subsidies/demo.py."""
import time

from django.core.management.base import BaseCommand, CommandError

from subsidies.demo import YEAR, DemoCityMissing, subsidy_year_demo_load


class Command(BaseCommand):
    help = "Add the demo county's closed 2025 fiscal year: agreements, paid and rated jobs, complaints, payout accounts, budget."

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            result = subsidy_year_demo_load()
        except DemoCityMissing as exc:
            raise CommandError(str(exc)) from None
        if not result.created:
            self.stdout.write(self.style.SUCCESS(f"Nothing to do: the {YEAR} fiscal year is already there."))
            return
        written = ", ".join(f"{kind} {count}" for kind, count in sorted(result.writes.items()))
        self.stdout.write(self.style.SUCCESS(f"{YEAR} fiscal year written in {time.monotonic() - started:.1f} s: {written}."))
        self.stdout.write(f"Sign in as a finance officer and start the {YEAR} run at /finance/subsidies/.")
