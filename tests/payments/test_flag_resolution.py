"""Finance resolves a flagged payment: money that arrived but was not accepted (wrong amount, a second
payment of a paid job, disputed cash). The flag is closed with what was found and done; the ledger is
never touched; who may resolve is fenced."""
import pytest

from marketplace.payments.models import FlagOutcome, Payment, PaymentLedgerEntry
from marketplace.payments.models import PaymentStatus as S
from marketplace.payments.selectors import flagged_payments, job_net_paid
from marketplace.payments.services import payment_flag_resolve

from .conftest import wechat_notify

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def flagged(client, resident, job, wechat):
    """A WeChat payment whose notification says ¥0.01 was paid for an ¥80.00 job: flagged, not booked."""
    client.force_login(resident)
    started = client.post(f"/api/payments/requests/{job.pk}/", {"method": "wechat_native"}, content_type="application/json")
    payment = Payment.objects.get(pk=started.json()["payment"]["id"])
    wechat_notify(client, *wechat.paid_notification(payment.reference, amount_fen=1))
    payment.refresh_from_db()
    assert payment.status == S.NEEDS_REVIEW
    client.logout()
    return payment


def test_finance_officer_resolves_a_flag_from_the_page(client, flagged, finance_officer, job):
    client.force_login(finance_officer)
    listing = client.get("/payments/finance/reconciliation/").content.decode()
    assert f"/payments/finance/flagged/{flagged.pk}/" in listing

    page = client.get(f"/payments/finance/flagged/{flagged.pk}/").content.decode()
    assert "0.01" in page and 'name="outcome"' in page

    response = client.post(f"/payments/finance/flagged/{flagged.pk}/",
                           {"outcome": FlagOutcome.RETURNED, "note": "商户平台退款 50300001"})

    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.status == S.CANCELLED and not flagged.flag_open
    assert flagged.flag_resolved_by == finance_officer and flagged.flag_outcome == FlagOutcome.RETURNED
    assert flagged.flag_resolution == "商户平台退款 50300001"
    last = flagged.status_changes.order_by("pk").last()
    assert (last.from_status, last.to_status, last.actor) == (S.NEEDS_REVIEW, S.CANCELLED, finance_officer)
    assert "50300001" in last.reason
    assert not flagged_payments().filter(pk=flagged.pk).exists()
    assert not PaymentLedgerEntry.objects.exists() and job_net_paid(request=job) == 0
    # The resolved flag stays readable, without the form.
    page = client.get(f"/payments/finance/flagged/{flagged.pk}/").content.decode()
    assert "50300001" in page and 'name="outcome"' not in page


def test_the_job_can_still_be_paid_after_the_flag_is_resolved(client, flagged, finance_officer, resident, job, wechat):
    payment_flag_resolve(payment=flagged, actor=finance_officer, outcome=FlagOutcome.RETURNED, note="已退回")
    client.force_login(resident)
    started = client.post(f"/api/payments/requests/{job.pk}/", {"method": "wechat_native"}, content_type="application/json")
    assert started.status_code == 201, started.content
    again = Payment.objects.get(pk=started.json()["payment"]["id"])
    wechat_notify(client, *wechat.paid_notification(again.reference))
    again.refresh_from_db()
    assert again.status == S.PAID and job_net_paid(request=job) == 80


@pytest.mark.parametrize("data, message", [
    ({"outcome": "returned", "note": "   "}, "This field is required"),
    ({"outcome": "kept_it", "note": "x"}, "Select a valid choice"),
])
def test_bad_input_is_refused_and_changes_nothing(client, flagged, finance_officer, data, message):
    client.force_login(finance_officer)
    response = client.post(f"/payments/finance/flagged/{flagged.pk}/", data)
    assert response.status_code == 200 and message in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.status == S.NEEDS_REVIEW and flagged.flag_open


def test_a_flag_is_resolved_once(flagged, finance_officer, administrator):
    payment_flag_resolve(payment=flagged, actor=finance_officer, outcome=FlagOutcome.NOT_RECEIVED, note="查无到账")
    with pytest.raises(Exception) as refused:
        payment_flag_resolve(payment=flagged, actor=administrator, outcome=FlagOutcome.OTHER, note="again")
    assert refused.value.code == "flag_resolve_invalid"
    flagged.refresh_from_db()
    assert flagged.flag_resolved_by == finance_officer and flagged.flag_outcome == FlagOutcome.NOT_RECEIVED


def test_a_payment_that_was_never_flagged_has_no_flag_page(client, finance_officer, job, resident, wechat):
    client.force_login(resident)
    started = client.post(f"/api/payments/requests/{job.pk}/", {"method": "wechat_native"}, content_type="application/json")
    payment_id = started.json()["payment"]["id"]
    client.force_login(finance_officer)
    assert client.get(f"/payments/finance/flagged/{payment_id}/").status_code == 404
    with pytest.raises(Exception) as refused:
        payment_flag_resolve(payment=Payment.objects.get(pk=payment_id), actor=finance_officer, outcome="returned", note="x")
    assert refused.value.code == "flag_resolve_invalid"


@pytest.mark.parametrize("who", ["resident", "agent", "company_user", "outsider"])
def test_only_finance_and_administrators_may_see_or_resolve(client, flagged, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(f"/payments/finance/flagged/{flagged.pk}/").status_code == 403
    response = client.post(f"/payments/finance/flagged/{flagged.pk}/", {"outcome": "returned", "note": "x"})
    assert response.status_code == 403
    with pytest.raises(Exception) as refused:
        payment_flag_resolve(payment=flagged, actor=user, outcome="returned", note="x")
    assert refused.value.code == "payment_not_allowed"
    flagged.refresh_from_db()
    assert flagged.flag_open


def test_anonymous_visitors_are_sent_to_sign_in(client, flagged):
    response = client.get(f"/payments/finance/flagged/{flagged.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
