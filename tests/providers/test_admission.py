"""The admission pipeline: every move, every refused move, the quota, and the history rows."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from marketplace.models import CategoryQuota
from providers.errors import (
    AgreementInvalid,
    ApplicationInvalid,
    IllegalTransition,
    QuotaFull,
)
from providers.models import Company, CompanyStatusChange
from providers.models import CompanyStatus as S
from providers.services import (
    TRANSITIONS,
    allowed_moves,
    company_contract,
    company_transition,
)
from tests.conftest import AGREEMENT_FIELDS, application_fields, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def move(company, to, admin, reason="理由"):
    return company_transition(company=company, to_status=to, actor=admin, reason=reason)


def test_application_creates_an_applied_company_with_its_staff_user(apply_company):
    company = apply_company(1)
    assert company.status == S.APPLIED
    staff = company.partner.users.get()
    assert staff.groups.filter(name="company_staff").exists()
    assert list(company.status_changes.values_list("from_status", "to_status")) == [("", S.APPLIED)]


def test_application_with_a_bad_credit_code_checksum_is_refused_and_creates_nothing(town, category, policy):
    fields = application_fields(1, town)
    fields["credit_code"] = fields["credit_code"][:-1] + ("0" if fields["credit_code"][-1] != "0" else "1")
    with pytest.raises(ValidationError) as refused:
        from providers.services import company_apply

        company_apply(applicant=make_user("x@example.com"), fields=fields, categories=[category])
    assert "credit_code" in refused.value.message_dict
    assert not Company.objects.exists()


def test_second_application_with_the_same_credit_code_is_refused(apply_company):
    apply_company(1)
    with pytest.raises(ApplicationInvalid):
        apply_company(1, user=make_user("second@example.com"))
    assert Company.objects.count() == 1


def test_full_pipeline_writes_one_history_row_per_move(apply_company, administrator):
    company = apply_company()
    move(company, S.UNDER_INSPECTION, administrator)
    move(company, S.APPROVED, administrator)
    company_contract(company=company, actor=administrator, agreement_fields=dict(AGREEMENT_FIELDS))
    company.refresh_from_db()
    move(company, S.SUSPENDED, administrator, "服务不规范")
    move(company, S.CONTRACTED, administrator, "整改完成")
    move(company, S.REMOVED, administrator, "三次投诉成立")
    rows = list(company.status_changes.values_list("from_status", "to_status", "reason"))
    assert [r[:2] for r in rows] == [
        ("", S.APPLIED), (S.APPLIED, S.UNDER_INSPECTION), (S.UNDER_INSPECTION, S.APPROVED),
        (S.APPROVED, S.CONTRACTED), (S.CONTRACTED, S.SUSPENDED), (S.SUSPENDED, S.CONTRACTED), (S.CONTRACTED, S.REMOVED),
    ]
    assert rows[-1][2] == "三次投诉成立"
    assert all(row.actor == administrator for row in company.status_changes.all()[1:])


@pytest.mark.parametrize("start", [s for s in S.values])
def test_every_move_outside_the_table_is_refused(start, apply_company, administrator):
    company = apply_company()
    Company.objects.filter(pk=company.pk).update(status=start)
    company.refresh_from_db()
    for target in S.values:
        if (start, target) in TRANSITIONS:
            continue
        before = CompanyStatusChange.objects.count()
        with pytest.raises(IllegalTransition):
            move(company, target, administrator)
        company.refresh_from_db()
        assert company.status == start
        assert CompanyStatusChange.objects.count() == before


def test_allowed_moves_follow_the_table(apply_company):
    company = apply_company()
    assert {to for to, _label in allowed_moves(company=company)} == {S.UNDER_INSPECTION, S.REJECTED}


def test_suspension_needs_a_reason(contract_company, administrator):
    company = contract_company()
    with pytest.raises(IllegalTransition, match="reason"):
        move(company, S.SUSPENDED, administrator, reason=" ")
    company.refresh_from_db()
    assert company.status == S.CONTRACTED


def test_contracting_without_an_agreement_in_force_is_refused(apply_company, administrator):
    company = apply_company()
    move(company, S.UNDER_INSPECTION, administrator)
    move(company, S.APPROVED, administrator)
    with pytest.raises(AgreementInvalid):
        move(company, S.CONTRACTED, administrator)
    fields = dict(AGREEMENT_FIELDS, term_start=datetime.date(2027, 1, 1), term_end=datetime.date(2027, 12, 31))
    with pytest.raises(AgreementInvalid):
        company_contract(company=company, actor=administrator, agreement_fields=fields)
    company.refresh_from_db()
    assert company.status == S.APPROVED and not company.agreements.exists()


def test_approval_beyond_the_category_quota_is_refused_with_the_numbers(apply_company, administrator, policy, category):
    CategoryQuota.objects.create(policy=policy, category=category, max_companies=2)
    companies = [apply_company() for _ in range(3)]
    for company in companies:
        move(company, S.UNDER_INSPECTION, administrator)
    move(companies[0], S.APPROVED, administrator)
    move(companies[1], S.APPROVED, administrator)
    with pytest.raises(QuotaFull) as refused:
        move(companies[2], S.APPROVED, administrator)
    assert "2" in str(refused.value) and category.name in str(refused.value)
    companies[2].refresh_from_db()
    assert companies[2].status == S.UNDER_INSPECTION


def test_a_removed_company_frees_its_place_in_the_quota(contract_company, apply_company, administrator, policy, category):
    CategoryQuota.objects.create(policy=policy, category=category, max_companies=1)
    first = contract_company()
    waiting = apply_company()
    move(waiting, S.UNDER_INSPECTION, administrator)
    with pytest.raises(QuotaFull):
        move(waiting, S.APPROVED, administrator)
    move(first, S.REMOVED, administrator, "解约")
    assert move(waiting, S.APPROVED, administrator).status == S.APPROVED


def test_reinstating_a_removed_company_also_needs_room_in_the_quota(contract_company, administrator, policy, category):
    CategoryQuota.objects.create(policy=policy, category=category, max_companies=1)
    first = contract_company()
    move(first, S.REMOVED, administrator, "解约")
    contract_company()
    with pytest.raises(QuotaFull):
        move(first, S.CONTRACTED, administrator, "申诉成立")


def test_renewal_is_a_new_agreement_naming_the_old_one(contract_company, administrator):
    company = contract_company()
    old = company.agreements.get()
    fields = dict(AGREEMENT_FIELDS, term_start=datetime.date(2027, 1, 1), term_end=datetime.date(2027, 12, 31),
                  signed_on=datetime.date(2026, 11, 23))
    renewal = company_contract(company=company, actor=administrator, agreement_fields=fields)
    assert renewal.renews == old
    overlapping = dict(fields, term_start=datetime.date(2027, 6, 1), term_end=datetime.date(2028, 5, 31))
    with pytest.raises(AgreementInvalid):
        company_contract(company=company, actor=administrator, agreement_fields=overlapping)
    assert company.agreements.count() == 2


def test_agreement_records_the_fee_schedule_at_signing(apply_company, administrator, item, guide_price):
    from pricing.services import contract_price_set

    company = apply_company()
    move(company, S.UNDER_INSPECTION, administrator)
    move(company, S.APPROVED, administrator)
    contract_price_set(partner=company.partner, product=item, price="80.00", actor=administrator, reason="报价")
    agreement = company_contract(company=company, actor=administrator, agreement_fields=dict(AGREEMENT_FIELDS))
    assert agreement.fee_schedule == {str(item.pk): "80.00"}
