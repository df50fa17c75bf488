"""allauth's socialaccount adapter for WeChat sign-in: link to the phone account, never a phoneless one."""
from __future__ import annotations

from typing import ClassVar

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal.httpkit import is_headless_request
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers import registry
from allauth.socialaccount.providers.base import AuthProcess, ProviderException
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from marketplace.social import services
from marketplace.social.errors import WeChatLinkRefused

# allauth's pages that list the accounts a person has linked (web and headless).
LISTING_PAGES = {"socialaccount_connections", "manage_providers"}


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    error_messages: ClassVar[dict] = {
        **DefaultSocialAccountAdapter.error_messages,
        "connected_other": _("This WeChat account is already linked to another person."),
    }

    def pre_social_login(self, request, sociallogin) -> None:
        """Runs after allauth looked the identity up. A linked identity signs in as its person; everything
        else is decided here."""
        if sociallogin.is_existing:
            return
        process = sociallogin.state.get("process")
        if process == AuthProcess.CONNECT:
            if not request.user.is_authenticated and is_headless_request(request):
                raise ValidationError(_("Sign in first, then link WeChat."), code="not_signed_in")
            return  # allauth connects it to the person signed in (and refuses one linked to someone else)
        if process == AuthProcess.REDIRECT:
            return
        try:
            if services.wechat_identity_link_by_unionid(request=request, sociallogin=sociallogin):
                return  # the same person, already known through the other WeChat app
        except WeChatLinkRefused as refused:  # linked by a request that ran at the same moment
            if is_headless_request(request):
                raise ValidationError(refused.message, code=refused.code) from refused
            messages.error(request, refused.message)
            raise ImmediateHttpResponse(redirect("account_login")) from refused
        if is_headless_request(request):
            # The mini program signs in by phone code and then links WeChat (process=connect).
            raise ValidationError(
                _("This WeChat account is not linked to an account yet. Sign in with your phone number "
                  "once; WeChat is linked then."),
                code="not_linked",
            )
        services.pending_link_stash(request=request, sociallogin=sociallogin)
        raise ImmediateHttpResponse(redirect("wechat-link-phone"))

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        """The error page shows WeChat's own refusal when it is one a person can act on."""
        if extra_context is not None and isinstance(exception, ProviderException):
            extra_context["wechat_message"] = str(exception)
        return super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )

    def is_open_for_signup(self, request, sociallogin) -> bool:
        """A WeChat identity never signs up by itself (see pre_social_login)."""
        return False

    def get_provider(self, request, provider, client_id=None):
        """A provider with no credentials in the environment: its login and callback pages answer 404. Pages
        that list the accounts a person linked earlier still show them (and let them be removed)."""
        try:
            return super().get_provider(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            match = getattr(request, "resolver_match", None)
            url_name = match.url_name if match is not None else None
            if url_name in {f"{provider}_login", f"{provider}_callback"}:
                raise Http404(_("WeChat sign-in is not set up on this site.")) from None
            provider_class = registry.get_class(provider)
            if url_name in LISTING_PAGES and client_id is None and provider_class is not None:
                return provider_class(request, app=SocialApp(provider=provider, name=str(provider_class.name)))
            raise
