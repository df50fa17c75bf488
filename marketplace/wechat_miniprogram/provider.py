"""The ``wechat_miniprogram`` provider: token authentication only (the mini program has no redirects)."""
from __future__ import annotations

from allauth.socialaccount.providers.base import Provider, ProviderAccount
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.wechat_miniprogram.client import WeChatRefused, jscode2session


class WeChatMiniProgramAccount(ProviderAccount):
    def to_str(self) -> str:
        return _("WeChat (mini program) %(openid)s") % {"openid": self.account.uid[-6:]}


class WeChatMiniProgramProvider(Provider):
    id = "wechat_miniprogram"
    name = _("WeChat mini program")
    account_class = WeChatMiniProgramAccount
    supports_redirect = False
    supports_token_authentication = True

    def __str__(self) -> str:
        return str(self.name)  # the name is translated (lazily)

    def verify_token(self, request, token):
        """``token["access_token"]`` is the code from ``wx.login()``; WeChat turns it into the openid."""
        code = token.get("access_token")
        if not isinstance(code, str) or not code.strip():
            raise ValidationError(_("The WeChat sign-in code is missing."), code="wechat_invalid_code")
        try:
            answer = jscode2session(app_id=self.app.client_id, secret=self.app.secret, code=code.strip())
        except WeChatRefused as refused:
            raise ValidationError(refused.message, code=refused.code) from refused
        return self.sociallogin_from_response(request, answer)

    def extract_uid(self, data) -> str:
        return data["openid"]

    def extract_extra_data(self, data) -> dict:
        # openid and unionid only: WeChat's session_key never reaches the database.
        return {key: data[key] for key in ("openid", "unionid") if data.get(key)}

    def extract_common_fields(self, data) -> dict:
        return {}


provider_classes = [WeChatMiniProgramProvider]
