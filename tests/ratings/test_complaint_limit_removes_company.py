"""Enforcement: the third upheld complaint in a contract year removes the company (解约); rejected ones
never count; the count restarts with the next contract year; an administrator may reinstate on appeal."""
import datetime

import pytest
from oscar.core.loading import get_model

from marketplace.models import RequestStatus as R
from matching.models import Offer
from matching.services import requests_assign_waiting
from providers.models import CompanyStatus, CompanyStatusChange
from providers.services import company_contract
from ratings import errors
from ratings.models import ComplaintStatus, Removal
from ratings.selectors import upheld_complaints_in_term
from ratings.services import (
    company_reinstate,
    complaint_decide,
    complaint_file,
    complaint_reopen,
    complaint_review_start,
)
from tests.conftest import AGREEMENT_FIELDS
from tests.ratings.conftest import offer_to

pytestmark = [pytest.mark.django_db]
Notification = get_model("communication", "Notification")


def complaint_about(job, resident, category="quality"):
    return complaint_file(request=job, filed_by=resident, category=category, description="打扫不干净")


def decide(complaint, agent, upheld=True):
    complaint_review_start(complaint=complaint, agent=agent)
    return complaint_decide(complaint=complaint, agent=agent, upheld=upheld,
                            reason="核实属实" if upheld else "经核实不属实")


def test_two_upheld_complaints_keep_the_company(job, companies, resident, agent):
    for _ in range(2):
        decide(complaint_about(job(), resident), agent)
    companies[0].refresh_from_db()
    assert companies[0].status == CompanyStatus.CONTRACTED
    assert not Removal.objects.exists()


def test_third_upheld_complaint_removes_the_company_and_rematches_its_work(job, companies, resident, agent, raise_request):
    company = companies[0]
    finished = [job() for _ in range(3)]
    active = job(until=R.ACCEPTED)
    on_the_way = job(until=R.ON_THE_WAY)
    in_service = job(until=R.IN_SERVICE)
    waiting = raise_request()
    open_offer = offer_to(waiting, company)
    complaints = [complaint_about(j, resident) for j in finished]
    decide(complaints[0], agent)
    decide(complaints[1], agent)

    decide(complaints[2], agent)

    company.refresh_from_db()
    assert company.status == CompanyStatus.REMOVED
    change = CompanyStatusChange.objects.filter(company=company, to_status=CompanyStatus.REMOVED).get()
    assert change.actor == agent
    for complaint in complaints:
        assert f"#{complaint.pk}" in change.reason
    assert "2026-01-01" in change.reason and "2026-12-31" in change.reason
    removal = Removal.objects.get(company=company)
    assert set(removal.complaints.all()) == set(complaints)
    assert removal.status_change == change
    assert (removal.jobs_rematched, removal.offers_withdrawn) == (2, 1)
    # Its open offer is withdrawn and the request looks for another company.
    open_offer.refresh_from_db()
    assert open_offer.status == Offer.Status.WITHDRAWN
    # Accepted and on-the-way jobs go back to matching without the company; in-service stays to finish.
    for request in (active, on_the_way, waiting):
        request.refresh_from_db()
        assert request.status == R.MATCHING and request.company is None
    in_service.refresh_from_db()
    assert in_service.status == R.IN_SERVICE and in_service.company == company
    requests_assign_waiting()
    for request in (active, on_the_way, waiting):
        offer = Offer.objects.get(request=request, status=Offer.Status.PENDING)
        assert offer.company != company
    # Company and centre are told.
    staff = company.partner.users.first()
    assert Notification.objects.filter(recipient=staff, subject__contains="removed").exists()
    assert Notification.objects.filter(recipient=agent, subject__contains="removed").exists()


def test_rejected_complaints_never_count(job, companies, resident, agent):
    for _ in range(3):
        decide(complaint_about(job(), resident), agent, upheld=False)
    decide(complaint_about(job(), resident), agent)
    decide(complaint_about(job(), resident), agent)
    companies[0].refresh_from_db()
    assert companies[0].status == CompanyStatus.CONTRACTED
    decide(complaint_about(job(), resident), agent)
    companies[0].refresh_from_db()
    assert companies[0].status == CompanyStatus.REMOVED


