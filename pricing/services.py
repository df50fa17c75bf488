"""Writes about prices. The pricing rules live here, once each, and every write path — dashboard and
admin forms, the REST API, CSV imports and management commands — goes through these functions.

A refused write raises a ``pricing.errors`` exception whose message names the rule, the numbers and
the limit; nothing is written.
"""
from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from marketplace.errors import DomainError
from marketplace.models import Region, YearPolicy
from marketplace.money import CURRENCY, parse_amount
from marketplace.selectors import policy_for_year
from pricing import errors
from pricing.models import GuidePrice, PriceChangeRequest
from pricing.selectors import guide_price_for
from providers import selectors as provider_selectors

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


# --- the rules --------------------------------------------------------------------------------


def guide_price_limit(*, market_price: Decimal, policy: YearPolicy) -> Decimal:
    """The highest guide price the policy allows for a market price: ``(1 − min_discount) × market``.

    Exact, not rounded: 85% of ¥99.99 is ¥84.9915, so ¥84.99 is allowed and ¥85.00 is not.
    """
    return market_price * (Decimal(1) - policy.min_discount)


def guide_price_check(*, market_price: Decimal, guide_price: Decimal, policy: YearPolicy) -> None:
    """Rule (seed 000/002): companies "charge at least 15% below the market price" —
    **guide ≤ (1 − min_discount) × market**, min_discount from the year's policy (default 15%)."""
    limit = guide_price_limit(market_price=market_price, policy=policy)
    if guide_price > limit:
        raise errors.GuidePriceAboveLimit(
            _(
                "Guide price ¥%(guide)s is above the limit: it must be at least %(discount)s%% below the market "
                "price ¥%(market)s, i.e. at most ¥%(limit)s (policy %(year)s)."
            )
            % {
                "guide": guide_price,
                "discount": _percent(policy.min_discount),
                "market": market_price,
                "limit": _show_limit(limit),
                "year": policy.year,
            },
            params={"guide_price": guide_price, "market_price": market_price, "limit": limit},
        )


def contract_price_check(
    *, partner, product, price: Decimal, today: datetime.date | None = None, approved_raise: bool = False
) -> GuidePrice:
    """Rules for a company's contracted price of an item:

    - "never raise prices on their own" and "charge the government's guide price": the contracted
      price must be **≤ the guide price** that applies where the company is based;
    - **during a contract term a company cannot raise its price**; a raise needs an administrator's
      approval of a price-change request (``approved_raise``), and even then stays ≤ the guide price.

    Returns the guide price that applied.
    """
    today = today or timezone.localdate()
    company = provider_selectors.company_of_partner(partner_id=partner.pk)
    if company is not None and company.status in provider_selectors.NO_PRICING_STATUSES:
        raise errors.CompanyCannotPrice(
            _("%(company)s is %(status)s and cannot set prices.") % {"company": company.legal_name, "status": company.get_status_display()}
        )
    region = company.base_region if company else None
    guide = guide_price_for(product_id=product.pk, region=region)
    if guide is None:
        raise errors.NoGuidePrice(
            _("“%(item)s” has no published guide price yet, so no contracted price can be set.") % {"item": product.title},
            params={"product": product.pk},
        )
    if price > guide.guide_price:
        raise errors.ContractPriceAboveGuide(
            _("Contracted price ¥%(price)s for “%(item)s” is above the guide price ¥%(guide)s; it must not exceed it.")
            % {"price": price, "item": product.title, "guide": guide.guide_price},
            params={"price": price, "guide_price": guide.guide_price},
        )
    current = StockRecord.objects.filter(partner=partner, product=product).values_list("price", flat=True).first()
    in_term = company is not None and provider_selectors.agreement_in_force(company=company, day=today) is not None
    if in_term and current is not None and price > current and not approved_raise:
        raise errors.PriceRaiseDuringTerm(
            _(
                "A company cannot raise its price during its contract term (¥%(current)s → ¥%(price)s for "
                "“%(item)s”). File a price-change request for an administrator to decide."
            )
            % {"current": current, "price": price, "item": product.title},
            params={"current_price": current, "price": price},
        )
    return guide


