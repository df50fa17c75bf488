"""Review, then approval by a different finance officer; approved runs never change; recomputing a
draft is idempotent; the ledger takes adjustments with a reason."""
from decimal import Decimal as D

import pytest

from subsidies import services
from subsidies.errors import AdjustmentInvalid, RunInvalid, RunNotEditable, SameOfficer
from subsidies.models import LedgerKind, PayoutLine, RunStatus, SubsidyLedgerEntry

from .conftest import line_of

pytestmark = [pytest.mark.django_db]


def test_the_officer_who_started_a_run_cannot_approve_it_and_a_second_one_can(started_run, finance_officer, second_officer):
    services.payout_run_review(run=started_run, actor=finance_officer)

    with pytest.raises(SameOfficer):
        services.payout_run_approve(run=started_run, actor=finance_officer)
    started_run.refresh_from_db()
    assert started_run.status == RunStatus.REVIEWED and started_run.approved_by is None

    services.payout_run_approve(run=started_run, actor=second_officer)
    started_run.refresh_from_db()
    assert started_run.status == RunStatus.APPROVED and started_run.approved_by == second_officer
    assert SubsidyLedgerEntry.objects.filter(run=started_run, kind=LedgerKind.ACCRUAL).count() == 4
    assert [c.to_status for c in started_run.status_changes.all()] == ["draft", "reviewed", "approved"]


def test_a_draft_cannot_be_approved_before_review_and_a_second_run_for_the_year_is_refused(started_run, finance_officer,
                                                                                          second_officer):
    with pytest.raises(RunNotEditable):
        services.payout_run_approve(run=started_run, actor=second_officer)
    with pytest.raises(RunInvalid):
        services.payout_run_start(year=2026, actor=second_officer)


def test_recomputing_a_draft_is_idempotent_and_picks_up_new_records(started_run, finance_officer, fiscal_year,
                                                                   administrator):
    before = list(PayoutLine.objects.filter(run=started_run).order_by("pk").values())

    assert services.payout_run_recompute(run=started_run, actor=finance_officer) == {"created": 0, "changed": 0, "removed": 0}
    assert list(PayoutLine.objects.filter(run=started_run).order_by("pk").values()) == before


def test_changing_the_past_policy_after_approval_does_not_change_the_run(approved_run, policy, fiscal_year, finance_officer):
    policy.subsidy_rate, policy.reward_rate, policy.satisfaction_target = D("0.2000"), D("0.1000"), D("0.5000")
    policy.save()

    with pytest.raises(RunNotEditable):
        services.payout_run_recompute(run=approved_run, actor=finance_officer)
    approved_run.refresh_from_db()
    line = line_of(approved_run, fiscal_year["at_target"])
    assert (approved_run.subsidy_rate, approved_run.total_amount) == (D("0.1000"), D("55.96"))
    assert (line.subsidy, line.reward, line.total) == (D("22.89"), D("11.44"), D("34.33"))


def test_a_correction_after_approval_is_an_adjusting_ledger_entry_with_a_reason(approved_run, fiscal_year, second_officer):
    line = line_of(approved_run, fiscal_year["below"])

    with pytest.raises(AdjustmentInvalid):
        services.payout_line_adjust(line=line, amount="-1.00", reason="", actor=second_officer)
    with pytest.raises(AdjustmentInvalid):
        services.payout_line_adjust(line=line, amount="-7.52", reason="多算", actor=second_officer)
    entry = services.payout_line_adjust(line=line, amount="-1.50", reason="12月退款漏记", actor=second_officer)

    from subsidies.selectors import line_due, line_owed
    assert (entry.line, entry.amount, entry.kind) == (line, D("-1.50"), LedgerKind.ADJUSTMENT)
    assert line_owed(line=line) == line_due(line=line) == D("6.01")
    line.refresh_from_db()
    assert line.total == D("7.51")  # the line itself never changes
    with pytest.raises(ValueError):
        entry.save()
