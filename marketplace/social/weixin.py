"""allauth's weixin provider (web QR login), with WeChat's error answers read and less personal data kept.

Installed through ``SOCIALACCOUNT_PROVIDERS["weixin"]["provider_class"]``; the URLs and views stay allauth's.
"""
from __future__ import annotations

from allauth.socialaccount.providers.base import ProviderException
from allauth.socialaccount.providers.weixin.provider import (
    WeixinAccount,
    WeixinProvider,
)
from django.utils.translation import gettext_lazy as _

from marketplace.wechat_miniprogram.client import refusal

KEPT = ("openid", "unionid", "nickname", "headimgurl")


class WeChatWebAccount(WeixinAccount):
    def to_str(self) -> str:
        return self.account.extra_data.get("nickname") or _("WeChat %(openid)s") % {"openid": self.account.uid[-6:]}


class WeChatWebProvider(WeixinProvider):
    name = _("WeChat")
    account_class = WeChatWebAccount
    package = "allauth.socialaccount.providers.weixin"  # allauth finds the URLs and views there

    def __str__(self) -> str:
        return str(self.name)  # the name is translated (lazily)

    def sociallogin_from_response(self, request, response):
        # sns/userinfo answers HTTP 200 with {"errcode": …} when it refuses.
        if isinstance(response, dict) and response.get("errcode"):
            raise ProviderException(str(refusal(response)))
        if not isinstance(response, dict) or not isinstance(response.get("openid"), str) or not response["openid"]:
            raise ProviderException(str(_("WeChat did not say who signed in. Please try again.")))
        return super().sociallogin_from_response(request, response)

    def extract_extra_data(self, data) -> dict:
        return {key: data[key] for key in KEPT if data.get(key)}

    def extract_common_fields(self, data) -> dict:
        return {}  # a WeChat nickname is not a name