def final_price_check(*, partner, product, final_price: Decimal, quantity="1") -> Decimal:
    """Rule: a company "never raises prices on its own" — the **final price of a job may not exceed the
    quantity times the contracted price** (which itself is within the guide price). Returns the ceiling."""
    try:
        quantity = Decimal(str(quantity))
    except ArithmeticError:
        raise DomainError(_("The quantity %(q)r is not a number.") % {"q": quantity}, code="invalid_quantity") from None
    if not quantity.is_finite() or quantity <= 0:
        raise DomainError(_("The quantity must be more than zero."), code="invalid_quantity")
    record = StockRecord.objects.filter(partner=partner, product=product).first()
    if record is None or record.price is None:
        raise errors.NoGuidePrice(
            _("Your company has no contracted price for “%(item)s”.") % {"item": product.title}, code="no_contract_price"
        )
    ceiling = record.price * quantity
    if final_price > ceiling:
        raise errors.FinalPriceAboveContract(
            _("Final price ¥%(final)s is above the contracted price: %(quantity)s × ¥%(price)s = ¥%(ceiling)s at most.")
            % {"final": final_price, "quantity": f"{quantity.normalize():f}", "price": record.price, "ceiling": _show_limit(ceiling)},
            params={"final_price": final_price, "contract_price": record.price, "quantity": quantity, "limit": _show_limit(ceiling)},
        )
    return ceiling


# --- guide prices -----------------------------------------------------------------------------


@transaction.atomic
def guide_price_set(
    *,
    product,
    region: Region | None,
    market_price,
    market_source: str,
    market_surveyed_on: datetime.date,
    guide_price,
    actor,
    reason: str,
    today: datetime.date | None = None,
) -> GuidePrice:
    """Publish or change the guide price of an item (city-wide when ``region`` is None)."""
    today = today or timezone.localdate()
    market_price = parse_amount(market_price, field=_("market price"))
    guide_price = parse_amount(guide_price, field=_("guide price"))
    if not market_source.strip():
        raise DomainError(_("The market price needs its source."), code="market_source_missing")
    if market_surveyed_on > today:
        raise DomainError(_("The market survey date cannot be in the future."), code="survey_in_future")
    guide_price_check(market_price=market_price, guide_price=guide_price, policy=policy_for_year(year=today.year))
    record = GuidePrice.objects.select_for_update().filter(product=product, region=region).order_by().first()
    record = record or GuidePrice(product=product, region=region)
    record.market_price = market_price
    record.market_source = market_source.strip()
    record.market_surveyed_on = market_surveyed_on
    record.guide_price = guide_price
    _save_with_history(record, actor=actor, reason=reason)
    return record


# --- contracted prices ------------------------------------------------------------------------


@transaction.atomic
def contract_price_set(
    *, partner, product, price, actor, reason: str, today: datetime.date | None = None, approved_raise: bool = False
):
    """Set a company's contracted price for an item (Oscar's StockRecord), within the rules above."""
    price = parse_amount(price, field=_("contracted price"))
    contract_price_check(partner=partner, product=product, price=price, today=today, approved_raise=approved_raise)
    record = StockRecord.objects.select_for_update().filter(partner=partner, product=product).first()
    if record is None:
        record = StockRecord(partner=partner, product=product, partner_sku=f"{partner.code}-{product.pk}")
    record.price = price
    record.price_currency = CURRENCY
    _save_with_history(record, actor=actor, reason=reason)
    return record


@transaction.atomic
def price_change_request_file(*, stockrecord, requested_price, reason: str, actor) -> PriceChangeRequest:
    """A company asks for a new price during its term. Refused at once if it would break the guide price."""
    requested_price = parse_amount(requested_price, field=_("requested price"))
    if not reason.strip():
        raise DomainError(_("Say why the price should change."), code="reason_missing")
    if requested_price == stockrecord.price:
        raise DomainError(_("The requested price equals the current price."), code="price_unchanged")
    contract_price_check(
        partner=stockrecord.partner, product=stockrecord.product, price=requested_price, approved_raise=True
    )
    if PriceChangeRequest.objects.filter(stockrecord=stockrecord, status=PriceChangeRequest.Status.PENDING).exists():
        raise DomainError(_("A price-change request for this item is already waiting for a decision."), code="already_pending")
    change = PriceChangeRequest(
        stockrecord=stockrecord,
        current_price=stockrecord.price,
        requested_price=requested_price,
        reason=reason.strip(),
        requested_by=actor,
    )
    _save_with_history(change, actor=actor, reason=reason)
    return change


@transaction.atomic
def price_change_request_approve(*, change_request: PriceChangeRequest, actor, reason: str) -> PriceChangeRequest:
    change = _lock_pending(change_request)
    contract_price_set(
        partner=change.stockrecord.partner,
        product=change.stockrecord.product,
        price=change.requested_price,
        actor=actor,
        reason=_("Price-change request #%(id)s approved: %(reason)s") % {"id": change.pk, "reason": reason},
        approved_raise=True,
    )
    return _decide(change, status=PriceChangeRequest.Status.APPROVED, actor=actor, reason=reason)


