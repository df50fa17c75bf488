"""Issue 8, end to end: the HTTP API driven as the WeChat mini program drives it.

A new resident signs up with a phone code and gets JWT tokens → reads the catalogue with guide prices →
raises a request (Idempotency-Key, location) → the matcher (a Celery task queued on commit) offers it to the
nearest contracted company → the company's staff sign in by phone code and accept → set off, arrive, complete
→ the resident pays with WeChat Pay JSAPI (WeChat's API faked at its HTTP boundary; its signed, encrypted
notification posted to our callback) → the resident rates the job. Then the refusals along the same way.

Nothing of ours is mocked: real database, real HTTP requests through Django, real matcher, real payment
gateway code; only WeChat Pay's servers and the SMS gateway are played by fakes.
"""
import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from marketplace.models import RequestStatus, ServiceRequest
from marketplace.payments.models import Payment, PaymentStatus
from marketplace.roles import Role
from matching.models import Offer
from ratings.models import Rating
from tests.api import staff_of
from tests.e2e.conftest import give_phone
from tests.payments.conftest import wechat_notify

pytestmark = pytest.mark.django_db

User = get_user_model()

RESIDENT_PHONE = "13900000077"  # typed as people in China type it
OPENID = "oMiniProgramPayer000000000001"  # the payer's openid in our mini program (from wx.login)


def request_body(item, **overrides) -> dict:
    """The request form of the mini program: item, words, the place from wx.chooseLocation."""
    body = {
        "item": item.pk, "description": "厨房和客厅保洁，约两小时", "address": "昭阳街道东关社区1号",
        "latitude": "27.331000", "longitude": "117.490000", "as_soon_as_possible": True,
        "contact_phone": RESIDENT_PHONE,
    }
    return body | overrides


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def raise_request(app, item, celery_eager, key="mp-1700000000000-1a2b3c"):
    """POST the request; its commit queues the matcher, which Celery runs at once."""
    with celery_eager():
        return app.call("requestCreate", body=request_body(item), headers={"Idempotency-Key": key})


