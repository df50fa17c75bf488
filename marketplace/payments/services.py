"""Writes about payments: starting one, applying what providers report, cash on site, refunds and the
daily reconciliation.

The payment lifecycle is data (``PAYMENT_TRANSITIONS``); ``payment_transition`` is the only function that
changes a payment's status. It locks the row, refuses an illegal move and writes a history row.

Money is booked in the append-only ledger, keyed by the provider's transaction id, so applying the same
fact twice (a replayed notification, a webhook and a status check, a retry) books it once. A job is paid
at most once: the database holds one ``paid`` payment per request. Money that arrives but does not fit
(wrong amount or currency, the job already paid, a refund larger than what was paid) is not booked: the
payment is flagged for finance (``needs_review``).
"""
from __future__ import annotations

import datetime
import hashlib
import json
import logging
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.errors import NotYours
from marketplace.models import RequestStatus, ServiceRequest
from marketplace.money import FEN, format_cny, parse_amount
from marketplace.payments import selectors
from marketplace.payments.errors import (
    AlreadyPaid,
    CashInvalid,
    FlagResolveInvalid,
    GatewayError,
    IllegalPaymentTransition,
    MethodNotEnabled,
    PaymentNotAllowed,
    RefundInvalid,
)
from marketplace.payments.models import (
    PROVIDER_OF_METHOD,
    FlagOutcome,
    LedgerKind,
    MismatchKind,
    NotificationOutcome,
    Payment,
    PaymentLedgerEntry,
    PaymentMethod,
    PaymentNotification,
    PaymentRefund,
    PaymentStatusChange,
    Provider,
    ReconciliationMismatch,
    ReconciliationRun,
    ReconciliationStatus,
    RefundStatus,
)
from marketplace.payments.models import PaymentStatus as S
from marketplace.payments.providers import (
    base,
    enabled_methods,
    enabled_providers,
    gateway_for,
)
from marketplace.roles import Role, has_role

logger = logging.getLogger("marketplace.payments")

PAYABLE_REQUEST_STATUSES = (RequestStatus.COMPLETED, RequestStatus.CLOSED)
OPEN_STATUSES = (S.CREATED, S.PENDING)

# (from, to) → what the move means. A paid payment never moves: refunds are ledger entries.
PAYMENT_TRANSITIONS: dict[tuple[str, str], str] = {
    (S.CREATED, S.PENDING): gettext_lazy("sent to the provider / recorded"),
    (S.CREATED, S.PAID): gettext_lazy("paid"),
    (S.CREATED, S.FAILED): gettext_lazy("the provider refused it"),
    (S.CREATED, S.CANCELLED): gettext_lazy("cancelled"),
    (S.CREATED, S.NEEDS_REVIEW): gettext_lazy("flagged for finance"),
    (S.PENDING, S.PAID): gettext_lazy("paid"),
    (S.PENDING, S.FAILED): gettext_lazy("the payment failed"),
    (S.PENDING, S.CANCELLED): gettext_lazy("cancelled"),
    (S.PENDING, S.NEEDS_REVIEW): gettext_lazy("flagged for finance"),
    (S.FAILED, S.PAID): gettext_lazy("paid on a later try"),
    (S.FAILED, S.CANCELLED): gettext_lazy("cancelled"),
    (S.FAILED, S.NEEDS_REVIEW): gettext_lazy("flagged for finance"),
    (S.CANCELLED, S.PAID): gettext_lazy("paid after all"),
    (S.CANCELLED, S.NEEDS_REVIEW): gettext_lazy("flagged for finance"),
    (S.NEEDS_REVIEW, S.CANCELLED): gettext_lazy("resolved by finance: not accepted"),
}


# --- the lifecycle -------------------------------------------------------------------------------


@transaction.atomic
def payment_transition(*, payment: Payment, to_status: str, actor=None, notification=None, reason: str = "",
                       now: datetime.datetime | None = None, **changes) -> Payment:
    """Move a payment along its lifecycle or refuse. ``changes`` are saved with the move."""
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    if (locked.status, to_status) not in PAYMENT_TRANSITIONS:
        raise IllegalPaymentTransition(
            _("Payment %(reference)s cannot go from “%(from)s” to “%(to)s”.")
            % {"reference": locked.reference, "from": S(locked.status).label, "to": S(to_status).label},
            params={"from": locked.status, "to": to_status},
        )
    now = now or timezone.now()
    from_status = locked.status
    locked.status = to_status
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save()
    PaymentStatusChange.objects.create(payment=locked, from_status=from_status, to_status=to_status, actor=actor,
                                       notification=notification, reason=reason, changed_at=now)
    payment.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def _new_reference(prefix: str) -> str:
    """Our order number: letters and digits only (WeChat allows 6–32 of [0-9A-Za-z_-|*])."""
    return f"{prefix}{timezone.localdate():%y%m%d}{secrets.token_hex(6).upper()}"


