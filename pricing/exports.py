"""The published guide-price list (市场收费指导价) as rows, a CSV file and an Excel workbook.

One row shape serves the web page and both downloads, so they always show the same numbers.
Amounts stay ``Decimal`` all the way: CSV gets "85.00" strings, Excel gets numbers formatted '0.00'.
"""
from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

# The official name of the published list; kept in Chinese whatever the interface language.
SHEET_TITLE = "市场收费指导价"
PERCENT_STEP = Decimal("0.1")


@dataclass(frozen=True)
class GuidePriceRow:
    product_id: int
    category: str
    item_code: str
    item: str
    unit: str
    region: str  # the region's name, or "city-wide"
    market_price: Decimal
    guide_price: Decimal
    saving: Decimal
    saving_percent: Decimal | None  # None when the market price is zero
    market_source: str
    market_surveyed_on: datetime.date


def saving_percent(*, market_price: Decimal, guide_price: Decimal) -> Decimal | None:
    """How far the guide price is below market, in percent to one decimal (display only, never used
    to check the 15% rule — that is ``pricing.services.guide_price_check``, exact)."""
    if not market_price:
        return None
    return ((market_price - guide_price) * 100 / market_price).quantize(PERCENT_STEP, rounding=ROUND_HALF_UP)


def guide_price_row(guide_price) -> GuidePriceRow:
    product = guide_price.product
    category = getattr(guide_price, "category_name", None)
    if category is None:
        first = next(iter(product.categories.all()), None)  # prefetched by the selectors
        category = first.name if first else ""
    return GuidePriceRow(
        product_id=product.pk,
        category=category,
        item_code=product.upc or "",
        item=product.title,
        unit=_unit_label(product),
        region=guide_price.region.name if guide_price.region_id else _("city-wide"),
        market_price=guide_price.market_price,
        guide_price=guide_price.guide_price,
        saving=guide_price.market_price - guide_price.guide_price,
        saving_percent=saving_percent(market_price=guide_price.market_price, guide_price=guide_price.guide_price),
        market_source=guide_price.market_source,
        market_surveyed_on=guide_price.market_surveyed_on,
    )


def guide_price_rows(guide_prices: Iterable) -> list[GuidePriceRow]:
    return [guide_price_row(gp) for gp in guide_prices]


def column_headers() -> list[str]:
    return [
        _("Category"),
        _("Item code"),
        _("Item"),
        _("Unit"),
        _("Region"),
        _("Market price (¥)"),
        _("Guide price (¥)"),
        _("Saving (¥)"),
        _("Saving (%)"),
        _("Market price source"),
        _("Market survey date"),
    ]


def guide_prices_csv(rows: Iterable[GuidePriceRow]) -> str:
    """UTF-8 text starting with a byte-order mark, so Excel opens the Chinese correctly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(column_headers())
    for row in rows:
        writer.writerow(
            [
                row.category,
                row.item_code,
                row.item,
                row.unit,
                row.region,
                _amount(row.market_price),
                _amount(row.guide_price),
                _amount(row.saving),
                "" if row.saving_percent is None else f"{row.saving_percent:.1f}",
                row.market_source,
                row.market_surveyed_on.isoformat(),
            ]
        )
    return out.getvalue()


def guide_prices_workbook(rows: Iterable[GuidePriceRow]) -> Workbook:
    """One sheet, a bold header row; amounts are numbers (from Decimal) shown with two decimals."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(column_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append(
            [
                row.category,
                row.item_code,
                row.item,
                row.unit,
                row.region,
                row.market_price,
                row.guide_price,
                row.saving,
                row.saving_percent,
                row.market_source,
                row.market_surveyed_on,
            ]
        )
        line = sheet.max_row
        for column in "FGH":
            sheet[f"{column}{line}"].number_format = "0.00"
        sheet[f"I{line}"].number_format = "0.0"
        sheet[f"K{line}"].number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFGHIJK", (14, 12, 24, 10, 12, 14, 14, 12, 10, 28, 14)):
        sheet.column_dimensions[column].width = width
    return workbook


def guide_prices_xlsx(rows: Iterable[GuidePriceRow]) -> bytes:
    buffer = io.BytesIO()
    guide_prices_workbook(rows).save(buffer)
    return buffer.getvalue()


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _unit_label(product) -> str:
    try:
        return str(product.service_profile.get_unit_display())
    except ObjectDoesNotExist:  # an item without a service profile yet
        return ""