def test_a_complaint_rejected_on_review_again_stops_counting(job, companies, resident, agent):
    first = decide(complaint_about(job(), resident), agent)
    decide(complaint_about(job(), resident), agent)
    complaint_reopen(complaint=first, resident=resident, reason="公司说修好了，其实没修好")
    decide(first, agent, upheld=False)
    assert upheld_complaints_in_term(agreement=companies[0].agreements.get()).count() == 1
    decide(complaint_about(job(), resident), agent)
    companies[0].refresh_from_db()
    assert companies[0].status == CompanyStatus.CONTRACTED


def test_re_upholding_a_reopened_complaint_does_not_count_it_twice(job, companies, resident, agent):
    first = decide(complaint_about(job(), resident), agent)
    decide(complaint_about(job(), resident), agent)
    complaint_reopen(complaint=first, resident=resident, reason="又坏了")
    decide(first, agent)
    companies[0].refresh_from_db()
    assert companies[0].status == CompanyStatus.CONTRACTED
    assert upheld_complaints_in_term(agreement=companies[0].agreements.get()).count() == 2


def test_the_count_restarts_with_the_next_contract_year(job, companies, resident, agent, administrator, frozen_now, policy_2027):
    company = companies[0]
    jobs = [job() for _ in range(3)]
    decide(complaint_about(jobs[0], resident), agent)
    decide(complaint_about(jobs[1], resident), agent)
    late = complaint_about(jobs[2], resident)
    company_contract(company=company, actor=administrator, agreement_fields=dict(
        AGREEMENT_FIELDS, term_start=datetime.date(2027, 1, 1), term_end=datetime.date(2027, 12, 31),
        signed_on=datetime.date(2026, 12, 1)))
    frozen_now.move_to(datetime.datetime(2027, 1, 5, 9, 0))

    decide(late, agent)

    company.refresh_from_db()
    assert company.status == CompanyStatus.CONTRACTED
    late.refresh_from_db()
    assert late.counted_agreement.term_start == datetime.date(2027, 1, 1)


def test_the_limit_comes_from_the_policy_of_the_contract_year(job, companies, resident, agent, policy):
    policy.complaint_limit = 2
    policy.save()
    decide(complaint_about(job(), resident), agent)
    decide(complaint_about(job(), resident), agent)
    companies[0].refresh_from_db()
    assert companies[0].status == CompanyStatus.REMOVED


def test_administrator_reinstates_on_appeal_with_a_reason(job, companies, resident, agent, administrator):
    for _ in range(3):
        decide(complaint_about(job(), resident), agent)
    removal = Removal.objects.get()
    with pytest.raises(errors.ReinstatementInvalid):
        company_reinstate(removal=removal, actor=administrator, reason="  ")

    company_reinstate(removal=removal, actor=administrator, reason="申诉成立：第三次投诉系误会")

    company = companies[0]
    company.refresh_from_db()
    assert company.status == CompanyStatus.CONTRACTED
    removal.refresh_from_db()
    assert removal.reinstated_by == administrator and "误会" in removal.reinstatement_reason
    last = CompanyStatusChange.objects.filter(company=company).last()
    assert last.to_status == CompanyStatus.CONTRACTED and "误会" in last.reason
    with pytest.raises(errors.ReinstatementInvalid):
        company_reinstate(removal=removal, actor=administrator, reason="again")


def test_complaint_history_records_every_move(job, resident, agent):
    complaint = decide(complaint_about(job(), resident), agent, upheld=False)
    moves = [(c.from_status, c.to_status) for c in complaint.status_changes.all()]
    assert moves == [("", ComplaintStatus.RECEIVED), (ComplaintStatus.RECEIVED, ComplaintStatus.UNDER_REVIEW),
                     (ComplaintStatus.UNDER_REVIEW, ComplaintStatus.REJECTED)]
    assert complaint.status_changes.last().reason == "经核实不属实"
