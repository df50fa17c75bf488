"""A new resident signs up with a phone number and the six-digit code texted to it, no password needed:
on the web (/accounts/signup/) and through allauth's headless API (the mini program)."""
import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from marketplace.roles import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

User = get_user_model()
SIGNUP, VERIFY = "/accounts/signup/", "/accounts/phone/verify/"
APP = "/_allauth/app/v1"


def signed_in_user(client):
    return client.get("/").wsgi_request.user


def json_post(client, path, body, session_token=None):
    headers = {"HTTP_X_SESSION_TOKEN": session_token} if session_token else {}
    return client.post(path, body, content_type="application/json", **headers)


# --- the web -------------------------------------------------------------------------------------


def test_sign_up_with_eleven_digits_and_the_texted_code_makes_a_signed_in_resident(client, sms):
    response = client.post(SIGNUP, {"phone": "13900000077", "email": "", "password1": "", "password2": ""})

    assert response.status_code == 302 and response["Location"] == VERIFY
    message = sms.outbox[-1]
    assert message["phone"] == "+8613900000077"
    code = message["params"]["code"]
    assert re.fullmatch(r"\d{6}", code) and code in message["text"]
    assert not signed_in_user(client).is_authenticated  # not before the code

    response = client.post(VERIFY, {"code": code})

    assert response.status_code == 302
    user = User.objects.get(phone="+8613900000077")
    assert signed_in_user(client) == user
    assert user.phone_verified and not user.has_usable_password() and user.email is None
    assert list(user.groups.values_list("name", flat=True)) == [Role.RESIDENT]
    assert not user.is_staff and not user.is_superuser


def test_two_people_sign_up_with_only_a_phone(client, sms):
    """No email is stored as NULL, not "", so the unique email column takes any number of them."""
    for phone in ("13900000071", "13900000072"):
        browser = Client()
        assert browser.post(SIGNUP, {"phone": phone}).status_code == 302
        assert browser.post(VERIFY, {"code": sms.last_code(f"+86{phone}")}).status_code == 302
    assert User.objects.filter(email__isnull=True, phone_verified=True).count() == 2


def test_a_wrong_code_does_not_sign_the_new_account_in(client, sms):
    client.post(SIGNUP, {"phone": "13900000077"})
    code = sms.last_code("+8613900000077")

    response = client.post(VERIFY, {"code": "000000" if code != "000000" else "111111"})

    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert not signed_in_user(client).is_authenticated
    assert not User.objects.get(phone="+8613900000077").phone_verified


def test_three_wrong_codes_end_the_attempt(client, sms):
    client.post(SIGNUP, {"phone": "13900000077"})
    code = sms.last_code("+8613900000077")
    wrong = "000000" if code != "000000" else "111111"

    for _ in range(3):
        response = client.post(VERIFY, {"code": wrong})

    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.post(VERIFY, {"code": code}).status_code == 302  # back to sign-in: the code is spent
    assert not signed_in_user(client).is_authenticated


def test_signing_up_with_a_phone_and_a_password_also_confirms_the_phone(client, sms):
    response = client.post(SIGNUP, {"phone": "+8613912345678", "password1": "Shaowu-110-pw", "password2": "Shaowu-110-pw"})
    assert response["Location"] == VERIFY
    client.post(VERIFY, {"code": sms.last_code("+8613912345678")})

    user = signed_in_user(client)
    assert user.phone == "+8613912345678" and user.phone_verified and user.check_password("Shaowu-110-pw")


def test_email_and_password_sign_up_needs_no_code(client, sms):
    response = client.post(SIGNUP, {"email": "li@example.com", "password1": "Shaowu-110-pw", "password2": "Shaowu-110-pw"})

    assert response.status_code == 302 and response["Location"] != VERIFY
    assert signed_in_user(client).email == "li@example.com"
    assert not sms.outbox


def test_email_without_a_password_is_refused(client, sms):
    response = client.post(SIGNUP, {"email": "li@example.com", "password1": "", "password2": ""})

    assert response.status_code == 200
    assert "sign up with a mobile phone number instead" in str(response.context["form"].errors)
    assert not User.objects.exists() and not sms.outbox


@pytest.mark.parametrize("typed", ["12345", "call me", "+8659961234567", "23900000077"])
def test_a_number_that_is_not_a_mobile_is_refused_with_a_clear_error(client, sms, typed):
    response = client.post(SIGNUP, {"phone": typed})

    assert response.status_code == 200
    assert "11 digits such as 13900000001" in str(response.context["form"].errors["phone"])
    assert not User.objects.exists() and not sms.outbox


