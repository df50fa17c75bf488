"""Our records → the spec's fields, in the spec's order, as plain dicts and lists that
``renderers`` writes as XML or JSON.

This is a public API: nothing here names or reaches the resident (no phone, name, email or account),
and free text is passed through ``redact`` before it leaves.
"""
from __future__ import annotations

from decimal import Decimal

import re

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from marketplace.models import RequestStatus, ServiceItemProfile, ServiceRequest
from marketplace.open311.selectors import open311_service_keywords, open311_status

CENTRE_NAME = "民生110服务中心"

# Oscar attribute type → Open311 datatype. Files, images and entities cannot be sent in a
# form-encoded POST, so those questions are not offered (see ``service_definition``).
DATATYPES = {
    "text": "string",
    "richtext": "text",
    "textarea": "text",
    "integer": "number",
    "float": "number",
    "date": "datetime",
    "datetime": "datetime",
    "option": "singlevaluelist",
    "multi_option": "multivaluelist",
    "boolean": "singlevaluelist",
}

# Reasons written with these moves are meant for the resident (who took the job, the work note, the
# answer or the unit's result). Other reasons are internal: which company was offered the job, why a
# company declined, a transfer's duty contact and phone, a resident's reason for cancelling.
PUBLIC_REASON_STATUSES = {
    RequestStatus.SUBMITTED, RequestStatus.ACCEPTED, RequestStatus.COMPLETED, RequestStatus.CLOSED,
    RequestStatus.HANDLED_AT_ONCE,
}
# Not yet taken by anyone: the centre is responsible until a company accepts.
AWAITING_STATUSES = {RequestStatus.SUBMITTED, RequestStatus.MATCHING, RequestStatus.OFFERED, RequestStatus.ESCALATED}

_LONG_NUMBER = re.compile(r"\+?\d{7,}")


# Public output must not pinpoint a home: coordinates are rounded to ~100 m and the address is given as
# the community (社区/村) rather than the door number. Partners that need the exact place call the centre.
PUBLIC_COORDINATE_STEP = Decimal("0.001")


def public_address(request) -> str:
    if request.region_id:
        return "".join(r.name for r in reversed(request.region.ancestors_and_self()))
    return ""


def redact(text: str, *, request: ServiceRequest | None = None) -> str:
    """Free text without phone numbers (masked like 139****0001) and without the resident's name."""
    if not text:
        return text
    if request is not None:
        name = request.resident.get_full_name()
        if len(name) >= 2:
            text = text.replace(name, "**")
    return _LONG_NUMBER.sub(lambda m: m.group()[:3] + "****" + m.group()[-4:], text)


# --- services ----------------------------------------------------------------------------------


def _served_by(product) -> str | None:
    try:
        return product.service_profile.served_by
    except ServiceItemProfile.DoesNotExist:
        return None


def service_notice(product) -> str:
    served_by = _served_by(product)
    if served_by == ServiceItemProfile.ServedBy.COMPANY:
        return _("The nearest suitable contracted company is dispatched. It charges no more than the "
                 "published guide price. The service centre calls you back after the work.")
    if served_by == ServiceItemProfile.ServedBy.VOLUNTEER:
        return _("A volunteer team is dispatched; the work is free. The service centre calls you back after the work.")
    if served_by == ServiceItemProfile.ServedBy.UNIT:
        return _("The service centre transfers this to the responsible government unit, which reports "
                 "the result back. The service centre calls you back.")
    return _("The service centre answers this itself and calls you back.")


def _has_questions(product) -> bool:
    """True when the service definition lists at least one question (uses the prefetched attributes)."""
    product_class = product.get_product_class()
    return bool(product_class) and any(a.type in DATATYPES for a in product_class.attributes.all())


def service(product, *, names_by_path: dict[str, str]) -> dict:
    categories = list(product.categories.all())
    return {
        "service_code": product.upc,
        "service_name": product.title,
        "description": strip_tags(product.description or "").strip(),
        "metadata": _has_questions(product),
        "type": "realtime",
        "keywords": ", ".join(open311_service_keywords(product=product, names_by_path=names_by_path)),
        "group": categories[0].name if categories else None,
    }


