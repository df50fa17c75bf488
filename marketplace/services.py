"""Writes about service requests: raising them, the lifecycle, and the centre's four verbs
(handle at once, transfer, supervise, feed back).

The lifecycle is data (``TRANSITIONS``); ``request_transition`` is the only function that changes a
request's status. It locks the row, refuses an illegal move with a clear error, and writes a
``RequestStatusChange`` row (actor, time, from, to, reason) for every move.
"""
from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.errors import IllegalTransition, NotYours, RequestInvalid
from marketplace.models import (
    CategoryDeadline,
    LinkedUnit,
    Region,
    RequestStatusChange,
    ServiceItemProfile,
    ServiceRequest,
)
from marketplace.models import (
    RequestStatus as R,
)
from marketplace.phones import normalise_phone
from marketplace.roles import Role, role_group
from marketplace.selectors import policy_for_year

# (from, to) → what the move means. Anything else is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (R.SUBMITTED, R.MATCHING): gettext_lazy("start matching"),
    (R.SUBMITTED, R.HANDLED_AT_ONCE): gettext_lazy("answered by the centre (即办)"),
    (R.SUBMITTED, R.TRANSFERRED): gettext_lazy("transferred to a linked unit (转办)"),
    (R.SUBMITTED, R.OFFERED): gettext_lazy("dispatched by hand"),
    (R.SUBMITTED, R.ESCALATED): gettext_lazy("escalated to the supervise queue"),
    (R.SUBMITTED, R.CANCELLED): gettext_lazy("cancelled by the resident"),
    (R.MATCHING, R.OFFERED): gettext_lazy("offered to a company"),
    (R.MATCHING, R.ESCALATED): gettext_lazy("nobody to offer it to"),
    (R.MATCHING, R.CANCELLED): gettext_lazy("cancelled by the resident"),
    (R.OFFERED, R.ACCEPTED): gettext_lazy("accepted"),
    (R.OFFERED, R.MATCHING): gettext_lazy("declined or timed out: cascade to the next company"),
    (R.OFFERED, R.ESCALATED): gettext_lazy("nobody accepted in time"),
    (R.OFFERED, R.CANCELLED): gettext_lazy("cancelled by the resident"),
    (R.ESCALATED, R.MATCHING): gettext_lazy("agent restarts matching"),
    (R.ESCALATED, R.OFFERED): gettext_lazy("dispatched by hand"),
    (R.ESCALATED, R.TRANSFERRED): gettext_lazy("transferred to a linked unit (转办)"),
    (R.ESCALATED, R.HANDLED_AT_ONCE): gettext_lazy("answered by the centre (即办)"),
    (R.ESCALATED, R.CANCELLED): gettext_lazy("cancelled by the resident"),
    (R.ACCEPTED, R.ON_THE_WAY): gettext_lazy("on the way"),
    (R.ACCEPTED, R.MATCHING): gettext_lazy("company withdrawn: back to matching"),
    (R.ACCEPTED, R.CANCELLED): gettext_lazy("cancelled by the resident"),
    (R.ON_THE_WAY, R.IN_SERVICE): gettext_lazy("arrived, service started"),
    (R.ON_THE_WAY, R.MATCHING): gettext_lazy("company withdrawn: back to matching"),
    (R.ON_THE_WAY, R.CANCELLED): gettext_lazy("cancelled by the resident"),
    (R.IN_SERVICE, R.COMPLETED): gettext_lazy("completed"),
    (R.COMPLETED, R.CLOSED): gettext_lazy("closed"),
    (R.TRANSFERRED, R.CLOSED): gettext_lazy("the unit reported the result"),
    (R.HANDLED_AT_ONCE, R.CLOSED): gettext_lazy("closed"),
}

CANCELLABLE = {frm for (frm, to) in TRANSITIONS if to == R.CANCELLED}


