"""Who may open which page: anonymous visitors are sent to sign in, people without the role get 403,
centre agents look but do not act, and one company never sees another's."""
import pytest
from django.urls import reverse

from pricing.models import PriceChangeRequest
from providers.models import CompanyStatus, CompanyStatusChange
from tests.conftest import make_user
from tests.portal.helpers import is_login_redirect, set_price

pytestmark = [pytest.mark.django_db]

PORTAL = reverse("company-portal")
CENTRE_LIST = reverse("centre-company-list")
PRICE_CHANGES = reverse("centre-price-change-list")


@pytest.fixture
def company(apply_company):
    return apply_company(1)


def centre_pages(company):
    return [CENTRE_LIST, reverse("centre-company-detail", args=[company.pk]), PRICE_CHANGES]


def test_anonymous_visitor_is_sent_to_sign_in_everywhere(client, company):
    urls = [reverse("company-apply"), PORTAL, *centre_pages(company)]
    for url in urls:
        assert is_login_redirect(client.get(url)), url
    assert is_login_redirect(client.post(reverse("centre-company-detail", args=[company.pk]), {"to_status": "under_inspection"}))
    assert is_login_redirect(client.post(reverse("centre-price-change-decide", args=[1]), {"decision": "approve"}))
    assert CompanyStatusChange.objects.filter(company=company).count() == 1


@pytest.mark.parametrize("persona", ["resident", "outsider"])
def test_residents_are_refused_the_centre_pages_and_the_company_portal(client, company, persona, request):
    client.force_login(request.getfixturevalue(persona))

    for url in [PORTAL, *centre_pages(company)]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("centre-company-detail", args=[company.pk]), {"to_status": "under_inspection"}).status_code == 403
    company.refresh_from_db()
    assert company.status == CompanyStatus.APPLIED


def test_centre_agent_sees_the_admission_pages_but_no_action_buttons(client, agent, company):
    client.force_login(agent)

    assert client.get(CENTRE_LIST).status_code == 200
    response = client.get(reverse("centre-company-detail", args=[company.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert company.legal_name in page and 'name="to_status"' not in page
    assert response.context["moves"] == []


def test_centre_agent_cannot_move_a_company(client, agent, company):
    client.force_login(agent)

    response = client.post(reverse("centre-company-detail", args=[company.pk]), {"to_status": "under_inspection"})

    assert response.status_code == 403
    company.refresh_from_db()
    assert company.status == CompanyStatus.APPLIED
    assert CompanyStatusChange.objects.filter(company=company).count() == 1


def test_centre_agent_cannot_decide_price_changes(client, agent, contracted, item, company_user):
    from pricing.services import price_change_request_file

    record = set_price(contracted, item, "80.00", company_user)
    change = price_change_request_file(stockrecord=record, requested_price="84.00", reason="涨价", actor=company_user)
    client.force_login(agent)

    assert client.get(PRICE_CHANGES).status_code == 403
    response = client.post(reverse("centre-price-change-decide", args=[change.pk]), {"decision": "approve", "reason": "x"})

    assert response.status_code == 403
    change.refresh_from_db()
    assert change.status == PriceChangeRequest.Status.PENDING


def test_finance_officer_is_refused_the_admission_pages(client, finance_officer, company):
    client.force_login(finance_officer)

    for url in centre_pages(company):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("centre-company-detail", args=[company.pk]), {"to_status": "under_inspection"}).status_code == 403


def test_company_staff_see_only_their_own_company(client, apply_company, company_user):
    own = apply_company(1, user=company_user)
    other = apply_company(2)
    client.force_login(company_user)

    page = client.get(PORTAL).content.decode()

    assert own.legal_name in page and other.legal_name not in page and other.credit_code not in page
    for url in centre_pages(other):
        assert client.get(url).status_code == 403, url


def test_company_staff_cannot_touch_another_companys_prices(client, contract_company, company_user, guide_price, item):
    contract_company(1, user=company_user)
    other_staff = make_user("other@company.example.com")
    other = contract_company(2, user=other_staff)
    other_record = set_price(other, item, "80.00", other_staff)
    client.force_login(company_user)

    response = client.post(
        PORTAL,
        {
            "action": "request_change",
            "change-stockrecord": other_record.pk,
            "change-requested_price": "70.00",
            "change-reason": "替别人改价",
        },
    )

    assert "stockrecord" in response.context["change_form"].errors
    assert not PriceChangeRequest.objects.exists()
    other_record.refresh_from_db()
    assert str(other_record.price) == "80.00"


def test_staff_role_without_a_company_sees_an_empty_portal(client, company_user):
    client.force_login(company_user)

    response = client.get(PORTAL)

    assert response.status_code == 200
    assert response.context["company"] is None
    assert reverse("company-apply") in response.content.decode()


def test_unknown_company_is_not_found_for_an_administrator(client, administrator, policy):
    client.force_login(administrator)

    assert client.get(reverse("centre-company-detail", args=[999])).status_code == 404


def test_portal_refuses_an_unknown_action(client, contracted, company_user):
    client.force_login(company_user)

    assert client.post(PORTAL, {"action": "delete_everything"}).status_code == 400