def test_a_new_resident_signs_up_by_phone_code_and_goes_from_request_to_paid_and_rated_job(
    mini_program, sms, item, guide_price, companies, celery_eager, wechat, wechat_keys, frozen_now,
):
    resident_app, company_app = mini_program(), mini_program()

    # 1. A new resident signs up with the code texted to their phone: JWT access and refresh tokens.
    signed_up = resident_app.sign_up(RESIDENT_PHONE)
    assert signed_up.status_code == 401  # pending: verify the phone
    assert [f["id"] for f in signed_up.json()["data"]["flows"] if f.get("is_pending")] == ["verify_phone"]
    verified = resident_app.verify_phone(sms.last_code("+8613900000077"))
    assert verified.status_code == 200, verified.content
    resident = User.objects.get(pk=verified.json()["data"]["user"]["id"])
    assert resident.phone == "+8613900000077" and resident.phone_verified
    assert list(resident.groups.values_list("name", flat=True)) == [Role.RESIDENT]
    assert resident_app.tokens["access"] and resident_app.tokens["refresh"]

    # 2. The catalogue, with guide prices (anyone may read it; the app sends its token anyway).
    [listed] = results(resident_app.call("items"))
    assert listed["id"] == item.pk and listed["guide_price"] == "85.00"
    shown = resident_app.call("item", {"id": item.pk})
    assert shown.status_code == 200 and shown.json()["guide_price"]["guide_price"] == "85.00"
    [price] = results(resident_app.call("guidePrices"))
    assert (price["item"]["id"], price["market_price"], price["guide_price"]) == (item.pk, "100.00", "85.00")

    # 3. The request, with an idempotency key and the place; the matcher offers it to company 1 (1 km away).
    created = raise_request(resident_app, item, celery_eager)
    assert created.status_code == 201, created.content
    request_id = created.json()["id"]
    assert created.json()["contact_phone"] == "+8613900000077"
    retried = raise_request(resident_app, item, celery_eager)  # the same tap sent again: nothing new
    assert retried.status_code == 200 and retried.json()["id"] == request_id
    assert ServiceRequest.objects.count() == 1
    mine = resident_app.call("requestDetail", {"id": request_id}).json()
    assert mine["status"] == RequestStatus.OFFERED
    assert [entry["to_status"] for entry in mine["history"]] == ["submitted", "matching", "offered"]
    offer = Offer.objects.get(request_id=request_id)
    assert offer.company == companies[0] and offer.status == Offer.Status.PENDING

    # 4. Company 1's staff member signs in by phone code too and accepts the offer.
    give_phone(staff_of(companies[0]), "13800000001")
    company_app.sign_in_by_code("13800000001", sms)
    [offered] = results(company_app.call("offers"))
    assert offered["id"] == offer.pk and offered["request"]["id"] == request_id
    assert offered["request"]["contact_phone"] == "139****0077"  # masked until accepted
    accepted = company_app.call("offerAccept", {"id": offer.pk}, {})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == RequestStatus.ACCEPTED
    assert accepted.json()["contact_phone"] == "+8613900000077"

    # 5. The company does the job through the API: set off, arrive, complete at the contracted price.
    assert company_app.call("jobSetOff", {"id": request_id}).json()["status"] == RequestStatus.ON_THE_WAY
    assert company_app.call("jobArrive", {"id": request_id}).json()["status"] == RequestStatus.IN_SERVICE
    completed = company_app.call("jobComplete", {"id": request_id}, {"final_price": "80.00", "quantity": "1"})
    assert completed.status_code == 200, completed.content
    assert completed.json()["status"] == RequestStatus.COMPLETED and completed.json()["final_price"] == "80.00"
    [job] = results(company_app.call("jobs"))
    assert job["id"] == request_id and job["status"] == RequestStatus.COMPLETED

    mine = resident_app.call("requestDetail", {"id": request_id}).json()
    assert mine["status"] == RequestStatus.COMPLETED and mine["final_price"] == "80.00"
    assert mine["company_name"] == companies[0].legal_name
    status = resident_app.call("paymentStatus", {"id": request_id}).json()
    assert (status["state"], status["price"], status["net_paid"]) == ("unpaid", "80.00", "0.00")

    # 6. Twenty minutes later the access token has expired: the app refreshes it once and goes on.
    frozen_now.shift(datetime.timedelta(minutes=20))
    started = resident_app.call("paymentStart", {"id": request_id}, {"method": "wechat_jsapi", "openid": OPENID})
    assert resident_app.refreshes == 1
    assert started.status_code == 201, started.content

    # 7. WeChat Pay JSAPI: the prepay order at WeChat, and the parameters wx.requestPayment needs.
    payment = started.json()["payment"]
    assert (payment["method"], payment["status"], payment["amount"]) == ("wechat_jsapi", "pending", "80.00")
    order = wechat.orders[payment["reference"]]
    assert (order["trade_type"], order["amount"], order["openid"]) == ("JSAPI", 8000, OPENID)
    params = started.json()["client_params"]
    assert params["package"] == f"prepay_id={order['prepay_id']}" and params["signType"] == "RSA"
    assert {"appId", "timeStamp", "nonceStr", "paySign"} <= params.keys()

    # 8. The resident pays in WeChat; WeChat posts its signed, encrypted notification to our callback.
    headers, body = wechat.paid_notification(payment["reference"])
    notified = wechat_notify(Client(), headers, body)
    assert notified.status_code == 200 and notified.json()["code"] == "SUCCESS"
    status = resident_app.call("paymentStatus", {"id": request_id}).json()
    assert (status["state"], status["net_paid"]) == ("paid", "80.00")
    assert status["paid"]["reference"] == payment["reference"]
    assert status["paid"]["status"] == PaymentStatus.PAID
    assert company_app.call("paymentStatus", {"id": request_id}).json()["state"] == "paid"

    # 9. The resident rates the job.
    scores = {"overall": 5, "punctuality": 5, "attitude": 5, "quality": 4, "comment": "准时，干净"}
    rated = resident_app.call("ratingGive", {"id": request_id}, scores)
    assert rated.status_code == 201, rated.content
    mine = resident_app.call("requestDetail", {"id": request_id}).json()
    assert mine["company_average_rating"] is not None
    rating = Rating.objects.get(request_id=request_id)
    assert (rating.overall, rating.quality, rating.comment, rating.company) == (5, 4, "准时，干净", companies[0])
    assert rating.resident == resident


