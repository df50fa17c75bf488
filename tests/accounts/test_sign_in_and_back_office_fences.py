"""Sign-up and sign-in by email or phone (allauth), and who may open the back offices."""
import pytest
from django.contrib.auth import get_user_model

from marketplace.models import YearPolicy
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_sign_up_with_phone_and_password_makes_a_resident(client):
    response = client.post("/accounts/signup/", {"phone": "+8613912345678", "email": "", "password1": "Shaowu-110-pw", "password2": "Shaowu-110-pw"})
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(phone="+8613912345678")
    assert user.groups.filter(name="resident").exists()


def test_sign_in_by_email_and_by_phone(client):
    make_user("li@example.com", "resident", phone="+8613911112222", password="Shaowu-110-pw")
    response = client.post("/accounts/login/", {"login": "li@example.com", "password": "Shaowu-110-pw"})
    assert response.status_code == 302
    client.logout()
    response = client.post("/accounts/login/", {"login": "+8613911112222", "password": "Shaowu-110-pw"})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user.email == "li@example.com"


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client):
    make_user("li@example.com", "resident", password="Shaowu-110-pw")
    response = client.post("/accounts/login/", {"login": "li@example.com", "password": "wrong"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize("path", ["/oscar/dashboard/", "/admin/marketplace/yearpolicy/"])
@pytest.mark.parametrize("role", ["centre_agent", "finance_officer", "company_staff", "resident"])
def test_back_offices_refuse_everyone_but_administrators(client, path, role):
    client.force_login(make_user(f"{role}@example.com", role, is_staff=True))
    assert client.get(path).status_code == 403


def test_back_offices_send_anonymous_visitors_to_sign_in(client):
    response = client.get("/oscar/dashboard/")
    assert response.status_code == 302 and "login" in response["Location"]


def policy_form_data(policy, **changes) -> dict:
    """Every field of the policy's admin form as it stands, with ``changes`` applied, and empty inlines."""
    from django.forms.models import model_to_dict

    data = {k: v for k, v in model_to_dict(policy).items() if k != "id"}
    data.update(changes)
    for prefix in ("category_quotas", "category_deadlines"):
        data[f"{prefix}-TOTAL_FORMS"] = 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
    return data


def test_administrator_edits_the_yearly_policy_and_history_keeps_the_old_value(client, policy):
    admin = make_user("root@example.com", "administrator", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/oscar/dashboard/").status_code == 200
    data = policy_form_data(policy, min_discount="0.2000")
    response = client.post(f"/admin/marketplace/yearpolicy/{policy.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    policy.refresh_from_db()
    assert str(policy.min_discount) == "0.2000"
    assert [str(h.min_discount) for h in policy.history.order_by("history_date")] == ["0.1500", "0.2000"]
    assert policy.history.latest("history_date").history_user == admin


def test_policy_with_an_impossible_rate_is_refused_in_the_admin(client, policy):
    client.force_login(make_user("root@example.com", "administrator", is_staff=True, is_superuser=True))
    data = policy_form_data(policy, min_discount="1.5000", complaint_limit=0)
    assert client.post(f"/admin/marketplace/yearpolicy/{policy.pk}/change/", data).status_code == 200
    assert str(YearPolicy.objects.get().min_discount) == "0.1500"


def test_staff_with_only_an_email_can_sign_in(client):
    make_user("clerk@example.com", "centre_agent", password="Shaowu-110-pw")
    response = client.post("/accounts/login/", {"login": "clerk@example.com", "password": "Shaowu-110-pw"})
    assert response.status_code == 302 and response["Location"] != "/accounts/login/"
    assert client.get("/").wsgi_request.user.is_authenticated


def test_sign_up_needs_a_phone_or_an_email(client):
    response = client.post("/accounts/signup/", {"phone": "", "email": "", "password1": "Shaowu-110-pw", "password2": "Shaowu-110-pw"})
    assert response.status_code == 200
    assert not get_user_model().objects.exists()


def test_an_administrator_who_is_not_a_superuser_keeps_the_policy_in_the_admin(client, policy):
    admin = make_user("clerk-admin@example.com", "administrator", is_staff=True)
    client.force_login(admin)
    assert client.get("/admin/marketplace/yearpolicy/").status_code == 200
    assert client.get("/admin/marketplace/linkedunit/").status_code == 200
    data = policy_form_data(policy, min_discount="0.1600")
    response = client.post(f"/admin/marketplace/yearpolicy/{policy.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert str(YearPolicy.objects.get().min_discount) == "0.1600"
    # The same rules hold for them: an impossible rate is refused.
    data = policy_form_data(YearPolicy.objects.get(), min_discount="1.5000")
    assert client.post(f"/admin/marketplace/yearpolicy/{policy.pk}/change/", data).status_code == 200
    assert str(YearPolicy.objects.get().min_discount) == "0.1600"


def test_an_administrator_cannot_make_anyone_a_superuser(client):
    admin = make_user("clerk-admin@example.com", "administrator", is_staff=True)
    agent = make_user("agent2@example.com", "centre_agent", is_staff=True)
    client.force_login(admin)
    page = client.get(f"/admin/marketplace/user/{agent.pk}/change/")
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    assert client.get("/admin/auth/group/").status_code == 403  # roles are fixed; only their members change


def test_signing_in_without_a_next_page_lands_on_our_home_page_not_oscars_shop(client):
    make_user("li@example.com", "resident", password="Shaowu-110-pw")
    response = client.post("/accounts/login/", {"login": "li@example.com", "password": "Shaowu-110-pw"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert 'class="brand" href="/"' in client.get("/requests/").content.decode()