@transaction.atomic
def price_change_request_reject(*, change_request: PriceChangeRequest, actor, reason: str) -> PriceChangeRequest:
    if not reason.strip():
        raise DomainError(_("Say why the request is rejected."), code="reason_missing")
    change = _lock_pending(change_request)
    return _decide(change, status=PriceChangeRequest.Status.REJECTED, actor=actor, reason=reason)


def _lock_pending(change_request: PriceChangeRequest) -> PriceChangeRequest:
    change = PriceChangeRequest.objects.select_for_update().select_related("stockrecord__partner", "stockrecord__product").get(
        pk=change_request.pk
    )
    if change.status != PriceChangeRequest.Status.PENDING:
        raise errors.PriceChangeNotPending(
            _("This price-change request was already %(status)s.") % {"status": change.get_status_display()}
        )
    return change


def _decide(change: PriceChangeRequest, *, status: str, actor, reason: str) -> PriceChangeRequest:
    change.status = status
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.decision_reason = reason.strip()
    _save_with_history(change, actor=actor, reason=reason)
    return change


# --- CSV import -------------------------------------------------------------------------------

GUIDE_PRICE_COLUMNS = ["item_upc", "region_code", "market_price", "market_source", "market_surveyed_on", "guide_price"]
CONTRACT_PRICE_COLUMNS = ["partner_code", "item_upc", "price"]


@transaction.atomic
def guide_prices_import_csv(*, text: str, actor, reason: str) -> int:
    """Import guide prices from CSV (columns: GUIDE_PRICE_COLUMNS). All rows or none: any bad row
    rejects the whole file with every row's error listed."""

    def apply(row):
        region = None
        if row["region_code"].strip():
            region = Region.objects.filter(code=row["region_code"].strip()).first()
            if region is None:
                raise DomainError(_("unknown region %(code)s") % {"code": row["region_code"]})
        guide_price_set(
            product=_product_by_upc(row["item_upc"]),
            region=region,
            market_price=row["market_price"],
            market_source=row["market_source"],
            market_surveyed_on=_parse_date(row["market_surveyed_on"]),
            guide_price=row["guide_price"],
            actor=actor,
            reason=reason,
        )

    return _import_rows(text, GUIDE_PRICE_COLUMNS, apply)


@transaction.atomic
def contract_prices_import_csv(*, text: str, actor, reason: str) -> int:
    """Import contracted prices (columns: CONTRACT_PRICE_COLUMNS), all rows or none."""

    def apply(row):
        partner = Partner.objects.filter(code=row["partner_code"].strip()).first()
        if partner is None:
            raise DomainError(_("unknown company code %(code)s") % {"code": row["partner_code"]})
        contract_price_set(
            partner=partner, product=_product_by_upc(row["item_upc"]), price=row["price"], actor=actor, reason=reason
        )

    return _import_rows(text, CONTRACT_PRICE_COLUMNS, apply)


def _import_rows(text: str, columns: list[str], apply) -> int:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise errors.ImportRejected(
            _("The CSV lacks the columns: %(missing)s.") % {"missing": ", ".join(missing)}, row_errors=[]
        )
    row_errors, count = [], 0
    for line_number, row in enumerate(reader, start=2):
        try:
            with transaction.atomic():
                apply(row)
            count += 1
        except (DomainError, ValidationError) as exc:
            message = exc.message if isinstance(exc, DomainError) else "; ".join(exc.messages)
            row_errors.append(_("line %(line)s: %(error)s") % {"line": line_number, "error": message})
    if row_errors:
        transaction.set_rollback(True)
        raise errors.ImportRejected(
            _("Nothing was imported; %(count)s rows have errors: %(errors)s")
            % {"count": len(row_errors), "errors": " | ".join(str(e) for e in row_errors)},
            row_errors=[str(e) for e in row_errors],
        )
    return count


def _product_by_upc(upc: str):
    product = Product.objects.filter(upc=upc.strip()).first()
    if product is None:
        raise DomainError(_("unknown service item %(upc)s") % {"upc": upc})
    return product


def _parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(_("%(value)r is not a date (YYYY-MM-DD)") % {"value": value}) from None


# --- helpers ----------------------------------------------------------------------------------


def _save_with_history(instance, *, actor, reason: str) -> None:
    instance._history_user = actor
    instance._change_reason = reason
    instance.full_clean(validate_unique=False)
    instance.save()


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}"


def _show_limit(limit: Decimal) -> str:
    # Show the exact limit, without trailing zeros beyond the fen.
    return f"{limit.normalize():f}" if limit != limit.quantize(Decimal("0.01")) else f"{limit:.2f}"
