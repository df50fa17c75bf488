"""Given the hand-computed 2026 of conftest.py, when a finance officer starts the run, then every line
matches to the fen and shows its inputs and the reason for the reward decision."""
from decimal import Decimal as D

import pytest

from subsidies.models import Eligibility

from .conftest import line_of

pytestmark = [pytest.mark.django_db]


def test_company_exactly_at_the_target_gets_the_reward_with_a_refund_netted(started_run, fiscal_year):
    line = line_of(started_run, fiscal_year["at_target"])
    assert (line.volume, line.job_count) == (D("228.86"), 4)
    assert (line.satisfied_jobs, line.judged_jobs, line.satisfaction) == (3, 4, D("0.7500"))
    assert line.eligibility == Eligibility.ELIGIBLE and line.eligible_for_reward
    assert (line.subsidy, line.reward, line.total) == (D("22.89"), D("11.44"), D("34.33"))


def test_company_just_below_the_target_who_joined_mid_year_gets_the_subsidy_only(started_run, fiscal_year):
    line = line_of(started_run, fiscal_year["below"])
    assert (line.volume, line.job_count, line.satisfied_jobs, line.judged_jobs) == (D("75.05"), 3, 2, 3)
    assert line.eligibility == Eligibility.BELOW_TARGET
    assert (line.subsidy, line.reward, line.total) == (D("7.51"), D("0.00"), D("7.51"))  # 7.505 rounds half-up


def test_company_removed_for_complaints_gets_no_reward_despite_full_satisfaction(started_run, fiscal_year):
    line = line_of(started_run, fiscal_year["removed"])
    assert (line.volume, line.satisfied_jobs, line.judged_jobs) == (D("141.15"), 2, 2)
    assert line.removed_for_complaints and line.upheld_complaints == 1
    assert line.eligibility == Eligibility.REMOVED
    assert (line.subsidy, line.reward, line.total) == (D("14.12"), D("0.00"), D("14.12"))


def test_company_with_no_volume_has_a_zero_line(started_run, fiscal_year):
    line = line_of(started_run, fiscal_year["zero"])
    assert (line.volume, line.job_count, line.judged_jobs, line.satisfaction) == (D("0.00"), 0, 0, None)
    assert line.eligibility == Eligibility.NOT_JUDGED
    assert line.total == D("0.00")


def test_run_totals_and_policy_snapshot(started_run):
    assert started_run.line_count == 4
    assert started_run.total_volume == D("445.06")
    assert (started_run.total_subsidy, started_run.total_reward, started_run.total_amount) == (D("44.52"), D("11.44"), D("55.96"))
    assert (started_run.subsidy_rate, started_run.reward_rate, started_run.satisfaction_target) == (D("0.1000"), D("0.0500"), D("0.7500"))
