"""The satisfaction rate, defined once: call-back answers and ratings, each job judged once (the
call-back answer wins), over jobs completed in the period; exactly at the target meets it."""
import datetime
from decimal import Decimal

import pytest

from marketplace.models import RequestStatus as R
from marketplace.services import request_cancel
from ratings.selectors import SatisfactionTally, satisfaction_rate, satisfaction_tally
from tests.ratings.conftest import SHANGHAI
from tests.ratings.helpers import call_back, rate

pytestmark = [pytest.mark.django_db]
DAY = datetime.date(2026, 11, 23)


def test_rate_equals_a_hand_count_with_the_tie_rules(job, companies, agent, raise_request, resident, frozen_now):
    company = companies[0]
    a, b, c, d, e, f, g = (job() for _ in range(7))
    rate(a, 5)  # rating only, 5★: satisfied
    rate(b, 3)  # rating only, 3★: not
    rate(c, 2)
    call_back(c, agent, "satisfied")  # both: the call-back wins → satisfied
    rate(d, 5)
    call_back(d, agent, "dissatisfied")  # both: the call-back wins → not
    call_back(e, agent, "basically_satisfied")  # call-back only: satisfied
    call_back(f, agent, None)  # never reached, no rating: left out
    rate(g, 4)
    call_back(g, agent, None)  # not reached: the 4★ rating decides → satisfied
    unjudged = job()  # neither: left out
    cancelled = raise_request()
    request_cancel(request=cancelled, actor=resident, reason="不需要了")
    call_back(cancelled, agent, "satisfied")  # cancelled requests are not jobs
    other = job(companies[1])
    rate(other, 1)  # another company's job
    frozen_now.move_to(datetime.datetime(2026, 11, 24, 9, 0))
    tomorrow = job()
    rate(tomorrow, 1)  # outside the period

    tally = satisfaction_tally(company=company, start=DAY, end=DAY)

    assert (tally.satisfied, tally.judged) == (4, 6)  # a, c, e, g of a, b, c, d, e, g
    assert satisfaction_rate(company=company, start=DAY, end=DAY) == Decimal(4) / Decimal(6)
    assert satisfaction_rate(company=company, start=DAY, end=DAY + datetime.timedelta(days=1)) == Decimal(4) / Decimal(7)
    assert unjudged.status == R.COMPLETED


def test_no_judged_job_gives_no_rate(job, companies):
    job()
    assert satisfaction_rate(company=companies[0], start=DAY, end=DAY) is None
    assert satisfaction_rate(company=companies[1], start=DAY, end=DAY) is None


def test_exactly_at_the_target_counts_as_met():
    target = Decimal("0.9000")
    assert SatisfactionTally(satisfied=9, judged=10).meets(target)
    assert not SatisfactionTally(satisfied=8, judged=9).meets(target)
    assert SatisfactionTally(satisfied=3, judged=4).meets(Decimal("0.7500"))
    assert not SatisfactionTally(satisfied=0, judged=0).meets(Decimal(0))


def test_the_period_is_in_local_days(job, companies, frozen_now):
    frozen_now.move_to(datetime.datetime(2026, 11, 23, 23, 59, tzinfo=SHANGHAI))  # 15:59 UTC
    late = job()
    rate(late, 5)
    assert satisfaction_rate(company=companies[0], start=DAY, end=DAY) == 1
    assert satisfaction_rate(company=companies[0], start=DAY + datetime.timedelta(days=1),
                             end=DAY + datetime.timedelta(days=1)) is None
