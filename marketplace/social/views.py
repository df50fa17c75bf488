"""Web pages for a WeChat identity that is not linked yet: prove a phone number, then sign in as its person.

The WeChat callback (allauth) stashes the identity in the session and sends the browser here
(marketplace.social.adapter). Nothing is written until the texted code is confirmed.
"""
from __future__ import annotations

from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialLogin
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from marketplace.social import services
from marketplace.social.errors import WeChatLinkRefused
from marketplace.social.forms import CodeForm, PhoneForm


def _no_pending(request):
    messages.error(request, _("Start again: sign in with WeChat, or with your phone number."))
    return redirect("account_login")


@require_http_methods(["GET", "POST"])
def link_phone(request):
    if services.pending_link(request=request) is None:
        return _no_pending(request)
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.PhoneProof.start(request=request, phone=form.cleaned_data["phone"])
        except WeChatLinkRefused as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("wechat-link-confirm")
    return render(request, "social/wechat_link_phone.html", {"form": form})


@require_http_methods(["GET", "POST"])
def link_confirm(request):
    sociallogin = services.pending_link(request=request)
    if sociallogin is None:
        return _no_pending(request)
    proof = services.PhoneProof.resume(request=request)
    if proof is None:
        messages.error(request, _("The code has expired. Ask for a new one."))
        return redirect("wechat-link-phone")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not proof.check(form.cleaned_data["code"]):
            if services.PhoneProof.resume(request=request) is None:
                messages.error(request, _("Too many wrong codes. Ask for a new one."))
                return redirect("wechat-link-phone")
            form.add_error("code", _("That code is not right. Check the text message and try again."))
        else:
            return _link_and_sign_in(request, sociallogin, proof.phone, form)
    return render(request, "social/wechat_link_confirm.html", {"form": form, "phone": proof.phone})


def _link_and_sign_in(request, sociallogin: SocialLogin, phone: str, form):
    serialized = sociallogin.serialize()
    try:
        services.wechat_identity_link(request=request, sociallogin=sociallogin, phone=phone)
    except WeChatLinkRefused as refused:
        services.pending_link_clear(request=request)
        messages.error(request, refused.message)
        return redirect("account_login")
    services.pending_link_clear(request=request)
    messages.success(request, _("WeChat is now linked to your account."))
    # Sign in through allauth's own flow with the identity as WeChat sent it: it finds the link just made
    # and runs the login stages (staff two-factor included).
    return complete_social_login(request, SocialLogin.deserialize(serialized))
