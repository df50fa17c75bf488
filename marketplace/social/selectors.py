"""Reads for WeChat sign-in."""
from __future__ import annotations

from allauth.socialaccount.models import SocialAccount

# The providers whose identities are WeChat's: one person's unionid is the same in both.
WECHAT_PROVIDERS = ("weixin", "wechat_miniprogram")


def wechat_user_by_unionid(*, unionid: str | None, provider: str):
    """The one person already linked through another WeChat app with this unionid, or None.

    WeChat gives the same unionid to a person in every app of one open-platform account (web QR login
    and the mini program), so it names the same person; when it matches more than one person nobody
    is chosen."""
    if not unionid:
        return None
    user_ids = set(
        SocialAccount.objects.filter(provider__in=WECHAT_PROVIDERS, extra_data__unionid=unionid)
        .exclude(provider=provider)
        .values_list("user_id", flat=True)
    )
    if len(user_ids) != 1:
        return None
    return SocialAccount.objects.filter(user_id__in=user_ids).select_related("user").first().user


def wechat_accounts_of(*, user):
    return SocialAccount.objects.filter(user=user, provider__in=WECHAT_PROVIDERS).order_by("pk")