def test_signing_up_with_a_number_that_has_an_account_texts_its_owner_and_makes_nothing(client, resident, sms):
    response = client.post(SIGNUP, {"phone": "13900000001"})

    assert response.status_code == 302 and response["Location"] == VERIFY  # the page does not tell
    assert User.objects.count() == 1
    message = sms.outbox[-1]
    assert message["phone"] == "+8613900000001" and "code" not in message["params"]
    assert "already has an account" in message["text"] and message["template"] == "SMS_ACCOUNT_EXISTS"
    assert client.post(VERIFY, {"code": "123456"}).status_code == 200  # no code works
    assert not signed_in_user(client).is_authenticated


def test_staff_numbers_cannot_be_taken_over_by_signing_up(client, agent, sms):
    agent.phone = "+8613900000055"
    agent.save(update_fields=["phone"])

    client.post(SIGNUP, {"phone": "13900000055"})

    assert User.objects.count() == 1 and not signed_in_user(client).is_authenticated
    assert "code" not in sms.outbox[-1]["params"]


def test_asking_for_sign_up_codes_too_often_is_refused_by_the_rate_limit(sms):
    first = Client().post(SIGNUP, {"phone": "13900000077"})
    second = Client().post(SIGNUP, {"phone": "13900000078"})
    third = Client().post(SIGNUP, {"phone": "13900000079"})
    fourth = Client().post(SIGNUP, {"phone": "13900000080"})

    assert [r.status_code for r in (first, second, third)] == [302, 302, 302]
    # allauth's verify_phone limit: 3 texts a minute from one address. Refused before an account is made.
    assert fourth.status_code == 200
    assert "Too many codes" in str(fourth.context["form"].errors["phone"])
    assert len(sms.outbox) == 3
    assert not User.objects.filter(phone="+8613900000080").exists()


def test_the_same_number_gets_one_sign_up_code_per_half_minute(sms):
    assert Client().post(SIGNUP, {"phone": "13900000077"}).status_code == 302
    response = Client().post(SIGNUP, {"phone": "13900000077"})

    assert response.status_code == 200 and "Too many codes" in str(response.context["form"].errors["phone"])
    assert len(sms.outbox) == 1


def test_the_sign_up_page_explains_sign_up_by_code(client):
    page = client.get(SIGNUP).content.decode()
    assert "leave the password empty" in page and "six-digit code" in page
    assert 'name="phone"' in page


# --- the headless API (the mini program) ---------------------------------------------------------


def test_the_app_signs_up_by_phone_code_and_gets_tokens_the_rest_api_accepts(sms):
    app = Client()
    response = json_post(app, f"{APP}/auth/signup", {"phone": "13900000077"})

    assert response.status_code == 401, response.content  # a pending flow: verify the phone
    body = response.json()
    assert {"id": "verify_phone", "is_pending": True} in [
        {k: f.get(k) for k in ("id", "is_pending")} for f in body["data"]["flows"]
    ]
    session_token = body["meta"]["session_token"]
    response = json_post(app, f"{APP}/auth/phone/verify", {"code": sms.last_code("+8613900000077")}, session_token)

    assert response.status_code == 200, response.content
    meta = response.json()["meta"]
    assert meta["access_token"] and meta["refresh_token"]
    user = User.objects.get(phone="+8613900000077")
    assert user.phone_verified and user.groups.filter(name=Role.RESIDENT).exists()
    listing = Client().get("/api/requests/", HTTP_AUTHORIZATION=f"Bearer {meta['access_token']}")
    assert listing.status_code == 200


def test_the_app_gets_no_tokens_for_a_wrong_code(sms):
    app = Client()
    session_token = json_post(app, f"{APP}/auth/signup", {"phone": "13900000077"}).json()["meta"]["session_token"]
    code = sms.last_code("+8613900000077")

    response = json_post(app, f"{APP}/auth/phone/verify", {"code": "000000" if code != "000000" else "111111"},
                         session_token)

    assert response.status_code == 400
    assert "access_token" not in response.json().get("meta", {})
    assert not User.objects.get(phone="+8613900000077").phone_verified


def test_the_app_sign_up_refuses_a_number_that_is_not_a_mobile(sms):
    response = json_post(Client(), f"{APP}/auth/signup", {"phone": "12345"})

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0]["param"] == "phone" and "11 digits" in errors[0]["message"]
    assert not User.objects.exists() and not sms.outbox


def test_the_app_sign_up_cannot_make_staff(sms):
    """Fields other than phone, email and password are ignored: sign-up makes residents only."""
    app = Client()
    response = json_post(app, f"{APP}/auth/signup", {"phone": "13900000077", "is_staff": True, "is_superuser": True,
                                                       "groups": ["administrator"]})
    json_post(app, f"{APP}/auth/phone/verify", {"code": sms.last_code("+8613900000077")},
              response.json()["meta"]["session_token"])

    user = User.objects.get(phone="+8613900000077")
    assert not user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [Role.RESIDENT]


