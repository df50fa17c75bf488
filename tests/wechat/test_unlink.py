"""Removing a linked WeChat account on the web (allauth's connections page)."""
import pytest
from allauth.socialaccount.models import SocialAccount

from tests.conftest import make_user

from .conftest import link

pytestmark = pytest.mark.django_db


def signed_in_recently(client, user):
    """force_login plus the recent sign-in record allauth asks for before a sensitive change."""
    import time

    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [{"method": "code", "at": time.time(), "phone": user.phone}]
    session.save()


def test_a_resident_without_a_password_but_with_a_verified_phone_may_unlink_wechat(client, wechat):
    person = make_user("wx@example.com", "resident", phone="+8613900000088", phone_verified=True)
    person.set_unusable_password()
    person.save()
    account = link(person)
    signed_in_recently(client, person)

    response = client.post("/accounts/3rdparty/", {"account": account.pk})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert not SocialAccount.objects.filter(pk=account.pk).exists()


def test_without_a_password_or_a_verified_phone_the_last_link_stays(client, wechat):
    person = make_user("wx2@example.com", "resident", phone="+8613900000089")  # phone not verified
    person.set_unusable_password()
    person.save()
    account = link(person, uid="oWEB-unverified")
    signed_in_recently(client, person)

    response = client.post("/accounts/3rdparty/", {"account": account.pk})

    assert response.status_code == 200
    assert SocialAccount.objects.filter(pk=account.pk).exists()