@transaction.atomic
def request_transition(
    *, request: ServiceRequest, to_status: str, actor, reason: str = "", now: datetime.datetime | None = None, **changes
) -> ServiceRequest:
    """Move a request along its lifecycle or refuse. ``changes`` are set on the request in the same save."""
    locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    move = (locked.status, to_status)
    if move not in TRANSITIONS:
        raise IllegalTransition(
            _("Request #%(id)s cannot go from “%(from)s” to “%(to)s”.")
            % {"id": locked.pk, "from": R(locked.status).label, "to": R(to_status).label if to_status in R.values else to_status},
            params={"from": locked.status, "to": to_status},
        )
    now = now or timezone.now()
    RequestStatusChange.objects.create(
        request=locked, from_status=locked.status, to_status=to_status, actor=actor, reason=reason, changed_at=now
    )
    locked.status = to_status
    if to_status == R.ACCEPTED:
        locked.accepted_at = now
    if to_status == R.MATCHING:  # back to the matcher: no company holds it any more
        locked.company, locked.accepted_at = None, None
    if to_status == R.COMPLETED:
        locked.completed_at = now
    if to_status == R.CLOSED:
        locked.closed_at = now
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.save()
    request.__dict__.update(locked.__dict__)
    return locked


def deadlines_for(*, product, raised_at: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """Response and completion deadlines of a request: the category's row in the year's policy, else the
    policy defaults."""
    policy = policy_for_year(year=timezone.localtime(raised_at).year)
    category_ids = list(product.categories.values_list("pk", flat=True))
    row = CategoryDeadline.objects.filter(policy=policy, category_id__in=category_ids).order_by("response_minutes").first()
    response_minutes = row.response_minutes if row else policy.default_response_minutes
    completion_hours = row.completion_hours if row else policy.default_completion_hours
    return (
        raised_at + datetime.timedelta(minutes=response_minutes),
        raised_at + datetime.timedelta(hours=completion_hours),
    )


def resident_for_phone(*, phone: str, name: str = ""):
    """Hotline intake: the caller's phone number finds the resident, or makes one (phone only)."""
    User = get_user_model()
    phone = normalise_phone(phone)
    user = User.objects.filter(phone=phone).first()
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(phone=phone, last_name=name[:150])
                user.groups.add(role_group(Role.RESIDENT))
        except IntegrityError:  # the same new caller arrived twice at once: the other one made them
            user = User.objects.get(phone=phone)
    if not user.groups.filter(name=Role.RESIDENT).exists():
        user.groups.add(role_group(Role.RESIDENT))  # a staff member calling about their own home
    return user


def request_create(
    *,
    resident,
    created_by,
    product,
    description: str,
    address: str,
    latitude,
    longitude,
    contact_phone: str,
    channel: str,
    answers: dict | None = None,
    region: Region | None = None,
    as_soon_as_possible: bool = True,
    window_start: datetime.datetime | None = None,
    window_end: datetime.datetime | None = None,
    public_interest: bool = False,
    idempotency_key: str | None = None,
    owner=None,
) -> tuple[ServiceRequest, bool]:
    """Raise a request. Returns (request, created). A retried call with the same idempotency key from
    the same creator returns the first request and creates nothing."""
    if idempotency_key:
        existing = ServiceRequest.objects.filter(created_by=created_by, idempotency_key=idempotency_key).first()
        if existing:
            return existing, False
    now = timezone.now()
    _validate_request(product=product, description=description, latitude=latitude, longitude=longitude,
                      as_soon_as_possible=as_soon_as_possible, window_start=window_start, window_end=window_end,
                      answers=answers or {}, now=now)
    response_due_at, completion_due_at = deadlines_for(product=product, raised_at=now)
    if not as_soon_as_possible and window_end:
        completion_due_at = max(completion_due_at, window_end)
    try:
        with transaction.atomic():
            request = ServiceRequest.objects.create(
                resident=resident, created_by=created_by, product=product, description=description.strip(),
                answers=answers or {}, address=address.strip(), latitude=latitude, longitude=longitude,
                region=region or region_nearest(latitude=latitude, longitude=longitude),
                as_soon_as_possible=as_soon_as_possible, window_start=window_start, window_end=window_end,
                contact_phone=normalise_phone(contact_phone), channel=channel, public_interest=public_interest,
                idempotency_key=idempotency_key or None, owner=owner,
                response_due_at=response_due_at, completion_due_at=completion_due_at,
            )
            RequestStatusChange.objects.create(request=request, from_status="", to_status=R.SUBMITTED,
                                               actor=created_by, reason=str(_("raised via %(channel)s") % {"channel": channel}),
                                               changed_at=now)
            route_after_submission(request=request, actor=created_by)
    except IntegrityError:
        # The same key raced in from a retry: the other attempt won; return its request.
        existing = ServiceRequest.objects.filter(created_by=created_by, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    return request, True


def route_after_submission(*, request: ServiceRequest, actor) -> None:
    """Company work goes to the matcher at once; the centre's own items, units' items and
    public-interest work wait for an agent (即办 / 转办 / volunteer dispatch)."""
    served_by = ServiceItemProfile.objects.filter(product=request.product).values_list("served_by", flat=True).first()
    if served_by == ServiceItemProfile.ServedBy.COMPANY and not request.public_interest:
        request_transition(request=request, to_status=R.MATCHING, actor=actor, reason=str(_("sent to the matcher")))
        from matching import tasks

        transaction.on_commit(lambda: tasks.assign_waiting_requests.delay())
    elif request.public_interest or served_by == ServiceItemProfile.ServedBy.VOLUNTEER:
        from volunteers import tasks as volunteer_tasks

        transaction.on_commit(lambda: volunteer_tasks.public_interest_requests_route.delay())


def region_nearest(*, latitude, longitude) -> Region | None:
    """The community whose centre is nearest (a coarse stand-in for a boundary lookup)."""
    from math import cos, radians

    lat, lng = float(latitude), float(longitude)
    best, best_d = None, None
    scale = cos(radians(lat))
    for region in Region.objects.filter(level=Region.Level.COMMUNITY).only("pk", "latitude", "longitude"):
        d = (float(region.latitude) - lat) ** 2 + ((float(region.longitude) - lng) * scale) ** 2
        if best_d is None or d < best_d:
            best, best_d = region, d
    return best


def _validate_request(*, product, description, latitude, longitude, as_soon_as_possible, window_start, window_end, answers, now):
    if not product.is_public:
        raise RequestInvalid(_("This service is not offered."), code="unknown_service")
    if not description or not description.strip():
        raise RequestInvalid(_("Describe what you need."), code="description_missing")
    try:
        lat, lng = float(latitude), float(longitude)
    except (TypeError, ValueError):
        raise RequestInvalid(_("The location is not a latitude/longitude pair."), code="invalid_location") from None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise RequestInvalid(_("The location is outside the map."), code="invalid_location")
    if not as_soon_as_possible:
        if not window_start or not window_end:
            raise RequestInvalid(_("A scheduled request needs a time window."), code="window_missing")
        if window_end <= window_start:
            raise RequestInvalid(_("The time window must end after it starts."), code="window_invalid")
        if window_end <= now:
            raise RequestInvalid(_("The time window is in the past."), code="window_past")
    _validate_answers(product=product, answers=answers)


def _validate_answers(*, product, answers: dict) -> None:
    """Answers to the item's booking questions (Oscar product attributes): required ones present,
    options among the allowed ones, numbers numeric."""
    attributes = list(product.get_product_class().attributes.select_related("option_group").all())
    known = {a.code for a in attributes}
    unknown = set(answers) - known
    if unknown:
        raise RequestInvalid(_("Unknown questions: %(codes)s") % {"codes": ", ".join(sorted(unknown))}, code="unknown_question")
    for attribute in attributes:
        value = answers.get(attribute.code)
        if value in (None, ""):
            if attribute.required:
                raise RequestInvalid(_("Please answer “%(q)s”.") % {"q": attribute.name}, code="answer_missing")
            continue
        if attribute.type == "integer":
            try:
                int(str(value))
            except ValueError:
                raise RequestInvalid(_("“%(q)s” must be a whole number.") % {"q": attribute.name}, code="answer_invalid") from None
        elif attribute.type == "option" and attribute.option_group_id:
            options = set(attribute.option_group.options.values_list("option", flat=True))
            if str(value) not in options:
                raise RequestInvalid(
                    _("“%(q)s” must be one of: %(options)s") % {"q": attribute.name, "options": ", ".join(sorted(options))},
                    code="answer_invalid",
                )
        elif attribute.type == "boolean" and not isinstance(value, bool) and str(value).lower() not in {"true", "false", "1", "0"}:
            raise RequestInvalid(_("“%(q)s” must be yes or no.") % {"q": attribute.name}, code="answer_invalid")


# --- residents ---------------------------------------------------------------------------------


@transaction.atomic
def request_cancel(*, request: ServiceRequest, actor, reason: str) -> ServiceRequest:
    """The resident (or an agent on their behalf) cancels before service starts, with a reason."""
    if not reason or not reason.strip():
        raise RequestInvalid(_("Say why you cancel."), code="reason_required")
    if request.status not in CANCELLABLE:
        raise IllegalTransition(_("Service has already started or ended; the request can no longer be cancelled."))
    from matching.services import offers_withdraw_for_request
    from volunteers.services import team_assignments_withdraw_for_request

    offers_withdraw_for_request(request=request, reason=reason)
    team_assignments_withdraw_for_request(request=request, reason=reason)
    return request_transition(request=request, to_status=R.CANCELLED, actor=actor, reason=reason.strip())


# --- the centre's verbs -------------------------------------------------------------------------


def _take_ownership(request: ServiceRequest, agent) -> dict:
    """首问负责: the first agent to act on a request becomes its owner until it is closed."""
    return {"owner": agent} if request.owner_id is None else {}


@transaction.atomic
def request_handle_at_once(*, request: ServiceRequest, agent, resolution: str) -> ServiceRequest:
    """即办: a consultation the agent answers and closes."""
    if not resolution.strip():
        raise RequestInvalid(_("Write the answer given to the resident."), code="resolution_missing")
    request_transition(request=request, to_status=R.HANDLED_AT_ONCE, actor=agent, reason=resolution,
                       resolution=resolution.strip(), **_take_ownership(request, agent))
    return request_transition(request=request, to_status=R.CLOSED, actor=agent, reason=str(_("answered on the spot")))


@transaction.atomic
def request_transfer_to_unit(*, request: ServiceRequest, agent, unit: LinkedUnit, reason: str) -> ServiceRequest:
    """转办 to a linked government unit; its duty contact reports the result back."""
    if not reason.strip():
        raise RequestInvalid(_("Say why it goes to this unit."), code="reason_required")
    return request_transition(
        request=request, to_status=R.TRANSFERRED, actor=agent,
        reason=_("to %(unit)s (duty: %(name)s %(phone)s): %(reason)s")
        % {"unit": unit.name, "name": unit.duty_contact_name, "phone": unit.duty_contact_phone, "reason": reason},
        linked_unit=unit, **_take_ownership(request, agent),
    )


@transaction.atomic
def request_unit_report(*, request: ServiceRequest, actor, result: str) -> ServiceRequest:
    """The linked unit reports what it did; the request closes and goes to the call-back queue."""
    if not result.strip():
        raise RequestInvalid(_("Report what was done."), code="result_missing")
    if request.linked_unit_id is None:
        raise IllegalTransition(_("This request was not transferred to a unit."))
    return request_transition(request=request, to_status=R.CLOSED, actor=actor, reason=result, resolution=result.strip())


@transaction.atomic
def request_restart_matching(*, request: ServiceRequest, agent, reason: str) -> ServiceRequest:
    """督办: an agent sends a waiting or escalated request (back) to the matcher."""
    if request.status not in (R.SUBMITTED, R.ESCALATED):
        raise IllegalTransition(
            _("Only a waiting or escalated request can be sent to the matcher (this one is %(status)s).")
            % {"status": R(request.status).label}
        )
    request = request_transition(request=request, to_status=R.MATCHING, actor=agent, reason=reason,
                                 **_take_ownership(request, agent))
    from matching import tasks

    transaction.on_commit(lambda: tasks.assign_waiting_requests.delay())
    return request


# --- the company's job -------------------------------------------------------------------------


def _company_job(request: ServiceRequest, company) -> None:
    if request.company_id != company.pk:
        raise NotYours(_("This job is not your company's."))


@transaction.atomic
def job_set_off(*, request: ServiceRequest, company, actor) -> ServiceRequest:
    _company_job(request, company)
    return request_transition(request=request, to_status=R.ON_THE_WAY, actor=actor)


@transaction.atomic
def job_arrive(*, request: ServiceRequest, company, actor) -> ServiceRequest:
    _company_job(request, company)
    return request_transition(request=request, to_status=R.IN_SERVICE, actor=actor)


@transaction.atomic
def job_complete(*, request: ServiceRequest, company, actor, final_price, quantity="1", note: str = "") -> ServiceRequest:
    """Work done: record the final price, which may not exceed quantity × the contracted price."""
    from marketplace.money import parse_amount
    from pricing.services import final_price_check

    _company_job(request, company)
    final_price = parse_amount(final_price, field=_("final price"))
    final_price_check(partner=company.partner, product=request.product, final_price=final_price, quantity=quantity)
    return request_transition(request=request, to_status=R.COMPLETED, actor=actor, reason=note,
                              final_price=final_price, resolution=note.strip())