def test_an_existing_resident_signs_in_by_code_with_eleven_digits_in_the_app(client, resident, sms):
    response = json_post(client, f"{APP}/auth/code/request", {"phone": "139 0000 0001"})
    assert response.status_code == 401, response.content
    assert sms.outbox[-1]["phone"] == "+8613900000001"
    response = json_post(client, f"{APP}/auth/code/confirm", {"code": sms.last_code("+8613900000001")},
                         response.json()["meta"]["session_token"])
    assert response.status_code == 200
    resident.refresh_from_db()
    assert resident.phone_verified  # a code sign-in proves the number


def test_the_app_password_sign_in_takes_eleven_digits(resident):
    make_user("li@example.com", Role.RESIDENT, phone="13911112222", password="Shaowu-110-pw")

    response = json_post(Client(), f"{APP}/auth/login", {"phone": "13911112222", "password": "Shaowu-110-pw"})

    assert response.status_code == 200, response.content
    assert response.json()["data"]["user"]["email"] == "li@example.com"


def test_the_app_may_ask_for_the_sign_up_code_again_after_half_a_minute(sms, time_machine):
    import datetime

    time_machine.move_to(datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC), tick=False)
    app = Client()
    session_token = json_post(app, f"{APP}/auth/signup", {"phone": "13900000077"}).json()["meta"]["session_token"]
    too_soon = json_post(app, f"{APP}/auth/phone/verify/resend", {}, session_token)
    assert too_soon.status_code == 429 and len(sms.outbox) == 1

    time_machine.shift(datetime.timedelta(seconds=31))
    resent = json_post(app, f"{APP}/auth/phone/verify/resend", {}, session_token)
    assert resent.status_code == 200 and len(sms.outbox) == 2
    response = json_post(app, f"{APP}/auth/phone/verify", {"code": sms.last_code("+8613900000077")}, session_token)
    assert response.status_code == 200 and response.json()["meta"]["access_token"]


def test_the_app_sign_up_with_only_an_email_needs_a_password(sms):
    response = json_post(Client(), f"{APP}/auth/signup", {"email": "li@example.com"})

    assert response.status_code == 400
    assert [e["param"] for e in response.json()["errors"]] == ["password"]
    assert not User.objects.exists()


# --- someone signs up with another person's number (pre-hijacking) -------------------------------


def test_a_sign_up_with_someone_elses_number_cannot_be_used_until_the_number_answers(client, sms, time_machine):
    """The maker typed the victim's number, an email and a password, then never confirmed the code."""
    time_machine.move_to(datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC), tick=False)
    maker = Client()
    response = maker.post(SIGNUP, {"phone": "13900000066", "email": "maker@example.com",
                                   "password1": "Maker-pw-2026!", "password2": "Maker-pw-2026!"})
    assert response.status_code == 302 and response["Location"] == VERIFY
    made = User.objects.get(phone="+8613900000066")
    assert not made.phone_verified and made.last_login is None

    # Some minutes later the maker comes back with the email and password: the code goes to the number.
    time_machine.shift(datetime.timedelta(minutes=10))
    texts = len(sms.outbox)
    again = Client()
    response = again.post("/accounts/login/", {"login": "maker@example.com", "password": "Maker-pw-2026!"})
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert not signed_in_user(again).is_authenticated
    assert len(sms.outbox) == texts + 1 and sms.outbox[-1]["phone"] == "+8613900000066"

    # The number's owner signs in by code: the account is theirs, the maker's password and email are gone.
    time_machine.shift(datetime.timedelta(minutes=10))
    owner = Client()
    owner.post("/accounts/login/code/", {"phone": "13900000066"})
    assert owner.post("/accounts/login/code/confirm/", {"code": sms.last_code("+8613900000066")}).status_code == 302
    made.refresh_from_db()
    assert signed_in_user(owner) == made
    assert made.phone_verified and not made.has_usable_password() and made.email is None
    late = Client()
    late.post("/accounts/login/", {"login": "maker@example.com", "password": "Maker-pw-2026!"})
    assert not signed_in_user(late).is_authenticated


def test_a_resident_who_confirmed_the_code_at_sign_up_keeps_the_password(client, sms):
    client.post(SIGNUP, {"phone": "13900000065", "email": "", "password1": "Own-pw-2026!x", "password2": "Own-pw-2026!x"})
    assert client.post(VERIFY, {"code": sms.last_code("+8613900000065")}).status_code == 302
    client.logout()
    texts = len(sms.outbox)

    browser = Client()
    response = browser.post("/accounts/login/", {"login": "13900000065", "password": "Own-pw-2026!x"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_user(browser).phone == "+8613900000065" and len(sms.outbox) == texts
