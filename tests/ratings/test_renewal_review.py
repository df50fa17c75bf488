"""Sixty days before an agreement ends it goes on the renewal list with satisfaction for the term vs
the target, upheld complaints and jobs; below target → recommended not to renew; the administrator
decides and the decision is recorded."""
import datetime
from decimal import Decimal

import pytest

from ratings import errors
from ratings.models import RenewalReview
from ratings.services import (
    complaint_decide,
    complaint_file,
    complaint_review_start,
    renewal_decide,
    renewals_enqueue,
)
from tests.ratings.helpers import call_back, rate

pytestmark = [pytest.mark.django_db]
TERM_END = datetime.date(2026, 12, 31)


def test_agreement_is_listed_sixty_days_before_it_ends_and_only_once(companies):
    assert renewals_enqueue(today=TERM_END - datetime.timedelta(days=61)) == 0
    assert renewals_enqueue(today=TERM_END - datetime.timedelta(days=60)) == 3
    assert renewals_enqueue(today=TERM_END - datetime.timedelta(days=59)) == 0
    assert RenewalReview.objects.get(company=companies[0]).listed_on == datetime.date(2026, 11, 1)


def test_recommendation_follows_satisfaction_against_the_target(job, companies, policy, agent, resident):
    policy.satisfaction_target = Decimal("0.7500")
    policy.save()
    first = [job(companies[0]) for _ in range(4)]
    for done, stars in zip(first, (5, 4, 5, 2), strict=True):
        rate(done, stars)  # 3 of 4 = 75%: exactly the target
    second = [job(companies[1]) for _ in range(3)]
    rate(second[0], 5)
    rate(second[1], 5)
    call_back(second[2], agent, "dissatisfied")  # 2 of 3 < 75%
    complaint = complaint_file(request=first[3], filed_by=resident, category="quality", description="差")
    complaint_review_start(complaint=complaint, agent=agent)
    complaint_decide(complaint=complaint, agent=agent, upheld=True, reason="属实")

    renewals_enqueue(today=datetime.date(2026, 11, 23))

    met = RenewalReview.objects.get(company=companies[0])
    assert (met.satisfied_jobs, met.judged_jobs, met.satisfaction, met.meets_target) == (3, 4, Decimal("0.7500"), True)
    assert (met.upheld_complaints, met.jobs_completed, met.recommendation) == (1, 4, "renew")
    below = RenewalReview.objects.get(company=companies[1])
    assert (below.satisfaction, below.meets_target, below.recommendation) == (Decimal("0.6667"), False, "do_not_renew")
    no_data = RenewalReview.objects.get(company=companies[2])
    assert (no_data.satisfaction, no_data.recommendation) == (None, "do_not_renew")


def test_administrator_records_the_decision_with_a_reason_once(companies, administrator):
    renewals_enqueue(today=datetime.date(2026, 11, 23))
    review = RenewalReview.objects.get(company=companies[0])
    with pytest.raises(errors.RenewalInvalid):
        renewal_decide(review=review, actor=administrator, decision="renew", reason="")
    renewal_decide(review=review, actor=administrator, decision="do_not_renew", reason="满意率不达标")
    review.refresh_from_db()
    assert (review.decision, review.decided_by, review.decision_reason) == ("do_not_renew", administrator, "满意率不达标")
    with pytest.raises(errors.RenewalInvalid):
        renewal_decide(review=review, actor=administrator, decision="renew", reason="改主意")


def test_a_renewed_agreement_is_not_listed(companies, administrator):
    from providers.services import company_contract
    from tests.conftest import AGREEMENT_FIELDS

    company_contract(company=companies[0], actor=administrator, agreement_fields=dict(
        AGREEMENT_FIELDS, term_start=datetime.date(2027, 1, 1), term_end=datetime.date(2027, 12, 31),
        signed_on=datetime.date(2026, 11, 20)))
    assert renewals_enqueue(today=datetime.date(2026, 11, 23)) == 2
    assert not RenewalReview.objects.filter(company=companies[0]).exists()
