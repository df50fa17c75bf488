"""Only company staff open these pages, and only their own company's offers and jobs."""
import pytest
from django.urls import reverse

from marketplace.models import RequestStatus as R
from matching.models import Offer
from matching.services import offer_accept
from tests.company_jobs.helpers import is_login_redirect

pytestmark = [pytest.mark.django_db]

PAGES = ["company-offers", "company-jobs", "company-calendar", "company-history"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, name):
    assert is_login_redirect(client.get(reverse(name)))


@pytest.mark.parametrize("persona", ["resident", "agent", "finance_officer"])
@pytest.mark.parametrize("name", PAGES)
def test_people_without_the_company_staff_role_are_refused(client, request, persona, name):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(name)).status_code == 403


def test_resident_cannot_accept_an_offer(client, resident, offered):
    offer = offered()
    client.force_login(resident)
    assert client.post(reverse("company-offer-accept", args=[offer.pk])).status_code == 403
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.PENDING


def test_anonymous_cannot_accept_an_offer(client, offered):
    offer = offered()
    assert is_login_redirect(client.post(reverse("company-offer-accept", args=[offer.pk])))
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.PENDING


def test_other_companys_staff_cannot_see_the_job(client, staff, offered, companies):
    offer = offered()
    job = offer_accept(offer_id=offer.pk, company=companies[0], actor=staff[0])
    client.force_login(staff[1])
    assert client.get(reverse("company-job-detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("company-job-set-off", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == R.ACCEPTED


def test_other_companys_staff_cannot_accept_or_decline_the_offer(client, staff, offered):
    offer = offered()
    client.force_login(staff[1])
    assert client.post(reverse("company-offer-accept", args=[offer.pk])).status_code == 404
    assert client.post(reverse("company-offer-decline", args=[offer.pk]), {"reason": "x"}).status_code == 404
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING


def test_an_offer_not_yet_accepted_is_no_job_page(client, staff, offered):
    offer = offered()
    client.force_login(staff[0])
    assert client.get(reverse("company-job-detail", args=[offer.request_id])).status_code == 404


def test_staff_without_a_company_sees_an_explanation(client, company_user):
    client.force_login(company_user)
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "Your account is not linked to any company" in response.content.decode()


def test_suspended_company_is_told_it_gets_no_new_offers(client, staff, companies, administrator):
    from providers.models import CompanyStatus
    from providers.services import company_transition

    company_transition(company=companies[0], to_status=CompanyStatus.SUSPENDED, actor=administrator, reason="整改")
    client.force_login(staff[0])
    page = client.get(reverse("company-jobs")).content.decode()
    assert "it receives no new offers until it is contracted" in page
