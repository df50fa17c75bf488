"""Import guide prices from a CSV file, all rows or none (columns: pricing.services.GUIDE_PRICE_COLUMNS)."""
from pathlib import Path

from pricing import services
from pricing.management.commands._base import PricingCommand


class Command(PricingCommand):
    help = "Import guide prices from CSV: " + ",".join(services.GUIDE_PRICE_COLUMNS)

    def add_arguments(self, parser):
        parser.add_argument("csv_path")
        super().add_arguments(parser)

    def handle(self, *args, csv_path, actor, reason, **options):
        text = Path(csv_path).read_text(encoding="utf-8-sig")
        count = self.run_service(
            lambda: services.guide_prices_import_csv(text=text, actor=self.actor(actor), reason=reason)
        )
        self.stdout.write(self.style.SUCCESS(f"Imported {count} guide prices."))
