"""Who sees and does what: the resident their own job, the company its own job, the centre every job,
refunds administrators only, reconciliation finance officers and administrators; an outsider learns nothing."""
import pytest

from marketplace.payments.models import Payment
from marketplace.payments.models import PaymentStatus as S
from marketplace.payments.services import payment_confirm_cash, payment_record_cash

from .conftest import wechat_notify

pytestmark = [pytest.mark.django_db]


def test_resident_page_offers_the_enabled_methods_and_shows_a_qr_code(client, resident, job, wechat, settings):
    settings.PAYMENT_PROVIDERS = ["cash", "wechat"]
    client.force_login(resident)

    page = client.get(f"/payments/request/{job.pk}/").content.decode()
    assert "¥80.00" in page and 'value="wechat_native"' in page and 'value="stripe_card"' not in page

    response = client.post(f"/payments/request/{job.pk}/", {"action": "start", "method": "wechat_native"})
    assert response.status_code == 302
    page = client.get(f"/payments/request/{job.pk}/").content.decode()
    assert "<svg" in page and "weixin://wxpay/bizpayurl" in page


def test_the_web_page_does_not_offer_wechat_pay_inside_wechat(client, resident, job, wechat):
    """JSAPI needs wx.requestPayment (the mini program); the web page offers the QR code instead."""
    client.force_login(resident)
    page = client.get(f"/payments/request/{job.pk}/").content.decode()
    assert 'value="wechat_native"' in page and 'value="wechat_jsapi"' not in page

    response = client.post(f"/payments/request/{job.pk}/", {"action": "start", "method": "wechat_jsapi"}, follow=True)
    assert "for the mini program" in response.content.decode()
    assert not Payment.objects.exists()


def test_paid_job_shows_paid_to_resident_company_and_centre(client, resident, job, wechat, company_staff, agent):
    client.force_login(resident)
    client.post(f"/payments/request/{job.pk}/", {"action": "start", "method": "wechat_native"})
    payment = Payment.objects.get()
    wechat_notify(client, *wechat.paid_notification(payment.reference))

    for user, url in [(resident, f"/payments/request/{job.pk}/"), (company_staff, f"/payments/company/jobs/{job.pk}/"),
                      (agent, f"/payments/centre/requests/{job.pk}/")]:
        client.force_login(user)
        page = client.get(url).content.decode()
        assert 'class="status payment-paid"' in page and payment.reference in page, url
    client.force_login(agent)
    assert payment.reference in client.get("/payments/centre/?status=paid").content.decode()


def test_company_records_cash_on_its_job_page(client, job, company_staff, resident):
    client.force_login(company_staff)

    refused = client.post(f"/payments/company/jobs/{job.pk}/", {"amount": "80.001"})
    assert refused.status_code == 200 and "fen" in refused.content.decode() and not Payment.objects.exists()

    response = client.post(f"/payments/company/jobs/{job.pk}/", {"amount": "80.00", "note": "微信转账"})

    assert response.status_code == 302 and Payment.objects.get().status == S.PENDING
    assert "waiting for the resident" in client.get(f"/payments/company/jobs/{job.pk}/").content.decode()


def test_administrator_refunds_from_the_centre_page(client, job, company_staff, resident, administrator):
    payment = payment_record_cash(request=job, company=job.company, actor=company_staff, amount="80.00")
    payment_confirm_cash(payment=payment, actor=resident)
    client.force_login(administrator)

    response = client.post(f"/payments/centre/requests/{job.pk}/",
                           {"action": "refund", "payment": payment.pk, "amount": "15.00", "reason": "投诉属实"})

    assert response.status_code == 302
    page = client.get(f"/payments/centre/requests/{job.pk}/").content.decode()
    assert "¥65.00" in page and "投诉属实" in page


def test_outsider_learns_nothing_about_another_residents_job(client, outsider, job, wechat):
    client.force_login(outsider)

    assert client.get(f"/payments/request/{job.pk}/").status_code == 404
    assert client.get(f"/api/payments/requests/{job.pk}/").status_code == 404
    assert client.post(f"/api/payments/requests/{job.pk}/", {"method": "wechat_native"},
                       content_type="application/json").status_code == 404
    assert not wechat.orders


def test_other_company_gets_404_for_the_job(client, job, other_company_staff):
    client.force_login(other_company_staff)

    assert client.get(f"/payments/company/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/api/payments/requests/{job.pk}/").status_code == 404
    assert client.post(f"/api/payments/company/jobs/{job.pk}/cash/", {"amount": "80.00"},
                       content_type="application/json").status_code == 404
    assert not Payment.objects.exists()


def test_resident_cannot_confirm_someone_elses_cash(client, job, company_staff, outsider):
    payment = payment_record_cash(request=job, company=job.company, actor=company_staff, amount="80.00")
    client.force_login(outsider)

    response = client.post(f"/api/payments/{payment.pk}/confirm-cash/", {}, content_type="application/json")

    assert response.status_code == 404
    payment.refresh_from_db()
    assert payment.status == S.PENDING


def test_anonymous_is_sent_to_login_or_refused(client, job):
    assert client.get(f"/payments/request/{job.pk}/").status_code == 302
    assert client.get("/payments/finance/reconciliation/").status_code == 302
    assert client.get(f"/api/payments/requests/{job.pk}/").status_code == 403


@pytest.mark.parametrize("who, status", [("finance_officer", 200), ("administrator", 200), ("agent", 403),
                                         ("resident", 403), ("company_user", 403)])
def test_reconciliation_is_for_finance_officers_and_administrators(client, request, who, status):
    client.force_login(request.getfixturevalue(who))

    assert client.get("/payments/finance/reconciliation/").status_code == status


@pytest.mark.parametrize("who, status", [("agent", 200), ("finance_officer", 200), ("administrator", 200),
                                         ("resident", 403), ("company_user", 403)])
def test_centre_payment_pages_are_for_the_centre(client, request, job, who, status):
    client.force_login(request.getfixturevalue(who))

    assert client.get("/payments/centre/").status_code == status
    assert client.get(f"/payments/centre/requests/{job.pk}/").status_code == status


def test_finance_officer_may_look_but_not_refund_or_confirm(client, job, company_staff, finance_officer):
    payment_record_cash(request=job, company=job.company, actor=company_staff, amount="80.00")
    client.force_login(finance_officer)

    assert client.post(f"/payments/centre/requests/{job.pk}/", {"action": "confirm_cash"}).status_code == 403
    assert Payment.objects.get().status == S.PENDING


def test_resident_cannot_record_cash(client, resident, job):
    client.force_login(resident)

    response = client.post(f"/api/payments/company/jobs/{job.pk}/cash/", {"amount": "80.00"}, content_type="application/json")

    assert response.status_code == 403


def test_payment_badge_links_other_pages_to_the_payment_page(job, company_staff, resident):
    from django.template import Context, Template

    template = Template('{% load payments_tags %}{% job_payment_badge job "payment-company-job" %}')
    assert "not paid" in template.render(Context({"job": job})) and f"/payments/company/jobs/{job.pk}/" in template.render(Context({"job": job}))
    payment = payment_record_cash(request=job, company=job.company, actor=company_staff, amount="80.00")
    payment_confirm_cash(payment=payment, actor=resident)

    assert "payment-paid" in template.render(Context({"job": job}))
