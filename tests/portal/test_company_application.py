"""A company applies online (自愿申报): success lands in the portal; bad fields are shown on the form
and create nothing."""
import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.roles import Role, has_role
from providers.models import Company, CompanyStatus, CompanyStatusChange
from tests.conftest import credit_code, make_user
from tests.portal.helpers import is_login_redirect, messages_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy")]

Partner = get_model("partner", "Partner")
APPLY = reverse("company-apply")


def form_data(n, town, category, **changes):
    data = {
        "legal_name": f"邵武市第{n}家政服务有限公司",
        "credit_code": credit_code(n),
        "licence_number": f"LIC-{n:05d}",
        "contact_name": "张经理",
        "contact_phone": f"1380000{n:04d}",
        "categories": [category.pk],
        "base_latitude": "27.330000",
        "base_longitude": "117.490000",
        "base_region": town.pk,
        "service_regions": [town.pk],
        "service_radius_km": "10.00",
        "opens_at": "08:00",
        "closes_at": "20:00",
        "capacity": "5",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def applicant(db):
    return make_user("boss@example.com", Role.RESIDENT)


def test_signed_in_person_applies_and_lands_on_the_portal_with_a_success_message(client, applicant, town, category):
    client.force_login(applicant)

    response = client.post(APPLY, form_data(7, town, category), follow=True)

    assert response.redirect_chain[-1][0] == reverse("company-portal")
    assert any("application" in message and "邵武市第7家政服务有限公司" in message for message in messages_of(response))
    company = Company.objects.get(credit_code=credit_code(7))
    assert company.status == CompanyStatus.APPLIED
    assert list(company.categories.all()) == [category]
    assert list(company.service_regions.all()) == [town]
    assert applicant in company.partner.users.all()
    assert has_role(type(applicant).objects.get(pk=applicant.pk), Role.COMPANY_STAFF)
    assert CompanyStatusChange.objects.filter(company=company, to_status=CompanyStatus.APPLIED, actor=applicant).exists()
    page = response.content.decode()
    assert "邵武市第7家政服务有限公司" in page and "applied" in page


def test_application_form_is_shown_to_a_signed_in_person(client, applicant, category):
    client.force_login(applicant)

    response = client.get(APPLY)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="credit_code"' in page and "家政服务" in page


def test_anonymous_visitor_is_sent_to_sign_in(client):
    assert is_login_redirect(client.get(APPLY))


def test_credit_code_with_a_wrong_check_character_is_refused_on_the_field_and_creates_nothing(
    client, applicant, town, category
):
    good = credit_code(8)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    client.force_login(applicant)

    response = client.post(APPLY, form_data(8, town, category, credit_code=bad))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["credit_code"]
    assert bad in errors["credit_code"][0] and "not a valid unified social credit code" in errors["credit_code"][0]
    assert not Company.objects.exists() and not Partner.objects.exists()
    assert not has_role(type(applicant).objects.get(pk=applicant.pk), Role.COMPANY_STAFF)


def test_duplicate_credit_code_is_refused_on_the_field_and_creates_nothing(
    client, applicant, town, category, apply_company
):
    apply_company(9)
    client.force_login(applicant)

    response = client.post(APPLY, form_data(9, town, category, legal_name="另一家公司"))

    assert response.status_code == 200
    assert response.context["form"].errors["credit_code"] == [
        "A company with this unified social credit code has already applied."
    ]
    assert Company.objects.count() == 1 and Partner.objects.count() == 1
    assert not Company.objects.filter(legal_name="另一家公司").exists()


def test_credit_code_typed_in_lower_case_is_stored_in_upper_case_and_still_counts_as_a_duplicate(
    client, applicant, town, category, apply_company
):
    code = credit_code(10)
    apply_company(10)
    client.force_login(applicant)

    response = client.post(APPLY, form_data(10, town, category, credit_code=code.lower()))

    assert "credit_code" in response.context["form"].errors
    assert Company.objects.count() == 1


def test_application_without_a_category_is_refused_on_the_field_and_creates_nothing(client, applicant, town, category):
    client.force_login(applicant)

    response = client.post(APPLY, form_data(11, town, category, categories=None))

    assert response.status_code == 200
    assert response.context["form"].errors["categories"] == ["Choose at least one category served."]
    assert not Company.objects.exists() and not Partner.objects.exists()


def test_missing_and_out_of_range_fields_are_shown_and_create_nothing(client, applicant, town, category):
    client.force_login(applicant)

    response = client.post(APPLY, form_data(12, town, category, legal_name="", base_latitude="91", capacity="0"))

    errors = response.context["form"].errors
    assert {"legal_name", "base_latitude", "capacity"} <= set(errors)
    assert not Company.objects.exists()


def test_equal_opening_and_closing_times_mean_open_all_day(client, applicant, town, category):
    client.force_login(applicant)

    client.post(APPLY, form_data(13, town, category, opens_at="00:00", closes_at="00:00"))

    assert Company.objects.get(credit_code=credit_code(13)).is_open_all_day


def test_staff_of_a_company_is_sent_to_their_portal_instead(client, company_user, apply_company):
    apply_company(14, user=company_user)
    client.force_login(company_user)

    response = client.get(APPLY)

    assert response.status_code == 302 and response.url == reverse("company-portal")
    response = client.post(APPLY, {"legal_name": "再来一家"})
    assert response.status_code == 302 and Company.objects.count() == 1