def payable_check(*, request: ServiceRequest) -> Decimal:
    """A job can be paid once it is completed with a final price above zero; returns that price."""
    if request.status not in PAYABLE_REQUEST_STATUSES or request.final_price is None or request.company_id is None:
        raise PaymentNotAllowed(
            _("Request #%(id)s cannot be paid yet: a job is paid after the company completes it with a final price.")
            % {"id": request.pk}
        )
    if request.final_price <= 0:
        raise PaymentNotAllowed(_("Request #%(id)s has nothing to pay (final price ¥0.00).") % {"id": request.pk})
    return request.final_price


def _lock_request(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().get(pk=request.pk)


def _refuse_if_paid(request: ServiceRequest) -> None:
    paid = Payment.objects.filter(request=request, status=S.PAID).first()
    if paid is not None:
        raise AlreadyPaid(
            _("Request #%(id)s is already paid (%(amount)s, %(method)s); it cannot be paid twice.")
            % {"id": request.pk, "amount": format_cny(paid.amount), "method": paid.get_method_display()}
        )


def _cancel_at_providers(payments: list[Payment]) -> None:
    for old in payments:
        try:
            gateway_for(old.provider).cancel(old)
        except GatewayError:
            pass  # best effort: a payment that still arrives is flagged as a duplicate


# --- residents pay online ------------------------------------------------------------------------


def jsapi_openid_check(*, payer, sent: str = "") -> str:
    """The openid a WeChat Pay JSAPI payment is made for. The payer's mini-program WeChat account, linked
    through allauth (WeChat told us its openid at sign-in), is trusted over anything a client sends: with
    one linked, an openid sent that is not one of the payer's linked accounts is refused (``openid_mismatch``)
    rather than quietly replaced; none sent uses the linked account that signed in last. With nothing linked
    the client's openid is used as before; with neither, ``openid_required``. See docs/payments.md."""
    sent = (sent or "").strip()
    linked = selectors.miniprogram_openids_of(user=payer)
    if linked:
        if sent and sent not in linked:
            raise PaymentNotAllowed(
                _("The WeChat account sent is not the one linked to your account. Pay in the mini program while "
                  "signed in with your own WeChat."), code="openid_mismatch")
        return sent or linked[0]
    if not sent:
        raise PaymentNotAllowed(
            _("WeChat Pay in the mini program needs your WeChat account: sign in to the mini program with WeChat "
              "(or link WeChat after signing in by phone), then pay."), code="openid_required")
    return sent


def payment_start(*, request: ServiceRequest, method: str, actor, openid: str = "") -> tuple[Payment, dict]:
    """The resident starts paying their completed job by ``method``: the provider is asked for a payment
    of the job's final price and the client parameters are returned. Asking again with the same method
    returns the open payment instead of making a second one; another method replaces it."""
    if request.resident_id != actor.pk:
        raise NotYours(_("Only the resident who raised request #%(id)s can pay for it.") % {"id": request.pk})
    if method not in enabled_methods() or method == PaymentMethod.CASH:
        raise MethodNotEnabled(_("“%(method)s” is not a way to pay here.") % {"method": method})
    if method == PaymentMethod.WECHAT_JSAPI:
        openid = jsapi_openid_check(payer=actor, sent=openid)
    provider = PROVIDER_OF_METHOD[method]
    gateway = gateway_for(provider)  # a provider that cannot start refuses here, before anything is made
    replaced: list[Payment] = []
    with transaction.atomic():
        locked = _lock_request(request)
        price = payable_check(request=locked)
        _refuse_if_paid(locked)
        if Payment.objects.filter(request=locked, method=PaymentMethod.CASH, status=S.PENDING).exists():
            raise PaymentNotAllowed(
                _("The company recorded a cash payment for request #%(id)s: confirm it, or say what is wrong, first.")
                % {"id": locked.pk}, code="cash_awaiting_confirmation")
        for open_payment in Payment.objects.filter(request=locked, status__in=OPEN_STATUSES):
            if open_payment.method == method and open_payment.amount == price and open_payment.status == S.PENDING:
                existing = open_payment
                break
        else:
            existing = None
        if existing is None:
            for open_payment in Payment.objects.filter(request=locked, status__in=OPEN_STATUSES):
                payment_transition(payment=open_payment, to_status=S.CANCELLED, actor=actor,
                                   reason=_("replaced by a payment by %(method)s") % {"method": PaymentMethod(method).label})
                if open_payment.provider != Provider.CASH:
                    replaced.append(open_payment)
            payment = Payment.objects.create(
                request=locked, company_id=locked.company_id, resident_id=locked.resident_id, method=method,
                provider=provider, amount=price, reference=_new_reference("MS"), created_by=actor, created_at=timezone.now(),
            )
            PaymentStatusChange.objects.create(payment=payment, to_status=S.CREATED, actor=actor, changed_at=payment.created_at)
    if existing is not None:
        return existing, gateway.client_params(existing)
    _cancel_at_providers(replaced)
    try:
        started = gateway.create_payment(payment, openid=openid)
    except GatewayError as exc:
        payment_transition(payment=payment, to_status=S.FAILED, actor=actor, reason=str(exc.message))
        raise
    payment = payment_transition(payment=payment, to_status=S.PENDING, actor=actor,
                                 provider_reference=started.provider_reference, client_data=started.stored)
    return payment, gateway.client_params(payment)


def payment_refresh(*, payment: Payment, actor=None) -> Payment:
    """Ask the provider where an unfinished payment stands and apply the answer (for a notification that is
    late or lost). The answer is verified by the provider's API signature and booked like a notification."""
    if payment.provider == Provider.CASH or payment.status in (S.PAID, S.NEEDS_REVIEW):
        return payment
    changes = gateway_for(payment.provider).fetch_status(payment)
    for change in changes:
        with transaction.atomic():
            _apply_change(provider=payment.provider, change=change, actor=actor, source=_("status check"))
    payment.refresh_from_db()
    return payment


# --- notifications ------------------------------------------------------------------------------


def _change_to_json(change: base.ProviderChange) -> dict:
    data = dict(change.__dict__)
    data["amount"] = None if change.amount is None else str(change.amount)
    data["occurred_at"] = change.occurred_at.isoformat() if change.occurred_at else None
    return data


def _change_from_json(data: dict) -> base.ProviderChange:
    data = dict(data)
    data["amount"] = None if data.get("amount") is None else Decimal(data["amount"])
    data["occurred_at"] = datetime.datetime.fromisoformat(data["occurred_at"]) if data.get("occurred_at") else None
    return base.ProviderChange(**data)


# Which outcome a notification shows when its changes had different outcomes.
_OUTCOME_WEIGHT = [NotificationOutcome.FLAGGED, NotificationOutcome.DEFERRED, NotificationOutcome.UNKNOWN_PAYMENT,
                   NotificationOutcome.PROCESSED, NotificationOutcome.IGNORED]


def notification_apply(*, verified: base.VerifiedNotification) -> PaymentNotification:
    """Apply a verified notification once. A replay (same provider event id) changes nothing and returns
    the first record with ``replayed = True``. Order does not matter: a refund that arrives before its
    payment is kept (``deferred``) and applied when the payment is."""
    event_id = verified.event_id or hashlib.sha256(json.dumps(verified.payload, sort_keys=True).encode()).hexdigest()
    with transaction.atomic():
        try:
            with transaction.atomic():
                notification = PaymentNotification.objects.create(
                    provider=verified.provider, event_id=event_id, event_type=verified.event_type[:64],
                    received_at=timezone.now(), outcome=NotificationOutcome.IGNORED, payload=verified.payload,
                    changes=[_change_to_json(change) for change in verified.changes],
                )
        except IntegrityError:
            notification = PaymentNotification.objects.get(provider=verified.provider, event_id=event_id)
            notification.replayed = True
            logger.info("Replayed %s notification %s ignored", verified.provider, event_id)
            return notification
        outcomes, details, payment = [], [], None
        for change in verified.changes:
            outcome, detail, found = _apply_change(provider=verified.provider, change=change, notification=notification)
            outcomes.append(outcome)
            details.append(detail)
            payment = payment or found
        notification.outcome = next((o for o in _OUTCOME_WEIGHT if o in outcomes), NotificationOutcome.IGNORED)
        notification.detail = "\n".join(d for d in details if d)
        notification.payment = payment
        notification.save(update_fields=["outcome", "detail", "payment"])
    notification.replayed = False
    return notification


def _find_payment(*, provider: str, change: base.ProviderChange) -> Payment | None:
    payments = Payment.objects.filter(provider=provider)
    found = None
    if change.payment_reference:
        found = payments.filter(reference=change.payment_reference).first()
    if found is None and change.provider_payment_reference:
        found = payments.filter(provider_reference=change.provider_payment_reference).first()
    return found


def _apply_change(*, provider: str, change: base.ProviderChange, notification=None, actor=None, source: str = ""):
    """Apply one verified fact. Returns (outcome, detail, payment). Must run inside a transaction."""
    payment = _find_payment(provider=provider, change=change)
    if payment is None:
        logger.warning("%s reported %s for an unknown payment (%s / %s)", provider, change.kind,
                       change.payment_reference, change.provider_payment_reference)
        return NotificationOutcome.UNKNOWN_PAYMENT, _("No payment here with that reference."), None
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    reason = source or (_("notification %(id)s") % {"id": notification.event_id} if notification else "")
    if change.kind == base.PAID:
        outcome, detail = _apply_paid(payment=payment, change=change, notification=notification, actor=actor, reason=reason)
    elif change.kind in (base.FAILED, base.CANCELLED):
        to_status = S.FAILED if change.kind == base.FAILED else S.CANCELLED
        if payment.status in OPEN_STATUSES:
            payment_transition(payment=payment, to_status=to_status, actor=actor, notification=notification, reason=reason)
            outcome, detail = NotificationOutcome.PROCESSED, ""
        else:
            # e.g. "failed" arriving after "paid": the later, stronger fact already stands.
            outcome, detail = NotificationOutcome.IGNORED, _("Payment is already %(status)s.") % {"status": payment.get_status_display()}
    elif change.kind == base.REFUNDED:
        outcome, detail = _apply_refund(payment=payment, change=change, notification=notification, actor=actor)
    elif change.kind == base.REFUND_FAILED:
        refund = _find_refund(payment=payment, change=change)
        if refund is not None and refund.status == RefundStatus.PENDING:
            refund.status, refund.completed_at = RefundStatus.FAILED, timezone.now()
            refund.failure = _("The provider reports the refund failed.")
            refund.save(update_fields=["status", "completed_at", "failure"])
            outcome, detail = NotificationOutcome.PROCESSED, ""
        else:
            outcome, detail = NotificationOutcome.IGNORED, ""
    else:
        outcome, detail = NotificationOutcome.IGNORED, ""
    return outcome, detail, payment


def _flag(*, payment: Payment, reason: str, notification=None, actor=None) -> None:
    """Money that does not fit: not booked, shown to finance."""
    logger.warning("Payment %s flagged for review: %s", payment.reference, reason)
    now = timezone.now()
    if (payment.status, S.NEEDS_REVIEW) in PAYMENT_TRANSITIONS:
        payment_transition(payment=payment, to_status=S.NEEDS_REVIEW, actor=actor, notification=notification,
                           reason=reason, now=now, flagged_at=now, flag_reason=reason)
    else:  # a paid payment keeps its status; the flag still shows
        payment.flagged_at, payment.flag_reason = now, reason
        payment.save(update_fields=["flagged_at", "flag_reason"])


def _apply_paid(*, payment: Payment, change: base.ProviderChange, notification, actor, reason: str):
    reference = change.provider_payment_reference or payment.provider_reference or payment.reference
    key = f"{payment.provider}:{LedgerKind.CHARGE}:{reference}"
    if payment.status == S.PAID or PaymentLedgerEntry.objects.filter(provider_event_id=key).exists():
        return NotificationOutcome.IGNORED, _("Already booked.")
    if payment.status == S.NEEDS_REVIEW:
        return NotificationOutcome.IGNORED, _("Already flagged for finance.")
    currency = (change.currency or "").upper()
    if change.amount != payment.amount or currency != payment.currency:
        got = f"{change.amount:.2f} {currency}" if change.amount is not None else _("no amount")
        _flag(payment=payment, notification=notification, actor=actor, reason=_(
            "The provider reports %(got)s paid, but the job's final price is %(price)s: not accepted."
        ) % {"got": got, "price": format_cny(payment.amount)})
        return NotificationOutcome.FLAGGED, _("Wrong amount.")
    other = Payment.objects.filter(request_id=payment.request_id, status=S.PAID).exclude(pk=payment.pk).first()
    if other is None:
        now = timezone.now()
        try:
            with transaction.atomic():
                payment_transition(payment=payment, to_status=S.PAID, actor=actor, notification=notification, reason=reason,
                                   paid_at=change.occurred_at or now, provider_reference=reference, now=now)
                PaymentLedgerEntry.objects.create(payment=payment, kind=LedgerKind.CHARGE, amount=payment.amount,
                                                  reference=reference, provider_event_id=key,
                                                  occurred_at=change.occurred_at or now, created_at=now)
        except IntegrityError:  # another payment of the job was booked at the same moment
            payment.refresh_from_db()
            other = Payment.objects.filter(request_id=payment.request_id, status=S.PAID).exclude(pk=payment.pk).first()
        else:
            _apply_deferred(payment=payment)
            return NotificationOutcome.PROCESSED, ""
    _flag(payment=payment, notification=notification, actor=actor, reason=_(
        "Request #%(id)s was already paid by %(other)s; this second payment of %(amount)s must be refunded."
    ) % {"id": payment.request_id, "other": other.reference if other else "?", "amount": format_cny(payment.amount)})
    return NotificationOutcome.FLAGGED, _("The job was already paid.")


def _apply_deferred(*, payment: Payment) -> None:
    """Apply the notifications that waited for this payment to be paid (a refund that overtook it)."""
    for waiting in PaymentNotification.objects.filter(payment=payment, outcome=NotificationOutcome.DEFERRED).order_by("pk"):
        outcomes = []
        for data in waiting.changes:
            change = _change_from_json(data)
            if change.kind == base.REFUNDED:
                outcome, _detail = _apply_refund(payment=payment, change=change, notification=waiting, actor=None)
                outcomes.append(outcome)
        waiting.outcome = next((o for o in _OUTCOME_WEIGHT if o in outcomes), NotificationOutcome.IGNORED)
        waiting.save(update_fields=["outcome"])


def _find_refund(*, payment: Payment, change: base.ProviderChange) -> PaymentRefund | None:
    refunds = PaymentRefund.objects.select_for_update().filter(payment=payment)
    found = None
    if change.refund_reference:
        found = refunds.filter(reference=change.refund_reference).first()
    if found is None and change.provider_refund_reference:
        found = refunds.filter(provider_reference=change.provider_refund_reference).first()
    return found


def _apply_refund(*, payment: Payment, change: base.ProviderChange, notification, actor):
    if payment.status != S.PAID:
        if notification is None:
            return NotificationOutcome.IGNORED, ""
        return NotificationOutcome.DEFERRED, _("Refund reported before the payment: kept until the payment arrives.")
    reference = change.provider_refund_reference or change.refund_reference
    key = f"{payment.provider}:{LedgerKind.REFUND}:{reference}"
    if PaymentLedgerEntry.objects.filter(provider_event_id=key).exists():
        return NotificationOutcome.IGNORED, _("Already booked.")
    amount = change.amount or Decimal(0)
    refund = _find_refund(payment=payment, change=change)
    already = selectors.payment_net_paid(payment=payment)
    if amount <= 0 or amount > already:
        _flag(payment=payment, notification=notification, actor=actor, reason=_(
            "The provider reports a refund of %(amount)s, but only %(net)s is left paid on this payment."
        ) % {"amount": format_cny(amount), "net": format_cny(already)})
        return NotificationOutcome.FLAGGED, _("Refund larger than what was paid.")
    now = timezone.now()
    if refund is None:  # made at the provider (its dashboard), not through us
        refund = PaymentRefund.objects.create(
            payment=payment, amount=amount, reason=_("Refund made at the provider."), requested_at=now,
            reference=(change.refund_reference or f"EXT-{reference}")[:64], provider_reference=reference,
        )
    refund.status, refund.completed_at, refund.provider_reference = RefundStatus.SUCCEEDED, now, reference
    refund.save(update_fields=["status", "completed_at", "provider_reference"])
    PaymentLedgerEntry.objects.create(payment=payment, kind=LedgerKind.REFUND, amount=amount, reference=reference,
                                      provider_event_id=key, refund=refund, occurred_at=change.occurred_at or now,
                                      created_at=now)
    return NotificationOutcome.PROCESSED, ""


# --- cash on site --------------------------------------------------------------------------------


def payment_record_cash(*, request: ServiceRequest, company, actor, amount, note: str = "") -> Payment:
    """The company records that the resident paid the final price in cash or by transfer on site. It counts
    as paid only when the resident (or an agent at the call-back) confirms it."""
    if PaymentMethod.CASH not in enabled_methods():
        raise MethodNotEnabled(_("Cash payments are not enabled."))
    if request.company_id != company.pk:
        raise NotYours(_("This job is not your company's."))
    amount = parse_amount(amount, field=_("amount received"))
    with transaction.atomic():
        locked = _lock_request(request)
        price = payable_check(request=locked)
        _refuse_if_paid(locked)
        if amount != price:
            raise CashInvalid(
                _("The amount received (%(amount)s) must be the job's final price (%(price)s).")
                % {"amount": format_cny(amount), "price": format_cny(price)},
                params={"amount": amount, "price": price},
            )
        if Payment.objects.filter(request=locked, method=PaymentMethod.CASH, status=S.PENDING).exists():
            raise CashInvalid(_("Cash for request #%(id)s is already recorded and waits for the resident's confirmation.")
                              % {"id": locked.pk})
        now = timezone.now()
        payment = Payment.objects.create(
            request=locked, company_id=locked.company_id, resident_id=locked.resident_id, method=PaymentMethod.CASH,
            provider=Provider.CASH, amount=price, reference=_new_reference("CA"), created_by=actor, created_at=now,
            recorded_by=actor, note=note.strip(),
        )
        PaymentStatusChange.objects.create(payment=payment, to_status=S.CREATED, actor=actor, changed_at=now)
        payment_transition(payment=payment, to_status=S.PENDING, actor=actor, now=now,
                           reason=_("recorded by the company; waiting for the resident's confirmation"),
                           provider_reference=payment.reference)
    return payment


def _may_confirm_cash(payment: Payment, actor) -> bool:
    return actor.pk == payment.resident_id or has_role(actor, Role.CENTRE_AGENT, Role.ADMINISTRATOR)


def payment_confirm_cash(*, payment: Payment, actor, note: str = "") -> Payment:
    """The resident (or an agent at the call-back) confirms the cash the company recorded: now it is paid."""
    if not _may_confirm_cash(payment, actor):
        raise PaymentNotAllowed(_("Only the resident, or a centre agent at the call-back, can confirm a cash payment."))
    replaced: list[Payment] = []
    with transaction.atomic():
        _lock_request(payment.request)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.method != PaymentMethod.CASH or payment.status != S.PENDING:
            raise CashInvalid(_("There is no recorded cash payment waiting for confirmation."))
        _refuse_if_paid(payment.request)
        who = _("the resident") if actor.pk == payment.resident_id else _("centre agent %(name)s") % {"name": actor}
        change = base.ProviderChange(kind=base.PAID, payment_reference=payment.reference,
                                     provider_payment_reference=payment.reference, amount=payment.amount, currency="CNY",
                                     occurred_at=timezone.now())
        outcome, detail = _apply_paid(payment=payment, change=change, notification=None, actor=actor,
                                      reason=_("cash confirmed by %(who)s") % {"who": who} + (f": {note.strip()}" if note.strip() else ""))
        if outcome != NotificationOutcome.PROCESSED:
            raise CashInvalid(detail)
        Payment.objects.filter(pk=payment.pk).update(confirmed_by=actor, confirmed_at=timezone.now())
        for open_payment in Payment.objects.filter(request_id=payment.request_id, status__in=OPEN_STATUSES):
            payment_transition(payment=open_payment, to_status=S.CANCELLED, actor=actor, reason=_("paid in cash"))
            replaced.append(open_payment)
    _cancel_at_providers(replaced)
    payment.refresh_from_db()
    return payment


def payment_dispute_cash(*, payment: Payment, actor, reason: str) -> Payment:
    """The resident says the recorded cash was not paid (or not that amount): finance looks into it."""
    if not _may_confirm_cash(payment, actor):
        raise PaymentNotAllowed(_("Only the resident, or a centre agent at the call-back, can dispute a cash payment."))
    reason = (reason or "").strip()
    if not reason:
        raise CashInvalid(_("Say what is wrong with the recorded cash payment."))
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.method != PaymentMethod.CASH or payment.status != S.PENDING:
            raise CashInvalid(_("There is no recorded cash payment waiting for confirmation."))
        _flag(payment=payment, actor=actor, reason=_("Disputed by %(who)s: %(reason)s") % {"who": actor, "reason": reason})
    payment.refresh_from_db()
    return payment


# --- refunds -------------------------------------------------------------------------------------


def payment_refund(*, payment: Payment, amount, reason: str, actor) -> PaymentRefund:
    """An administrator gives back all or part of a paid payment (e.g. after an upheld overcharge
    complaint), through the payment's provider. At most what is still paid (charges − refunds − refunds in
    progress) can be refunded. Booked in the ledger when the provider confirms it."""
    if not has_role(actor, Role.ADMINISTRATOR):
        raise PaymentNotAllowed(_("Only administrators can refund payments."))
    amount = parse_amount(amount, field=_("refund amount"))
    reason = (reason or "").strip()
    if amount <= 0:
        raise RefundInvalid(_("A refund must be more than ¥0.00."))
    if not reason:
        raise RefundInvalid(_("Give the reason for the refund (e.g. the upheld complaint)."))
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != S.PAID:
            raise RefundInvalid(_("Only a paid payment can be refunded (this one is %(status)s).")
                                % {"status": payment.get_status_display()})
        refundable = selectors.payment_refundable(payment=payment)
        if amount > refundable:
            raise RefundInvalid(
                _("A refund of %(amount)s is more than the %(refundable)s still refundable on this payment.")
                % {"amount": format_cny(amount), "refundable": format_cny(refundable)},
                params={"amount": amount, "refundable": refundable},
            )
        refund = PaymentRefund.objects.create(payment=payment, amount=amount, reason=reason, requested_by=actor,
                                              requested_at=timezone.now(), reference=_new_reference("RF"))
    try:
        result = gateway_for(payment.provider).refund(payment, refund)
    except GatewayError as exc:
        PaymentRefund.objects.filter(pk=refund.pk).update(status=RefundStatus.FAILED, completed_at=timezone.now(),
                                                          failure=str(exc.message))
        raise
    with transaction.atomic():
        if result.status == "succeeded":
            change = base.ProviderChange(kind=base.REFUNDED, payment_reference=payment.reference,
                                         provider_payment_reference=payment.provider_reference, amount=amount,
                                         occurred_at=result.occurred_at, refund_reference=refund.reference,
                                         provider_refund_reference=result.provider_reference)
            _apply_change(provider=payment.provider, change=change, actor=actor, source=_("refund"))
        elif result.status == "pending":
            PaymentRefund.objects.filter(pk=refund.pk).update(provider_reference=result.provider_reference)
        else:
            PaymentRefund.objects.filter(pk=refund.pk).update(status=RefundStatus.FAILED, completed_at=timezone.now(),
                                                              provider_reference=result.provider_reference,
                                                              failure=result.failure)
    refund.refresh_from_db()
    return refund


# --- flags -----------------------------------------------------------------------------------------


def payment_flag_resolve(*, payment: Payment, actor, outcome: str, note: str) -> Payment:
    """A finance officer (or administrator) closes a flag after looking into it: what was found and
    what was done, in words. Flagged money was never booked, so the ledger is not touched; a payment
    still waiting for review is closed as not accepted (``needs_review → cancelled``). A paid payment
    that carries a flag keeps its status. A flag is resolved once; the record stays as history."""
    if not has_role(actor, Role.FINANCE_OFFICER, Role.ADMINISTRATOR):
        raise PaymentNotAllowed(_("Only finance officers and administrators resolve flagged payments."))
    if outcome not in FlagOutcome.values:
        raise FlagResolveInvalid(_("Choose what was found."))
    note = (note or "").strip()
    if not note:
        raise FlagResolveInvalid(_("Say what was done (e.g. the provider's refund number)."))
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if not locked.flag_open:
            raise FlagResolveInvalid(_("Payment %(reference)s has no open flag.") % {"reference": locked.reference})
        now = timezone.now()
        resolution = {"flag_resolved_at": now, "flag_resolved_by": actor, "flag_outcome": outcome,
                      "flag_resolution": note[:2000]}
        if locked.status == S.NEEDS_REVIEW:
            reason = f"{FlagOutcome(outcome).label}: {note}"
            locked = payment_transition(payment=locked, to_status=S.CANCELLED, actor=actor, reason=reason, now=now,
                                        **resolution)
        else:
            for name, value in resolution.items():
                setattr(locked, name, value)
            locked.save(update_fields=list(resolution))
    payment.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


# --- reconciliation ------------------------------------------------------------------------------


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    return start, start + datetime.timedelta(days=1)


def reconciliation_run(*, day: datetime.date, provider: str, actor=None, force: bool = False) -> ReconciliationRun:
    """Compare our ledger's charges and refunds of ``day`` (by the provider's time) with the provider's
    records of that day, and list every difference for finance. Without ``force`` a day already reconciled
    is not run again (the beat task may run late or twice)."""
    if not force:
        done = ReconciliationRun.objects.filter(day=day, provider=provider).exclude(status=ReconciliationStatus.FAILED).first()
        if done is not None:
            return done
    start, end = _day_bounds(day)
    ours: dict[tuple[str, str], Decimal] = {}
    payment_of: dict[tuple[str, str], int] = {}
    for entry in PaymentLedgerEntry.objects.filter(payment__provider=provider, occurred_at__gte=start, occurred_at__lt=end):
        key = (entry.kind, entry.reference)
        ours[key] = ours.get(key, Decimal(0)) + entry.amount
        payment_of[key] = entry.payment_id
    run = ReconciliationRun(day=day, provider=provider, started_at=timezone.now(), started_by=actor,
                            status=ReconciliationStatus.MATCHED)
    try:
        records = gateway_for(provider).list_transactions(day)
    except GatewayError as exc:
        run.status, run.error = ReconciliationStatus.FAILED, str(exc.message)
        run.our_charges = sum((a for (k, _r), a in ours.items() if k == LedgerKind.CHARGE), Decimal(0))
        run.our_refunds = sum((a for (k, _r), a in ours.items() if k == LedgerKind.REFUND), Decimal(0))
        run.save()
        return run
    theirs: dict[tuple[str, str], Decimal] = {}
    their_payment_reference: dict[tuple[str, str], str] = {}
    for record in records:
        key = (record.kind, record.reference)
        theirs[key] = theirs.get(key, Decimal(0)) + (record.amount or Decimal(0))
        their_payment_reference[key] = record.payment_reference
    mismatches = []
    for key in sorted(set(ours) | set(theirs)):
        kind, reference = key
        our_amount, their_amount = ours.get(key), theirs.get(key)
        if our_amount == their_amount:
            continue
        payment_id = payment_of.get(key)
        if payment_id is None:
            lookup = their_payment_reference.get(key) or (reference if kind == LedgerKind.CHARGE else "")
            if lookup:
                found = (Payment.objects.filter(provider=provider, reference=lookup).first()
                         or Payment.objects.filter(provider=provider, provider_reference=lookup).first())
                payment_id = found.pk if found else None
        mismatch_kind = (MismatchKind.MISSING_HERE if our_amount is None
                         else MismatchKind.MISSING_AT_PROVIDER if their_amount is None else MismatchKind.AMOUNT_DIFFERS)
        mismatches.append(ReconciliationMismatch(kind=mismatch_kind, entry_kind=kind, reference=reference,
                                                 payment_id=payment_id, our_amount=our_amount, provider_amount=their_amount))
    run.our_charges = sum((a for (k, _r), a in ours.items() if k == LedgerKind.CHARGE), Decimal(0)).quantize(FEN)
    run.our_refunds = sum((a for (k, _r), a in ours.items() if k == LedgerKind.REFUND), Decimal(0)).quantize(FEN)
    run.provider_charges = sum((a for (k, _r), a in theirs.items() if k == LedgerKind.CHARGE), Decimal(0)).quantize(FEN)
    run.provider_refunds = sum((a for (k, _r), a in theirs.items() if k == LedgerKind.REFUND), Decimal(0)).quantize(FEN)
    run.status = ReconciliationStatus.MISMATCHED if mismatches else ReconciliationStatus.MATCHED
    with transaction.atomic():
        run.save()
        for mismatch in mismatches:
            mismatch.run = run
        ReconciliationMismatch.objects.bulk_create(mismatches)
    if mismatches:
        logger.warning("Reconciliation %s %s: %d mismatches", day, provider, len(mismatches))
    return run


def reconciliation_run_due(*, now: datetime.datetime | None = None) -> list[ReconciliationRun]:
    """Yesterday's reconciliation for every enabled provider that keeps records (not cash). Idempotent."""
    yesterday = timezone.localdate(now or timezone.now()) - datetime.timedelta(days=1)
    return [reconciliation_run(day=yesterday, provider=provider)
            for provider in enabled_providers() if provider != Provider.CASH]
