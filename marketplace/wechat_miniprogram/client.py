"""WeChat's server API as the sign-in code needs it: ``sns/jscode2session``, and WeChat's error answers.

WeChat answers HTTP 200 with ``{"errcode": …, "errmsg": …}`` when it refuses; every such answer becomes a
``WeChatRefused`` with a message a person can act on and a stable ``code``.
"""
from __future__ import annotations

import logging

import requests
from allauth.socialaccount.adapter import get_adapter
from django.utils.translation import gettext_lazy as _

from marketplace.errors import DomainError

logger = logging.getLogger("marketplace.wechat")

JSCODE2SESSION_URL = "https://api.weixin.qq.com/sns/jscode2session"


class WeChatRefused(DomainError):
    code = "wechat_refused"


# errcode → (stable code, message). Anything else is "WeChat refused the sign-in (error N)".
ERRORS = {
    -1: ("wechat_busy", _("WeChat is busy. Please try again in a moment.")),
    40029: ("wechat_invalid_code", _("The WeChat sign-in code is not valid. Please try again.")),
    40163: ("wechat_invalid_code", _("The WeChat sign-in code has already been used. Please try again.")),
    45011: ("wechat_rate_limited", _("Too many WeChat sign-ins right now. Please wait a minute and try again.")),
    40226: ("wechat_user_blocked", _("WeChat does not allow this WeChat account to sign in.")),
    40013: ("wechat_misconfigured", _("WeChat sign-in is not set up correctly on this site.")),
    40125: ("wechat_misconfigured", _("WeChat sign-in is not set up correctly on this site.")),
    40001: ("wechat_misconfigured", _("WeChat sign-in is not set up correctly on this site.")),
    41002: ("wechat_misconfigured", _("WeChat sign-in is not set up correctly on this site.")),
    41004: ("wechat_misconfigured", _("WeChat sign-in is not set up correctly on this site.")),
}


def refusal(answer: dict) -> WeChatRefused:
    errcode = answer.get("errcode")
    code, message = ERRORS.get(errcode, (None, None))
    if code == "wechat_misconfigured":
        logger.error("WeChat refused the site's credentials: %s %s", errcode, answer.get("errmsg", ""))
    elif code is None:
        code = "wechat_refused"
        message = _("WeChat refused the sign-in (error %(errcode)s). Please try again.") % {"errcode": errcode}
    return WeChatRefused(message, code=code, params={"errcode": errcode, "errmsg": answer.get("errmsg", "")})


def wechat_get(url: str, params: dict) -> dict:
    """GET one of WeChat's JSON endpoints; raise WeChatRefused for an error answer or no answer."""
    try:
        with get_adapter().get_requests_session() as session:
            response = session.get(url, params=params)
        response.raise_for_status()
        answer = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("WeChat API %s failed: %s", url, exc)
        raise WeChatRefused(_("WeChat could not be reached. Please try again later."), code="wechat_unreachable") from exc
    if not isinstance(answer, dict):
        raise WeChatRefused(_("WeChat could not be reached. Please try again later."), code="wechat_unreachable")
    if answer.get("errcode"):
        raise refusal(answer)
    return answer


def jscode2session(*, app_id: str, secret: str, code: str) -> dict:
    """Exchange a ``wx.login`` code for the person's openid (and unionid when the app is bound to an open
    platform account). WeChat's ``session_key`` is dropped here: nothing in the site needs it."""
    answer = wechat_get(
        JSCODE2SESSION_URL,
        {"appid": app_id, "secret": secret, "js_code": code, "grant_type": "authorization_code"},
    )
    if not isinstance(answer.get("openid"), str) or not answer["openid"]:
        raise WeChatRefused(_("WeChat did not say who signed in. Please try again."), code="wechat_no_openid")
    return {key: answer[key] for key in ("openid", "unionid") if answer.get(key)}
