"""The Open311 GeoReport v2 endpoints (https://wiki.open311.org/GeoReport_v2), in XML and JSON.

Who may call what follows the spec: reading services and requests needs no key (the answers carry no
personal data); posting a request needs an active partner key (``api_key``), issued by an
administrator. Every refusal is answered in the spec's error format with the spec's HTTP status.
"""
from __future__ import annotations

import datetime
from functools import wraps

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from marketplace.errors import DomainError
from marketplace.open311 import serialisers
from marketplace.open311.errors import Open311Error
from marketplace.open311.inputs import posted_request, request_query
from marketplace.open311.renderers import CONTENT_TYPES, render, render_errors
from marketplace.open311.selectors import (
    open311_category_names,
    open311_client_for_key,
    open311_request_get,
    open311_requests,
    open311_requests_for_token,
    open311_service_get,
    open311_service_questions,
    open311_services,
)
from marketplace.open311.services import open311_request_create

JURISDICTION_ID = getattr(settings, "OPEN311_JURISDICTION_ID", "shaowu.minsheng110.cn")
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this API's behaviour last changed (the discovery document's changeset).
CHANGESET = datetime.datetime(2026, 11, 23, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def open311_endpoint(*methods: str):
    """Refuse other methods and a foreign jurisdiction_id, and answer every refusal in the spec's format.

    The API authenticates by api_key in the form, never by cookie, so CSRF does not apply."""

    allowed = (*methods, "HEAD") if "GET" in methods else methods

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request, format: str, **kwargs):
            try:
                if request.method not in allowed:
                    refusal = _("Method %(method)s is not allowed here.") % {"method": request.method}
                    response = render_errors(format, 405, [refusal])
                    response["Allow"] = ", ".join(allowed)
                    return response
                jurisdiction_id = request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id") or ""
                jurisdiction_id = jurisdiction_id.strip()
                if jurisdiction_id and jurisdiction_id != JURISDICTION_ID:
                    raise Open311Error(404, _("jurisdiction_id %(value)s was not found; this endpoint serves %(ours)s.")
                                       % {"value": jurisdiction_id, "ours": JURISDICTION_ID})
                return view(request, format=format, **kwargs)
            except Open311Error as error:
                return render_errors(format, error.status, error.descriptions)
            except DomainError as refusal:
                return render_errors(format, 400, [str(refusal.message)])

        return wrapped

    return decorator


@open311_endpoint("GET")
def discovery(request, format: str):
    endpoint_url = request.build_absolute_uri("./").rstrip("/")
    document = {
        "changeset": CHANGESET,
        "contact": _("Minsheng 110 service centre (民生110服务中心), %(jurisdiction)s")
        % {"jurisdiction": JURISDICTION_ID},
        "key_service": _("Partners ask the service centre's administrator for an api_key."),
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": endpoint_url,
            "changeset": CHANGESET,
            "type": "test" if settings.DEBUG else "production",
            "formats": [CONTENT_TYPES["xml"].split(";")[0], CONTENT_TYPES["json"].split(";")[0]],
        }],
    }
    return render(format, "discovery", document)


@open311_endpoint("GET")
def service_list(request, format: str):
    names_by_path = open311_category_names()
    services = [serialisers.service(product, names_by_path=names_by_path) for product in open311_services()]
    return render(format, "services", services)


@open311_endpoint("GET")
def service_definition(request, format: str, service_code: str):
    product = open311_service_get(service_code=service_code)
    if product is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": service_code})
    document = serialisers.service_definition(product, questions=open311_service_questions(product=product))
    return render(format, "service_definition", document)


@open311_endpoint("GET", "POST")
def service_requests(request, format: str):
    if request.method == "POST":
        return _request_post(request, format)
    # GET or HEAD: the spec's filters
    query = request_query(request.GET, now=timezone.now())
    found = open311_requests(ids=query.ids, service_codes=query.service_codes, start=query.start, end=query.end,
                             statuses=query.statuses)
    return render(format, "service_requests",
                  [serialisers.service_request(r, build_absolute_uri=request.build_absolute_uri) for r in found])


def _request_post(request, format: str):
    raw_key = (request.POST.get("api_key") or request.GET.get("api_key") or "").strip()
    client = open311_client_for_key(raw_key=raw_key)
    if client is None:
        raise Open311Error(403, _("api_key was not provided.") if not raw_key
                           else _("Invalid api_key received: the request was not created."))
    posted = posted_request(request.POST)
    product = open311_service_get(service_code=posted.service_code)
    if product is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": posted.service_code})
    created_request, created, token = open311_request_create(client=client, product=product, posted=posted)
    response = render(format, "service_requests",
                      [serialisers.request_created(created_request, account_id=posted.account_id)],
                      status=201 if created else 200)
    # Not in the body (a realtime service returns the id, not a token); kept for GET tokens/{token}.
    response["X-Open311-Token"] = token
    return response


@open311_endpoint("GET")
def service_request(request, format: str, service_request_id: str):
    found = open311_request_get(pk=int(service_request_id)) if service_request_id.isdigit() else None
    if found is None:
        raise Open311Error(404, _("service_request_id %(id)s was not found.") % {"id": service_request_id})
    return render(format, "service_requests",
                  [serialisers.service_request(found, build_absolute_uri=request.build_absolute_uri)])


@open311_endpoint("GET")
def token(request, format: str, token: str):
    found = open311_requests_for_token(token=token)
    if not found:
        raise Open311Error(404, _("token %(token)s was not found.") % {"token": token})
    return render(format, "service_requests", [serialisers.token_answer(r, token=token) for r in found])
