"""Centre agents, finance officers and administrators cannot work without a second factor (TOTP)."""
import pytest

from tests.mfa.conftest import totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.mfa]

SETUP = "/accounts/2fa/totp/activate/"
PASSWORD = "pw-for-tests-1"


def sign_in_with_password(client, email):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def open_setup_page(client):
    """allauth asks for the password once more before an authenticator is added."""
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    return client.get(SETUP)


def test_administrator_without_second_factor_is_sent_to_set_it_up_instead_of_the_dashboard(client, administrator):
    client.force_login(administrator)
    response = client.get("/oscar/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    assert "next=%2Foscar%2Fdashboard%2F" in response["Location"]


@pytest.mark.parametrize("persona", ["agent", "finance_officer", "administrator"])
def test_every_staff_role_without_second_factor_is_sent_to_set_it_up(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for path in ("/centre/companies/", "/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SETUP)


def test_staff_without_second_factor_gets_a_json_refusal_from_the_api(client, agent):
    client.force_login(agent)
    response = client.get("/api/requests/")
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_setup_required"


def test_staff_without_second_factor_can_open_the_setup_page_and_sign_out(client, agent):
    sign_in_with_password(client, agent.email)
    assert open_setup_page(client).status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_setting_up_totp_lets_the_agent_in_straight_away(client, agent):
    sign_in_with_password(client, agent.email)
    page = open_setup_page(client)
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(SETUP, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/centre/companies/").status_code == 200


def test_administrator_who_signs_in_with_password_and_totp_code_reaches_the_dashboard(client, administrator, with_totp):
    secret = with_totp(administrator)
    response = sign_in_with_password(client, administrator.email)
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert client.get("/oscar/dashboard/").status_code == 200
    assert client.get("/centre/companies/").status_code == 200


def test_a_wrong_totp_code_does_not_sign_the_staff_member_in(client, agent, with_totp):
    secret = with_totp(agent)
    sign_in_with_password(client, agent.email)
    good = totp_code(secret)
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000" if good != "000000" else "111111"})
    assert response.status_code == 200  # the form again, with an error
    response = client.get("/centre/companies/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_with_totp_whose_session_skipped_the_second_factor_is_asked_for_a_code(client, agent, with_totp):
    with_totp(agent)
    client.force_login(agent)  # a session that never went through allauth's MFA stage
    response = client.get("/centre/companies/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")


def test_staff_with_totp_who_reauthenticates_with_a_code_gets_in(client, agent, with_totp):
    secret = with_totp(agent)
    client.force_login(agent)
    client.post("/accounts/2fa/reauthenticate/", {"code": totp_code(secret)})
    assert client.get("/centre/companies/").status_code == 200


def test_residents_and_company_staff_are_not_asked_for_a_second_factor(client, resident, company_user):
    for user in (resident, company_user):
        client.force_login(user)
        response = client.get("/")
        assert response.status_code == 200
        client.logout()


def test_the_rule_can_be_switched_off_for_tests_that_force_login(client, agent, settings):
    settings.MARKETPLACE_REQUIRE_STAFF_MFA = False
    client.force_login(agent)
    assert client.get("/centre/companies/").status_code == 200
