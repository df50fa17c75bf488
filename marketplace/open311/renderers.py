"""Write the spec's documents as XML (required) or JSON (the Spark convention: a repeated element
becomes a list). UTF-8 everywhere; the XML starts with its declaration; datetimes are W3C with
their offset (e.g. 2026-11-23T10:00:00+08:00)."""
from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from xml.etree import ElementTree

from django.http import HttpResponse
from django.utils import timezone

XML = "xml"
JSON = "json"
CONTENT_TYPES = {XML: "text/xml; charset=utf-8", JSON: "application/json; charset=utf-8"}
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'

# The element each member of a list is written as, by the list's own element name.
ITEM_ELEMENTS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}

# Characters XML 1.0 does not allow, even escaped (a pasted description may carry them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def w3c_datetime(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return w3c_datetime(value)
    return _NOT_XML.sub("", str(value))


def _append(parent: ElementTree.Element, name: str, value) -> None:
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, list):
        for child in value:
            _append(element, ITEM_ELEMENTS[name], child)
    else:
        element.text = _text(value)


def xml_bytes(root_name: str, document) -> bytes:
    """``document`` is a list (written as ``root_name`` holding one element per member) or a dict."""
    root = ElementTree.Element(root_name)
    if isinstance(document, list):
        for member in document:
            _append(root, ITEM_ELEMENTS[root_name], member)
    else:
        for key, child in document.items():
            _append(root, key, child)
    return XML_DECLARATION + ElementTree.tostring(root, encoding="unicode").encode("utf-8")


def _json_default(value):
    if isinstance(value, datetime.datetime):
        return w3c_datetime(value)
    if isinstance(value, Decimal):
        # Coordinates, not money: the spec shows lat/long as JSON numbers.
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_bytes(document) -> bytes:
    return json.dumps(document, ensure_ascii=False, default=_json_default).encode("utf-8")


def render(format: str, root_name: str, document, *, status: int = 200) -> HttpResponse:
    body = xml_bytes(root_name, document) if format == XML else json_bytes(document)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[format])


def render_errors(format: str, status: int, descriptions: list[str]) -> HttpResponse:
    """The spec's error document: one {code, description} per problem; the code is the HTTP status."""
    errors = [{"code": status, "description": description} for description in descriptions]
    return render(format, "errors", errors, status=status)
