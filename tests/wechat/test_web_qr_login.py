"""WeChat QR login on the web (allauth's weixin provider), linked to the person's phone account."""
import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from tests.conftest import make_user
from tests.wechat.conftest import link, signed_in_user, web_qr_login

pytestmark = pytest.mark.django_db
User = get_user_model()
LINK = "/accounts/wechat/link/"
CONFIRM = "/accounts/wechat/link/confirm/"


def test_the_sign_in_page_shows_the_wechat_button_when_wechat_is_configured(client, wechat_configured):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with WeChat" in page
    assert 'action="/accounts/weixin/login/?process=login"' in page
    assert "wechat_miniprogram" not in page  # the mini program's provider has no button


def test_a_linked_person_signs_in_by_scanning_the_qr_code(client, resident, wechat):
    link(resident, uid="oWEB-resident")
    wechat.web_person(code="CODE1", openid="oWEB-resident")
    response = web_qr_login(client, code="CODE1", next_url="/requests/")
    assert response.status_code == 302
    assert response["Location"] == "/requests/"
    assert signed_in_user(client) == resident
    assert User.objects.count() == 1


def test_a_person_signed_in_by_password_links_wechat_and_then_wechat_alone_signs_them_in(client, resident, wechat):
    client.post("/accounts/login/", {"login": resident.email, "password": "pw-for-tests-1"})
    assert signed_in_user(client) == resident
    page = client.get("/accounts/3rdparty/").content.decode()
    assert "Link WeChat" in page
    wechat.web_person(code="CODE-LINK", openid="oWEB-new", unionid="UNION-1")
    response = web_qr_login(client, code="CODE-LINK", process="connect")
    assert response.status_code == 302
    account = SocialAccount.objects.get(provider="weixin", uid="oWEB-new")
    assert account.user == resident
    assert account.extra_data == {"openid": "oWEB-new", "unionid": "UNION-1", "nickname": "小李",
                                  "headimgurl": "https://thirdwx.qlogo.cn/mmopen/abc/132"}

    client.post("/accounts/logout/")
    assert not signed_in_user(client).is_authenticated
    wechat.web_person(code="CODE-AGAIN", openid="oWEB-new", unionid="UNION-1")
    web_qr_login(client, code="CODE-AGAIN")
    assert signed_in_user(client) == resident
    assert User.objects.count() == 1


def test_linking_a_wechat_account_that_belongs_to_someone_else_is_refused(client, resident, outsider, wechat):
    link(resident, uid="oWEB-resident")
    client.force_login(outsider)
    wechat.web_person(code="CODE1", openid="oWEB-resident")
    response = web_qr_login(client, code="CODE1", process="connect")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "This WeChat account is already linked to another person." in page
    assert SocialAccount.objects.get(uid="oWEB-resident").user == resident
    assert not SocialAccount.objects.filter(user=outsider).exists()


def test_an_unknown_wechat_account_proves_a_phone_and_is_linked_to_that_phone_account(client, resident, wechat, sms):
    wechat.web_person(code="CODE1", openid="oWEB-unknown")
    response = web_qr_login(client, code="CODE1", next_url="/requests/")
    assert response.status_code == 302
    assert response["Location"] == LINK
    # Nothing is written and nobody is signed in until the code is confirmed.
    assert not SocialAccount.objects.exists()
    assert User.objects.count() == 1
    assert not signed_in_user(client).is_authenticated

    assert "Link WeChat to your phone number" in client.get(LINK).content.decode()
    response = client.post(LINK, {"phone": "13900000001"})
    assert response["Location"] == CONFIRM
    assert sms.outbox[-1]["phone"] == "+8613900000001"
    response = client.post(CONFIRM, {"code": sms.last_code("+8613900000001")})
    assert response.status_code == 302
    assert response["Location"] == "/requests/"  # where they were going when they pressed the button

    assert User.objects.count() == 1
    assert signed_in_user(client).pk == resident.pk
    assert SocialAccount.objects.get(provider="weixin", uid="oWEB-unknown").user_id == resident.pk
    resident.refresh_from_db()
    assert resident.phone_verified


def test_an_unknown_wechat_account_with_a_new_phone_becomes_a_new_resident(client, resident, wechat, sms):
    wechat.web_person(code="CODE1", openid="oWEB-newcomer")
    web_qr_login(client, code="CODE1")
    client.post(LINK, {"phone": "13900000042"})
    client.post(CONFIRM, {"code": sms.last_code("+8613900000042")})

    newcomer = User.objects.get(phone="+8613900000042")
    assert newcomer.pk != resident.pk
    assert newcomer.phone_verified
    assert not newcomer.has_usable_password()
    assert list(newcomer.groups.values_list("name", flat=True)) == ["resident"]
    assert SocialAccount.objects.get(uid="oWEB-newcomer").user == newcomer
    assert signed_in_user(client) == newcomer