def _datatype_description(attribute) -> str | None:
    return {
        "integer": _("A whole number."),
        "float": _("A number, e.g. 12.5."),
        "date": _("A date, e.g. 2026-11-23."),
        "datetime": _("A date and time with its offset, e.g. 2026-11-23T10:00:00+08:00."),
        "boolean": _("true or false."),
        "multi_option": _("Send attribute[%(code)s][]= once for each chosen value.") % {"code": attribute.code},
    }.get(attribute.type)


def _values(attribute) -> list[dict] | None:
    if attribute.type == "boolean":
        return [{"key": "true", "name": _("Yes")}, {"key": "false", "name": _("No")}]
    if attribute.type in ("option", "multi_option"):
        # The key is the option's text: that is what the request service checks an answer against.
        options = attribute.option_group.options.all() if attribute.option_group_id else []
        return [{"key": option.option, "name": option.option} for option in options]
    return None


def service_definition(product, *, questions) -> dict:
    attributes = []
    for attribute in questions:
        datatype = DATATYPES.get(attribute.type)
        if datatype is None:
            continue
        entry = {
            "variable": True,
            "code": attribute.code,
            "datatype": datatype,
            "required": attribute.required,
            "datatype_description": _datatype_description(attribute),
            "order": len(attributes) + 1,
            "description": attribute.name,
        }
        values = _values(attribute)
        if values is not None:
            entry["values"] = values
        attributes.append(entry)
    return {"service_code": product.upc, "attributes": attributes}


# --- requests ----------------------------------------------------------------------------------


def _latest_change(request: ServiceRequest):
    changes = list(request.status_changes.all())
    return changes[-1] if changes else None


def status_notes(request: ServiceRequest) -> str:
    """Our detailed status, then the latest move's reason when it is meant for the resident."""
    label = str(RequestStatus(request.status).label)
    change = _latest_change(request)
    reason = ""
    if change is not None and change.to_status == request.status and change.to_status in PUBLIC_REASON_STATUSES:
        reason = change.reason.strip()
    if request.status in (RequestStatus.CLOSED, RequestStatus.HANDLED_AT_ONCE, RequestStatus.COMPLETED):
        reason = request.resolution.strip() or reason
    if not reason:
        return label
    return _("%(status)s: %(reason)s") % {"status": label, "reason": redact(reason, request=request)}


def agency_responsible(request: ServiceRequest) -> str:
    if request.company_id and request.status not in AWAITING_STATUSES:
        return request.company.legal_name
    if request.linked_unit_id:
        return request.linked_unit.name
    return CENTRE_NAME


def media_url(request: ServiceRequest, *, build_absolute_uri) -> str | None:
    photos = list(request.photos.all())
    return build_absolute_uri(photos[0].image.url) if photos else None


def service_request(request: ServiceRequest, *, build_absolute_uri) -> dict:
    change = _latest_change(request)
    updated = max(request.created_at, change.changed_at) if change else request.created_at
    return {
        "service_request_id": request.pk,
        "status": open311_status(request.status),
        "status_notes": status_notes(request),
        "service_name": request.product.title,
        "service_code": request.product.upc,
        "description": redact(request.description, request=request),
        "agency_responsible": agency_responsible(request),
        "service_notice": service_notice(request.product),
        "requested_datetime": request.created_at,
        "updated_datetime": updated,
        "expected_datetime": request.completion_due_at,
        "address": public_address(request),
        "address_id": None,
        "zipcode": None,
        "lat": request.latitude.quantize(PUBLIC_COORDINATE_STEP),
        "long": request.longitude.quantize(PUBLIC_COORDINATE_STEP),
        "media_url": media_url(request, build_absolute_uri=build_absolute_uri),
    }


def request_created(request: ServiceRequest, *, account_id: str | None) -> dict:
    """The POST answer: a realtime service returns the id at once (so no token in the body)."""
    return {
        "service_request_id": request.pk,
        "service_notice": service_notice(request.product),
        "account_id": account_id or None,
    }


def token_answer(request: ServiceRequest, *, token: str) -> dict:
    return {"service_request_id": request.pk, "token": token}
