"""Writes of the matcher: offering requests to companies one at a time, accepting, declining,
expiring (with the cascade to the next company) and escalating to the agents' supervise queue.

Concurrency: every change to an offer first locks its request row (``select_for_update``), so an
accept, a decline, an expiry and an agent's dispatch on the same request are serialised; whichever
comes second sees the new state and is refused with a clear answer ("taken", "expired").
"""
from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import NotYours
from marketplace.models import RequestStatus as R
from marketplace.models import ServiceRequest
from marketplace.selectors import policy_for_year
from marketplace.services import request_transition
from matching import engine, selectors
from matching.errors import DispatchInvalid, OfferExpired, OfferTaken
from matching.models import Match, Offer
from providers.models import Company, CompanyStatus

logger = logging.getLogger("matching")
CANDIDATES_KEPT = 10


def offer_window(*, request: ServiceRequest, now: datetime.datetime) -> datetime.timedelta:
    """Rule (policy): an offer stays open for ``offer_window_asap_seconds`` (as soon as possible, e.g. 90 s)
    or ``offer_window_scheduled_seconds`` (a scheduled visit, e.g. 30 min)."""
    policy = policy_for_year(year=timezone.localtime(now).year)
    seconds = policy.offer_window_asap_seconds if request.as_soon_as_possible else policy.offer_window_scheduled_seconds
    return datetime.timedelta(seconds=seconds)


def should_escalate(*, request: ServiceRequest, now: datetime.datetime) -> bool:
    """Rule (policy): after ``escalate_after_declines`` declines or timeouts, or ``escalate_after_minutes``
    without an accept, a request goes to the agents' supervise queue (督办)."""
    policy = policy_for_year(year=timezone.localtime(now).year)
    refused = request.offers.filter(status__in=[Offer.Status.DECLINED, Offer.Status.EXPIRED]).count()
    waited = now - request.created_at
    return refused >= policy.escalate_after_declines or waited >= datetime.timedelta(minutes=policy.escalate_after_minutes)


def requests_assign_waiting(*, now: datetime.datetime | None = None) -> dict[int, int | None]:
    """Assign every request waiting in 'matching' — together, by a min-cost assignment over the pruned
    candidates (engine.assign_batch) — and offer each its company. Returns request id → company id."""
    now = now or timezone.now()
    with transaction.atomic():
        waiting = selectors.waiting_requests()
        if not waiting:
            return {}
        # Lock the batch so a second assigner running at the same moment skips these requests.
        locked_ids = set(
            ServiceRequest.objects.select_for_update(skip_locked=True)
            .filter(pk__in=[r.pk for r in waiting], status=R.MATCHING)
            .values_list("pk", flat=True)
        )
        waiting = [r for r in waiting if r.pk in locked_ids]
        companies = selectors.nearby_companies(requests=waiting)
        snapshots = selectors.company_snapshots(companies=companies, requests=waiting, now=now)
        request_snaps = {r.pk: selectors.request_snapshot(r, now=now) for r in waiting}
        if snapshots:
            index = engine.SpatialIndex(snapshots)
            ranked = {pk: engine.rank(index, snap, limit=CANDIDATES_KEPT) for pk, snap in request_snaps.items()}
            assignment = engine.assign_batch(index, list(request_snaps.values()), per_request_limit=CANDIDATES_KEPT)
        else:
            ranked, assignment = {pk: [] for pk in request_snaps}, {}
        names = {c.pk: c.legal_name for c in companies}
        for request in waiting:
            candidates = ranked[request.pk]
            chosen = assignment.get(request.pk)
            if not candidates:
                request_transition(request=request, to_status=R.ESCALATED, actor=None, now=now,
                                   reason=_("no company can take it (category, area, hours, capacity)"))
                continue
            if chosen is None:
                continue  # every candidate is busy with this batch: wait for the next round
            match = Match.objects.create(
                request=request, created_at=now, batch=len(waiting) > 1,
                candidates=[
                    {"company_id": c.company_id, "company_name": names.get(c.company_id, ""),
                     "distance_km": round(c.distance_km, 3), "parts": {k: round(v, 4) for k, v in c.parts.items()},
                     "cost": round(c.cost, 4), "chosen": c.company_id == chosen}
                    for c in candidates
                ],
            )
            _offer(request=request, company_id=chosen, match=match, now=now)
    return assignment


def _offer(*, request: ServiceRequest, company_id: int, now: datetime.datetime, match: Match | None = None,
           by_hand: bool = False, hand_reason: str = "", actor=None) -> Offer:
    offer = Offer.objects.create(
        request=request, company_id=company_id, match=match, offered_at=now,
        expires_at=now + offer_window(request=request, now=now), by_hand=by_hand, hand_reason=hand_reason,
    )
    request_transition(request=request, to_status=R.OFFERED, actor=actor, now=now,
                       reason=_("offered to %(company)s until %(until)s")
                       % {"company": offer.company.legal_name, "until": timezone.localtime(offer.expires_at).strftime("%H:%M:%S")})
    from matching import tasks

    transaction.on_commit(lambda: tasks.expire_offer.apply_async((offer.pk,), eta=offer.expires_at))
    return offer


def _lock(offer_id: int) -> tuple[ServiceRequest, Offer]:
    request_id = Offer.objects.values_list("request_id", flat=True).get(pk=offer_id)
    request = ServiceRequest.objects.select_for_update().get(pk=request_id)
    offer = Offer.objects.select_for_update().select_related("company").get(pk=offer_id)
    return request, offer


