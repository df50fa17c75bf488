"""Complaints move received → under review → upheld | rejected, with history; the company sees and
answers them; the resident may reopen within 30 days of the decision; an overcharge complaint shows
the final price beside the contracted and guide prices."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.errors import NotYours
from marketplace.models import RequestStatus as R
from ratings import errors
from ratings.models import Complaint, ComplaintStatus
from ratings.selectors import price_comparison
from ratings.services import (
    complaint_decide,
    complaint_file,
    complaint_reopen,
    complaint_respond,
    complaint_review_start,
)
from tests.ratings.conftest import SHANGHAI

pytestmark = [pytest.mark.django_db]


def test_resident_files_with_evidence_and_the_company_responds(job, companies, resident, staff):
    photo = SimpleUploadedFile("receipt.jpg", b"\xff\xd8\xff fake jpeg", content_type="image/jpeg")
    complaint = complaint_file(request=job(), filed_by=resident, category="damage", description="打碎了花瓶",
                               evidence_text="有照片", evidence_file=photo)
    assert complaint.channel == Complaint.Channel.WEB and complaint.company == companies[0]
    assert complaint.evidence_file.name.endswith(".jpg")
    with pytest.raises(NotYours):
        complaint_respond(complaint=complaint, company=companies[1], actor=staff[1], response="不是我们")
    complaint_respond(complaint=complaint, company=companies[0], actor=staff[0], response="愿意照价赔偿")
    complaint.refresh_from_db()
    assert complaint.company_response == "愿意照价赔偿" and complaint.company_responded_by == staff[0]


def test_an_agent_files_a_complaint_taken_on_the_phone(job, resident, agent):
    complaint = complaint_file(request=job(), filed_by=agent, category="late", description="迟到两小时")
    assert complaint.channel == Complaint.Channel.HOTLINE and complaint.resident == resident


def test_nobody_else_may_file_about_a_residents_job(job, other_resident, staff):
    done = job()
    for stranger in (other_resident, staff[1]):
        with pytest.raises(NotYours):
            complaint_file(request=done, filed_by=stranger, category="late", description="x")


def test_a_request_no_company_served_has_nobody_to_complain_about(companies, raise_request, resident):
    waiting = raise_request()
    with pytest.raises(errors.ComplaintInvalid) as refused:
        complaint_file(request=waiting, filed_by=resident, category="no_show", description="没人来")
    assert refused.value.code == "no_company"


def test_a_no_show_on_an_accepted_job_can_be_complained_about(job, resident):
    complaint = complaint_file(request=job(until=R.ACCEPTED), filed_by=resident, category="no_show", description="没人来")
    assert complaint.status == ComplaintStatus.RECEIVED


@pytest.mark.parametrize("kind, description, code", [("rude", "x", "category_invalid"), ("late", "  ", "description_missing")])
def test_bad_complaints_are_refused_and_nothing_is_saved(job, resident, kind, description, code):
    with pytest.raises(errors.ComplaintInvalid) as refused:
        complaint_file(request=job(), filed_by=resident, category=kind, description=description)
    assert refused.value.code == code
    assert not Complaint.objects.exists()


def test_a_decision_needs_a_review_first_and_a_reason(job, resident, agent):
    complaint = complaint_file(request=job(), filed_by=resident, category="quality", description="没擦窗")
    with pytest.raises(errors.ComplaintIllegalTransition):
        complaint_decide(complaint=complaint, agent=agent, upheld=True, reason="属实")
    complaint_review_start(complaint=complaint, agent=agent)
    with pytest.raises(errors.ComplaintInvalid) as refused:
        complaint_decide(complaint=complaint, agent=agent, upheld=True, reason=" ")
    assert refused.value.code == "reason_required"
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.UNDER_REVIEW and complaint.upheld_at is None


def test_the_company_cannot_change_its_response_after_the_decision(job, companies, resident, agent, staff):
    complaint = complaint_file(request=job(), filed_by=resident, category="quality", description="没擦窗")
    complaint_review_start(complaint=complaint, agent=agent)
    complaint_decide(complaint=complaint, agent=agent, upheld=False, reason="已擦")
    with pytest.raises(errors.ComplaintInvalid):
        complaint_respond(complaint=complaint, company=companies[0], actor=staff[0], response="我们擦了")


def test_resident_may_reopen_on_day_thirty_but_not_day_thirty_one(job, resident, agent, frozen_now):
    complaint = complaint_file(request=job(), filed_by=resident, category="quality", description="漏水")
    complaint_review_start(complaint=complaint, agent=agent)
    complaint_decide(complaint=complaint, agent=agent, upheld=True, reason="属实，已返修")  # 2026-11-23 local
    frozen_now.move_to(datetime.datetime(2026, 12, 23, 23, 59, tzinfo=SHANGHAI))  # day 30
    complaint_reopen(complaint=complaint, resident=resident, reason="又漏了")
    assert complaint.status == ComplaintStatus.REOPENED
    complaint_review_start(complaint=complaint, agent=agent)
    complaint_decide(complaint=complaint, agent=agent, upheld=True, reason="再次返修")  # decided 2026-12-23
    frozen_now.move_to(datetime.datetime(2027, 1, 23, 0, 0, tzinfo=SHANGHAI))  # day 31
    with pytest.raises(errors.ComplaintInvalid) as refused:
        complaint_reopen(complaint=complaint, resident=resident, reason="还是漏")
    assert refused.value.code == "reopen_window_over" and "2027-01-22" in str(refused.value)


def test_only_the_resident_may_reopen_and_only_a_decided_complaint(job, resident, other_resident, agent):
    complaint = complaint_file(request=job(), filed_by=resident, category="quality", description="漏水")
    with pytest.raises(errors.ComplaintIllegalTransition):
        complaint_reopen(complaint=complaint, resident=resident, reason="?")
    complaint_review_start(complaint=complaint, agent=agent)
    complaint_decide(complaint=complaint, agent=agent, upheld=False, reason="不属实")
    with pytest.raises(NotYours):
        complaint_reopen(complaint=complaint, resident=other_resident, reason="?")


def test_overcharge_shows_final_beside_contracted_and_guide_price(job, resident):
    complaint = complaint_file(request=job(final_price="80.00"), filed_by=resident, category="overcharge",
                               description="收费太高")
    prices = price_comparison(complaint=complaint)
    assert {k: str(v) for k, v in prices.items()} == {
        "final_price": "80.00", "contract_price": "80.00", "guide_price": "85.00", "market_price": "100.00"}
