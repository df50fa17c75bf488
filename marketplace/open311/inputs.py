"""Read the spec's parameters (form-encoded POST, query strings) into typed values, or refuse with the
spec's 400 and one description per problem. Only the format is checked here; the rules (is the
service offered, are the answers right, is the phone a phone) stay in the services."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from marketplace.open311.errors import Open311Error
from marketplace.open311.selectors import CLOSED, DEFAULT_SPAN, OPEN

MAX_DESCRIPTION = 4000  # "free form text limited to 4,000 characters"
MAX_ADDRESS = 255
MAX_TOKEN = 64
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


def _value(params, name: str) -> str:
    """Optional arguments: an empty parameter is the same as an absent one."""
    return (params.get(name) or "").strip()


@dataclass
class PostedRequest:
    service_code: str
    latitude: Decimal | None
    longitude: Decimal | None
    address_string: str
    phone: str
    first_name: str = ""
    last_name: str = ""
    description: str = ""
    media_url: str = ""
    account_id: str = ""
    token: str = ""
    # code → the values sent (several for a multivaluelist)
    attributes: dict[str, list[str]] = field(default_factory=dict)


def _coordinate(raw: str, name: str, problems: list) -> Decimal | None:
    try:
        return Decimal(raw).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        problems.append(_("%(name)s is not a number: %(value)s") % {"name": name, "value": raw})
        return None


def posted_request(params) -> PostedRequest:
    """The POST Service Request arguments. ``token`` (ours, not the spec's) is an optional key of up to
    64 characters that makes a retry safe: the same token from the same client returns the first request."""
    problems: list[str] = []
    service_code = _value(params, "service_code")
    if not service_code:
        problems.append(_("service_code was not provided."))

    lat_raw, long_raw = _value(params, "lat"), _value(params, "long")
    address_string = _value(params, "address_string")
    latitude = longitude = None
    if lat_raw or long_raw:
        if not (lat_raw and long_raw):
            problems.append(_("lat and long must be sent together."))
        else:
            latitude, longitude = _coordinate(lat_raw, "lat", problems), _coordinate(long_raw, "long", problems)
    elif not address_string:
        if _value(params, "address_id"):
            problems.append(_("address_id is not supported here: send lat and long, or address_string."))
        else:
            problems.append(_("A location is required: lat and long, or address_string."))
    if len(address_string) > MAX_ADDRESS:
        problems.append(_("address_string is longer than %(limit)s characters.") % {"limit": MAX_ADDRESS})

    phone = _value(params, "phone")
    if not phone:
        problems.append(_("phone was not provided: the service centre calls every resident back."))

    description = (params.get("description") or "").strip()
    if len(description) > MAX_DESCRIPTION:
        problems.append(_("description is longer than %(limit)s characters.") % {"limit": MAX_DESCRIPTION})

    media_url = _value(params, "media_url")
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            problems.append(_("media_url is not an http(s) URL."))

    token = _value(params, "token")
    if len(token) > MAX_TOKEN:
        problems.append(_("token is longer than %(limit)s characters.") % {"limit": MAX_TOKEN})

    attributes: dict[str, list[str]] = {}
    for key in params:
        match = _ATTRIBUTE.match(key)
        if match:
            values = [v.strip() for v in params.getlist(key) if v.strip()]
            if values:
                attributes.setdefault(match.group(1), []).extend(values)

    if problems:
        raise Open311Error(400, *problems)
    return PostedRequest(
        service_code=service_code, latitude=latitude, longitude=longitude, address_string=address_string,
        phone=phone, first_name=_value(params, "first_name"), last_name=_value(params, "last_name"),
        description=description, media_url=media_url, account_id=_value(params, "account_id"),
        token=token, attributes=attributes,
    )


@dataclass
class RequestQuery:
    ids: list[int] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    statuses: list[str] = field(default_factory=list)


def _comma_list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def w3c_parse(raw: str, name: str) -> datetime.datetime:
    """A W3C datetime (``2010-01-01T00:00:00Z``, ``…+08:00``) or a plain date; without an offset the
    city's time zone is assumed."""
    try:
        moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(400, _("%(name)s is not a W3C datetime such as 2010-01-01T00:00:00Z: %(value)s")
                           % {"name": name, "value": raw})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def request_query(params, *, now: datetime.datetime) -> RequestQuery:
    """GET Service Requests filters. ``service_request_id`` overrides all others. Without dates the
    range is the most recent 90 days; with one date the range runs 90 days from (or to) it; a range
    may not span more than 90 days."""
    ids_raw = _value(params, "service_request_id")
    if ids_raw:
        parts = _comma_list(ids_raw)
        if not all(part.isdigit() for part in parts):
            raise Open311Error(400, _("service_request_id must be whole numbers separated by commas."))
        return RequestQuery(ids=[int(part) for part in parts])

    statuses = [s.lower() for s in _comma_list(_value(params, "status"))]
    wrong = [s for s in statuses if s not in (OPEN, CLOSED)]
    if wrong:
        raise Open311Error(400, _("status must be open or closed (comma separated), not %(value)s")
                           % {"value": ", ".join(wrong)})

    start_raw, end_raw = _value(params, "start_date"), _value(params, "end_date")
    start = w3c_parse(start_raw, "start_date") if start_raw else None
    end = w3c_parse(end_raw, "end_date") if end_raw else None
    if start is None and end is None:
        start, end = now - DEFAULT_SPAN, now
    elif start is None:
        start = end - DEFAULT_SPAN
    elif end is None:
        end = start + DEFAULT_SPAN
    if end < start:
        raise Open311Error(400, _("end_date is before start_date."))
    if end - start > DEFAULT_SPAN:
        raise Open311Error(400, _("The date range may not span more than 90 days."))

    return RequestQuery(service_codes=_comma_list(_value(params, "service_code")), start=start, end=end,
                        statuses=statuses)
