"""Two agents upholding the second and third complaint against one company at the same moment: the
company is removed all the same (neither decision counts blind to the other)."""
import pytest

from providers.models import CompanyStatus
from ratings.models import Complaint, Removal
from ratings.services import complaint_decide, complaint_file, complaint_review_start
from tests.conftest import make_user, requires_postgres, run_at_once

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("frozen_now")]


def test_simultaneous_second_and_third_upholds_remove_the_company(job, companies, resident, agent):
    complaints = [complaint_file(request=job(), filed_by=resident, category="late", description="迟到") for _ in range(3)]
    for complaint in complaints:
        complaint_review_start(complaint=complaint, agent=agent)
    complaint_decide(complaint=complaints[0], agent=agent, upheld=True, reason="属实")
    other_agent = make_user("agent2@example.com", "centre_agent", is_staff=True)

    results = run_at_once(
        lambda: complaint_decide(complaint=complaints[1], agent=agent, upheld=True, reason="属实"),
        lambda: complaint_decide(complaint=complaints[2], agent=other_agent, upheld=True, reason="属实"),
    )

    assert all(isinstance(r, Complaint) for r in results), results
    companies[0].refresh_from_db()
    assert companies[0].status == CompanyStatus.REMOVED
    assert Removal.objects.get().complaints.count() == 3
