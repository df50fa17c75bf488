from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WeChatMiniProgramConfig(AppConfig):
    name = "marketplace.wechat_miniprogram"
    label = "wechat_miniprogram"
    verbose_name = _("WeChat mini program sign-in")
