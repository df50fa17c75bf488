"""A hand-computed fiscal year (2026) for the subsidy tests, built through the real services: jobs run
by the matcher and the job services, paid in cash (confirmed by the resident), refunded by an
administrator, rated by the resident, and one complaint upheld by an agent.

Policy 2026 for these tests: subsidy 10%, reward 5%, satisfaction target 0.75, one upheld complaint
removes a company. The run is started on 2027-01-05.

| company | jobs (final prices) | refunds | ratings | result |
| --- | --- | --- | --- | --- |
| 1 (at target) | 80.00, 79.99, 33.33, 45.55 | 10.01 on 45.55 | 5,5,5,2 → 3/4 = 0.75 | volume 228.86; subsidy 22.886→22.89; reward 11.443→11.44; total 34.33 |
| 2 (just below, joined 2026-07-01) | 12.35, 55.50, 7.20 | — | 4,4,1 → 2/3 | volume 75.05; subsidy 7.505→7.51; reward 0; total 7.51 |
| 3 (removed for a complaint) | 80.00, 61.15 | — | 5,5 → 2/2 | volume 141.15; subsidy 14.115→14.12; reward 0; total 14.12 |
| 4 (zero volume) | — | — | — | 0.00; not judged; total 0.00 |
"""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine

from marketplace.payments.services import (
    payment_confirm_cash,
    payment_record_cash,
    payment_refund,
)
from marketplace.roles import Role
from providers.models import Agreement
from ratings.models import ComplaintCategory
from ratings.services import (
    complaint_decide,
    complaint_file,
    complaint_review_start,
    rating_give,
)
from tests.conftest import make_user
from tests.ratings.conftest import job, offer_to, scores  # noqa: F401  (fixtures reused)
from tests.requests.conftest import companies, raise_request  # noqa: F401

RUN_DAY = datetime.datetime(2027, 1, 5, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Shanghai


@pytest.fixture(autouse=True)
def subsidy_urls(settings, client):
    settings.PAYMENT_PROVIDERS = ["cash", "wechat", "stripe"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def second_officer(db):
    return make_user("finance2@example.com", Role.FINANCE_OFFICER, is_staff=True)


def paid_in_cash(request):
    staff = request.company.partner.users.first()
    payment = payment_record_cash(request=request, company=request.company, actor=staff, amount=request.final_price)
    return payment_confirm_cash(payment=payment, actor=request.resident)


def rated(request, stars: int):
    rating_give(request=request, resident=request.resident, **scores(stars))
    return request


@pytest.fixture
def fiscal_year(policy, companies, job, administrator, agent, contract_company):  # noqa: F811
    policy.satisfaction_target = Decimal("0.7500")
    policy.complaint_limit = 1
    policy.save()
    first, second, third = companies
    Agreement.objects.filter(company=second).update(term_start=datetime.date(2026, 7, 1))

    made = {}
    for company, prices, stars in [
        (first, ["80.00", "79.99", "33.33", "45.55"], [5, 5, 5, 2]),
        (second, ["12.35", "55.50", "7.20"], [4, 4, 1]),
        (third, ["80.00", "61.15"], [5, 5]),
    ]:
        made[company.pk] = []
        for price, star in zip(prices, stars, strict=True):
            request = job(company, final_price=price)
            payment = paid_in_cash(request)
            rated(request, star)
            made[company.pk].append((request, payment))
    refunded_request, refunded_payment = made[first.pk][3]
    payment_refund(payment=refunded_payment, amount="10.01", reason="投诉属实：多收费", actor=administrator)

    complained = made[third.pk][0][0]
    complaint = complaint_file(request=complained, filed_by=complained.resident, category=ComplaintCategory.ATTITUDE,
                               description="服务态度恶劣")
    complaint_review_start(complaint=complaint, agent=agent)
    complaint_decide(complaint=complaint, agent=agent, upheld=True, reason="经核实属实")
    fourth = contract_company(4)  # contracted, never served anyone: zero volume
    return {"at_target": first, "below": second, "removed": third, "zero": fourth, "jobs": made,
            "refunded": refunded_request}


@pytest.fixture
def after_year_end():
    with time_machine.travel(RUN_DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def started_run(fiscal_year, after_year_end, finance_officer):
    from subsidies.services import payout_run_start

    return payout_run_start(year=2026, actor=finance_officer)


@pytest.fixture
def approved_run(started_run, finance_officer, second_officer):
    from subsidies.services import payout_run_approve, payout_run_review

    payout_run_review(run=started_run, actor=finance_officer)
    return payout_run_approve(run=started_run, actor=second_officer)


def line_of(run, company):
    return run.lines.get(company=company)