def test_a_wrong_code_links_nothing_and_too_many_wrong_codes_start_over(client, resident, wechat, sms):
    wechat.web_person(code="CODE1", openid="oWEB-unknown")
    web_qr_login(client, code="CODE1")
    client.post(LINK, {"phone": "13900000001"})
    good = sms.last_code("+8613900000001")
    wrong = "000000" if good != "000000" else "111111"
    response = client.post(CONFIRM, {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    client.post(CONFIRM, {"code": wrong})
    response = client.post(CONFIRM, {"code": wrong})  # the third wrong code (ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS)
    assert response["Location"] == LINK
    response = client.post(CONFIRM, {"code": good})  # the old code is gone with its proof
    assert response["Location"] == LINK
    assert not SocialAccount.objects.exists()
    assert not signed_in_user(client).is_authenticated


def test_bad_input_on_the_link_pages_is_refused_clearly(client, resident, wechat, sms):
    assert client.get(LINK)["Location"] == "/accounts/login/"  # no WeChat identity waiting
    assert client.get(CONFIRM)["Location"] == "/accounts/login/"
    wechat.web_person(code="CODE1", openid="oWEB-unknown")
    web_qr_login(client, code="CODE1")
    for typed in ("12345", "+86591123456"):  # not a number; a landline, which cannot receive a text
        response = client.post(LINK, {"phone": typed})
        assert response.status_code == 200
        assert response.context["form"].errors["phone"]
    assert sms.outbox == []
    assert client.get(CONFIRM)["Location"] == LINK  # no code asked for yet
    client.post(LINK, {"phone": "13900000001"})
    response = client.post(LINK, {"phone": "13900000001"})  # again at once: allauth's rate limit
    assert "Too many codes" in response.content.decode()
    assert len(sms.outbox) == 1
    response = client.post(CONFIRM, {"code": "12ab56"})
    assert response.status_code == 200
    assert "six digits" in response.content.decode()
    assert not SocialAccount.objects.exists()


@pytest.mark.parametrize("answer", [
    {"errcode": 40029, "errmsg": "invalid code, rid: 6630a1b2-1a2b3c4d"},
    {"errcode": 40163, "errmsg": "code been used"},
])
def test_wechat_refusing_the_code_shows_a_clear_error_and_changes_nothing(client, wechat, answer):
    wechat.web_token_answer(code="BAD", answer=answer)
    response = web_qr_login(client, code="BAD")
    assert response.status_code == 401
    assert "WeChat sign-in did not work" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert not User.objects.exists()


def test_wechat_refusing_the_user_info_shows_its_reason(client, wechat):
    wechat.web_token_answer(code="CODE1", answer={"access_token": "ACCESS", "expires_in": 7200, "openid": "oWEB-x"})
    wechat.mock.get("https://api.weixin.qq.com/sns/userinfo", json={"errcode": 45011, "errmsg": "api minute-quota reach limit"})
    response = web_qr_login(client, code="CODE1")
    assert response.status_code == 401
    assert "Too many WeChat sign-ins right now" in response.content.decode()
    assert not SocialAccount.objects.exists()


def test_wechat_unreachable_shows_a_clear_error(client, wechat):
    import requests

    wechat.mock.post("https://api.weixin.qq.com/sns/oauth2/access_token", body=requests.ConnectionError("no route"))
    response = web_qr_login(client, code="CODE1")
    assert response.status_code == 401
    assert "WeChat sign-in did not work" in response.content.decode()


def test_a_callback_without_a_state_of_ours_is_refused(client, resident, wechat):
    link(resident, uid="oWEB-resident")
    wechat.web_person(code="CODE1", openid="oWEB-resident")
    response = client.get("/accounts/weixin/login/callback/", {"code": "CODE1", "state": "forged-state"})
    assert response.status_code == 401
    assert not signed_in_user(client).is_authenticated


def test_an_unknown_wechat_account_cannot_sign_up_on_its_own(client, wechat):
    """allauth's own social sign-up form is closed: the phone proof is the only way in."""
    wechat.web_person(code="CODE1", openid="oWEB-unknown")
    web_qr_login(client, code="CODE1")
    response = client.post("/accounts/3rdparty/signup/", {"email": "someone@example.com"})
    assert response.status_code in (302, 200)
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()


def test_the_same_person_in_the_mini_program_is_recognised_by_unionid(client, resident, wechat):
    """WeChat gives one person the same unionid in the web app and the mini program."""
    link(resident, provider="wechat_miniprogram", uid="oMP-resident", unionid="UNION-R")
    wechat.web_person(code="CODE1", openid="oWEB-resident", unionid="UNION-R")
    web_qr_login(client, code="CODE1")
    assert signed_in_user(client) == resident
    assert SocialAccount.objects.get(provider="weixin").user == resident


def test_a_unionid_shared_by_two_people_names_nobody(client, resident, outsider, wechat):
    link(resident, provider="wechat_miniprogram", uid="oMP-1", unionid="UNION-X")
    link(outsider, provider="wechat_miniprogram", uid="oMP-2", unionid="UNION-X")
    wechat.web_person(code="CODE1", openid="oWEB-x", unionid="UNION-X")
    response = web_qr_login(client, code="CODE1")
    assert response["Location"] == LINK
    assert not SocialAccount.objects.filter(provider="weixin").exists()


def test_new_accounts_made_through_wechat_are_residents_only(client, wechat, sms):
    wechat.web_person(code="CODE1", openid="oWEB-newcomer")
    web_qr_login(client, code="CODE1")
    client.post(LINK, {"phone": "13900000042"})
    client.post(CONFIRM, {"code": sms.last_code("+8613900000042")})
    newcomer = User.objects.get(phone="+8613900000042")
    assert not newcomer.is_staff and not newcomer.is_superuser
    assert client.get("/centre/hotline/").status_code in (302, 403)


def test_a_switched_off_account_is_not_linked(client, wechat, sms):
    make_user("gone@example.com", "resident", phone="+8613900000066", is_active=False)
    wechat.web_person(code="CODE1", openid="oWEB-gone")
    web_qr_login(client, code="CODE1")
    client.post(LINK, {"phone": "13900000066"})
    response = client.post(CONFIRM, {"code": sms.last_code("+8613900000066")})
    assert response["Location"] == "/accounts/login/"
    assert "switched off" in client.get("/accounts/login/").content.decode()
    assert not SocialAccount.objects.exists()