@transaction.atomic
def offer_accept(*, offer_id: int, company: Company, actor, now: datetime.datetime | None = None) -> ServiceRequest:
    """A company's staff member accepts an offer. Exactly one accept can win a request."""
    now = now or timezone.now()
    request, offer = _lock(offer_id)
    if offer.company_id != company.pk:
        raise NotYours(_("This offer was not made to your company."))
    if offer.status == Offer.Status.EXPIRED or (offer.status == Offer.Status.PENDING and offer.expires_at <= now):
        raise OfferExpired(_("Too late: the offer expired at %(at)s.") % {"at": timezone.localtime(offer.expires_at).strftime("%H:%M:%S")})
    if offer.status != Offer.Status.PENDING or request.status != R.OFFERED:
        raise OfferTaken(_("Too late: this request has been taken or withdrawn."))
    if offer.expires_at <= now:
        raise OfferExpired(_("Too late: the offer expired at %(at)s.") % {"at": timezone.localtime(offer.expires_at).strftime("%H:%M:%S")})
    if company.status != CompanyStatus.CONTRACTED:
        raise OfferTaken(_("Your company cannot take work while it is %(status)s.") % {"status": company.get_status_display()})
    offer.status, offer.responded_at, offer.responded_by = Offer.Status.ACCEPTED, now, actor
    offer.save(update_fields=["status", "responded_at", "responded_by"])
    return request_transition(request=request, to_status=R.ACCEPTED, actor=actor, now=now,
                              reason=_("accepted by %(company)s") % {"company": company.legal_name}, company=company)


@transaction.atomic
def offer_decline(*, offer_id: int, company: Company, actor, reason: str, now: datetime.datetime | None = None) -> Offer:
    """A company declines with a reason; the request cascades to the next company (or escalates)."""
    now = now or timezone.now()
    if not reason.strip():
        raise DispatchInvalid(_("Say why you decline."), code="reason_required")
    request, offer = _lock(offer_id)
    if offer.company_id != company.pk:
        raise NotYours(_("This offer was not made to your company."))
    if offer.status != Offer.Status.PENDING or offer.expires_at <= now:
        raise OfferTaken(_("This offer is no longer open."))
    offer.status, offer.responded_at, offer.responded_by, offer.decline_reason = Offer.Status.DECLINED, now, actor, reason.strip()[:200]
    offer.save(update_fields=["status", "responded_at", "responded_by", "decline_reason"])
    _cascade(request=request, now=now, reason=_("%(company)s declined: %(reason)s") % {"company": company.legal_name, "reason": reason})
    return offer


def offers_expire_due(*, now: datetime.datetime | None = None) -> int:
    """Expire every open offer past its window and cascade its request. Safe to run twice, or late
    (after a worker restart): each offer is claimed with a conditional update."""
    now = now or timezone.now()
    expired = 0
    for offer_id in list(Offer.objects.filter(status=Offer.Status.PENDING, expires_at__lte=now).values_list("pk", flat=True)):
        with transaction.atomic():
            request, offer = _lock(offer_id)
            if offer.status != Offer.Status.PENDING:
                continue
            offer.status, offer.responded_at = Offer.Status.EXPIRED, now
            offer.save(update_fields=["status", "responded_at"])
            _cascade(request=request, now=now, reason=_("%(company)s did not answer in time") % {"company": offer.company.legal_name})
            expired += 1
    return expired


def _cascade(*, request: ServiceRequest, now: datetime.datetime, reason: str) -> None:
    if request.status != R.OFFERED:
        return
    if should_escalate(request=request, now=now):
        request_transition(request=request, to_status=R.ESCALATED, actor=None, now=now,
                           reason=_("%(reason)s; escalated to the supervise queue") % {"reason": reason})
        return
    request_transition(request=request, to_status=R.MATCHING, actor=None, now=now, reason=reason)
    from matching import tasks

    transaction.on_commit(lambda: tasks.assign_waiting_requests.delay())


def offers_withdraw_for_request(*, request: ServiceRequest, reason: str) -> int:
    return Offer.objects.filter(request=request, status=Offer.Status.PENDING).update(
        status=Offer.Status.WITHDRAWN, decline_reason=reason[:200], responded_at=timezone.now()
    )


@transaction.atomic
def request_dispatch_by_hand(*, request: ServiceRequest, agent, company: Company, reason: str,
                             now: datetime.datetime | None = None) -> Offer:
    """An agent offers a request to a named company, with a recorded reason. The company still accepts
    (or declines) in its portal; the agent becomes the owner if nobody owns it yet (首问负责)."""
    now = now or timezone.now()
    if not reason.strip():
        raise DispatchInvalid(_("Say why this company is chosen."), code="reason_required")
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in (R.SUBMITTED, R.MATCHING, R.ESCALATED):
        raise DispatchInvalid(
            _("Request #%(id)s is %(status)s; only a waiting or escalated request can be dispatched by hand.")
            % {"id": request.pk, "status": R(request.status).label}
        )
    if company.status != CompanyStatus.CONTRACTED:
        raise DispatchInvalid(_("%(company)s is not contracted (%(status)s).") % {"company": company.legal_name, "status": company.get_status_display()})
    if Offer.objects.filter(request=request, company=company).exists():
        raise DispatchInvalid(_("%(company)s was already offered this request.") % {"company": company.legal_name})
    if request.status == R.MATCHING:
        request_transition(request=request, to_status=R.ESCALATED, actor=agent, now=now, reason=_("taken over by an agent"))
    if request.owner_id is None:
        request.owner = agent
        request.save(update_fields=["owner"])
    return _offer(request=request, company_id=company.pk, now=now, by_hand=True, hand_reason=reason.strip()[:200], actor=agent)
