"""Publish or change one item's guide price from the command line."""
import datetime

from django.core.management.base import CommandError
from oscar.core.loading import get_model

from marketplace.models import Region
from pricing import services
from pricing.management.commands._base import PricingCommand

Product = get_model("catalogue", "Product")


class Command(PricingCommand):
    help = "Set a guide price: set_guide_price UPC MARKET GUIDE --source ... --surveyed YYYY-MM-DD"

    def add_arguments(self, parser):
        parser.add_argument("upc")
        parser.add_argument("market_price")
        parser.add_argument("guide_price")
        parser.add_argument("--region", default="", help="region code; empty for the whole city")
        parser.add_argument("--source", required=True)
        parser.add_argument("--surveyed", required=True, help="market survey date, YYYY-MM-DD")
        super().add_arguments(parser)

    def handle(self, *args, upc, market_price, guide_price, region, source, surveyed, actor, reason, **options):
        product = Product.objects.filter(upc=upc).first()
        if product is None:
            raise CommandError(f"unknown service item {upc}")
        region_obj = None
        if region:
            region_obj = Region.objects.filter(code=region).first()
            if region_obj is None:
                raise CommandError(f"unknown region {region}")
        try:
            surveyed_on = datetime.date.fromisoformat(surveyed)
        except ValueError:
            raise CommandError(f"--surveyed {surveyed!r} is not a date (YYYY-MM-DD)") from None
        record = self.run_service(
            lambda: services.guide_price_set(
                product=product, region=region_obj, market_price=market_price, market_source=source,
                market_surveyed_on=surveyed_on, guide_price=guide_price, actor=self.actor(actor), reason=reason,
            )
        )
        self.stdout.write(self.style.SUCCESS(f"{product.title}: market ¥{record.market_price}, guide ¥{record.guide_price}"))