def test_refusals_along_the_way(mini_program, sms, item, guide_price, companies, outsider, celery_eager, wechat):
    resident_app, outsider_app, company_app, other_company_app, anonymous_app = (mini_program() for _ in range(5))
    resident_app.sign_up("13900000077")
    resident_app.verify_phone(sms.last_code("+8613900000077"))
    outsider_app.sign_in_by_code("13900000009", sms)  # another resident, already on file
    give_phone(staff_of(companies[0]), "13800000001")
    give_phone(staff_of(companies[1]), "13800000002")
    company_app.sign_in_by_code("13800000001", sms)
    other_company_app.sign_in_by_code("13800000002", sms)

    # Raising a request needs an Idempotency-Key, and a resident's account.
    no_key = resident_app.call("requestCreate", body=request_body(item))
    assert no_key.status_code == 400 and no_key.json()["code"] == "idempotency_key_required"
    as_company = company_app.call("requestCreate", body=request_body(item), headers={"Idempotency-Key": "k-company"})
    assert as_company.status_code == 403
    assert anonymous_app.call("requestCreate", body=request_body(item), headers={"Idempotency-Key": "k-anon"}).status_code in (401, 403)
    request_id = raise_request(resident_app, item, celery_eager).json()["id"]
    offer = Offer.objects.get(request_id=request_id, status=Offer.Status.PENDING)
    assert offer.company == companies[0]

    # Another resident sees nothing of it; neither does anyone without a token.
    assert outsider_app.call("requestDetail", {"id": request_id}).status_code == 404
    assert results(outsider_app.call("requestList")) == []
    assert anonymous_app.call("requestDetail", {"id": request_id}).status_code in (401, 403)

    # A company that was not offered it cannot see or accept the offer; a resident cannot accept at all.
    assert results(other_company_app.call("offers")) == []
    assert other_company_app.call("offerAccept", {"id": offer.pk}, {}).status_code == 404
    assert resident_app.call("offerAccept", {"id": offer.pk}, {}).status_code == 403
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING

    # Not done yet: nothing to pay or rate.
    early_pay = resident_app.call("paymentStart", {"id": request_id}, {"method": "wechat_jsapi", "openid": OPENID})
    assert early_pay.status_code == 400
    early_rating = resident_app.call("ratingGive", {"id": request_id}, {"overall": 5, "punctuality": 5, "attitude": 5,
                                                                        "quality": 5})
    assert early_rating.status_code == 404  # no company has it yet: not a job to rate
    assert not wechat.orders and not Payment.objects.exists() and not Rating.objects.exists()

    # Company 1 accepts and does the job; company 2 cannot touch it.
    assert company_app.call("offerAccept", {"id": offer.pk}, {}).status_code == 200
    assert other_company_app.call("jobSetOff", {"id": request_id}).status_code == 404
    assert company_app.call("jobSetOff", {"id": request_id}).status_code == 200
    assert company_app.call("jobArrive", {"id": request_id}).status_code == 200
    over_price = company_app.call("jobComplete", {"id": request_id}, {"final_price": "80.01"})
    assert over_price.status_code == 400 and over_price.json()["code"] == "final_price_above_contract"
    assert other_company_app.call("jobComplete", {"id": request_id}, {"final_price": "80.00"}).status_code == 404
    assert company_app.call("jobComplete", {"id": request_id}, {"final_price": "80.00"}).status_code == 200

    # Only the resident who raised it may pay and rate it; the other resident gets 404, the company 403.
    assert outsider_app.call("paymentStatus", {"id": request_id}).status_code == 404
    assert other_company_app.call("paymentStatus", {"id": request_id}).status_code == 404
    outsider_pay = outsider_app.call("paymentStart", {"id": request_id}, {"method": "wechat_jsapi", "openid": OPENID})
    assert outsider_pay.status_code == 404
    assert company_app.call("paymentStart", {"id": request_id}, {"method": "wechat_jsapi", "openid": OPENID}).status_code == 403
    no_openid = resident_app.call("paymentStart", {"id": request_id}, {"method": "wechat_jsapi"})
    assert no_openid.status_code == 400 and no_openid.json()["code"] == "openid_required"
    assert not wechat.orders and not Payment.objects.exists()
    scores = {"overall": 1, "punctuality": 1, "attitude": 1, "quality": 1, "comment": "不是我的单"}
    assert outsider_app.call("ratingGive", {"id": request_id}, scores).status_code == 404
    assert company_app.call("ratingGive", {"id": request_id}, scores).status_code == 403
    assert not Rating.objects.exists()

    # A notification that WeChat did not sign changes nothing.
    payment = resident_app.call("paymentStart", {"id": request_id}, {"method": "wechat_jsapi", "openid": OPENID}).json()
    headers, body = wechat.paid_notification(payment["payment"]["reference"])
    forged = json.loads(body) | {"summary": "伪造"}
    assert wechat_notify(Client(), headers, json.dumps(forged, ensure_ascii=False)).status_code == 401
    assert resident_app.call("paymentStatus", {"id": request_id}).json()["state"] != "paid"
    assert outsider_app.call("paymentStatus", {"id": request_id}).status_code == 404
