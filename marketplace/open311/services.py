"""Writes of the Open311 layer: administrators issue, rotate and revoke partner keys; a partner's
POST becomes a request through ``marketplace.services.request_create`` like every other channel.

A raw key exists only in the return value of ``open311_client_issue`` / ``open311_client_key_rotate``;
the database keeps its SHA-256 hash.
"""
from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import RequestInvalid
from marketplace.models import Open311Client, ServiceRequest
from marketplace.open311.errors import Open311ClientInvalid
from marketplace.open311.inputs import PostedRequest
from marketplace.open311.selectors import (
    open311_key_hash,
    open311_region_for_address,
    open311_service_questions,
)
from marketplace.roles import Role, has_role
from marketplace.services import request_create, resident_for_phone


def _new_raw_key() -> str:
    return secrets.token_urlsafe(32)


def _administrator_only(actor) -> None:
    if not has_role(actor, Role.ADMINISTRATOR):
        raise Open311ClientInvalid(
            _("Only an administrator may issue or revoke Open311 keys."), code="not_administrator"
        )


@transaction.atomic
def open311_client_issue(*, name: str, issued_by) -> tuple[Open311Client, str]:
    """Register a partner system and issue its key. Returns (client, raw key); show the key once.

    The client gets its own account (no password, no role) that appears as the creator of every
    request it posts, so its requests and idempotency tokens never mix with anybody else's."""
    _administrator_only(issued_by)
    name = (name or "").strip()
    if not name:
        raise Open311ClientInvalid(_("Give the client a name."), code="name_missing")
    if len(name) > Open311Client._meta.get_field("name").max_length:
        raise Open311ClientInvalid(_("The name is too long."), code="name_too_long")
    if Open311Client.objects.filter(name=name).exists():
        raise Open311ClientInvalid(_("A client named “%(name)s” already exists.") % {"name": name}, code="name_taken")
    account = get_user_model().objects.create_user(
        email=f"open311-{secrets.token_hex(8)}@clients.minsheng110.invalid", last_name=name[:150],
    )
    raw_key = _new_raw_key()
    client = Open311Client.objects.create(
        name=name, api_key_hash=open311_key_hash(raw_key), issued_by=issued_by, issued_at=timezone.now(),
        active=True, user=account,
    )
    return client, raw_key


@transaction.atomic
def open311_client_key_rotate(*, client: Open311Client, actor) -> str:
    """Replace the client's key (the old one stops working at once) and reactivate it. Returns the raw key."""
    _administrator_only(actor)
    raw_key = _new_raw_key()
    Open311Client.objects.filter(pk=client.pk).update(
        api_key_hash=open311_key_hash(raw_key), issued_by=actor, issued_at=timezone.now(), active=True,
    )
    client.refresh_from_db()
    return raw_key


@transaction.atomic
def open311_client_deactivate(*, client: Open311Client, actor) -> Open311Client:
    _administrator_only(actor)
    Open311Client.objects.filter(pk=client.pk).update(active=False)
    client.refresh_from_db()
    return client


# --- requests ----------------------------------------------------------------------------------


def _answers(*, product, attributes: dict[str, list[str]]) -> dict:
    """Form values → the answers ``request_create`` checks: a list for a multivaluelist, true/false for
    a yes/no question, a whole number where one is asked. Values that do not convert are passed as
    sent so the request service refuses them with its own message."""
    questions = {q.code: q for q in open311_service_questions(product=product)}
    answers: dict = {}
    for code, values in attributes.items():
        question = questions.get(code)
        kind = question.type if question else None
        if kind == "multi_option":
            # The request service does not check multi-choice answers yet; the definition we publish
            # lists the allowed keys, so hold the partner to them here.
            allowed = {o.option for o in question.option_group.options.all()} if question.option_group_id else set()
            unknown = [v for v in values if v not in allowed]
            if unknown:
                raise RequestInvalid(
                    _("“%(q)s” must be among: %(options)s")
                    % {"q": question.name, "options": ", ".join(sorted(allowed))},
                    code="answer_invalid",
                )
            answers[code] = list(dict.fromkeys(values))
            continue
        value = values[-1]
        if kind == "boolean":
            answers[code] = {"true": True, "1": True, "false": False, "0": False}.get(value.lower(), value)
        elif kind == "integer" and value.lstrip("-").isdigit():
            answers[code] = int(value)
        else:
            answers[code] = value
    return answers


@transaction.atomic
def open311_request_create(
    *, client: Open311Client, product, posted: PostedRequest
) -> tuple[ServiceRequest, bool, str]:
    """Raise a request posted by a partner. Returns (request, created, token).

    The resident is found (or made) by the phone number, as on the hotline; the client's account is
    the creator. Every Open311 request carries a token (the partner's own, or a random one) as its
    idempotency key, so a retry with the same token creates nothing and ``GET tokens/{token}`` finds
    the request. Any refusal rolls everything back (no resident is left behind)."""
    token = posted.token or secrets.token_urlsafe(24)
    existing = ServiceRequest.objects.filter(created_by=client.user, idempotency_key=token).first()
    if existing is not None:
        return existing, False, token

    region = None
    latitude, longitude = posted.latitude, posted.longitude
    if latitude is None or longitude is None:
        region = open311_region_for_address(address=posted.address_string)
        if region is None:
            raise RequestInvalid(
                _("The address cannot be placed on the map; send lat and long."), code="invalid_location"
            )
        latitude, longitude = region.latitude, region.longitude
    address = posted.address_string or f"{latitude},{longitude}"

    description = posted.description
    if posted.media_url and description:  # without a description the request service refuses anyway
        description = "\n".join(filter(None, [description, _("Photo: %(url)s") % {"url": posted.media_url}]))

    answers = _answers(product=product, attributes=posted.attributes)
    resident = resident_for_phone(phone=posted.phone, name=f"{posted.last_name}{posted.first_name}")
    request, created = request_create(
        resident=resident, created_by=client.user, product=product, description=description, address=address,
        latitude=latitude, longitude=longitude, contact_phone=posted.phone, channel=ServiceRequest.Channel.OPEN311,
        answers=answers, region=region, idempotency_key=token,
    )
    return request, created, token
