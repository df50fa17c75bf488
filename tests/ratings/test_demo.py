"""The demo plays the whole loop once: a rated, called-back, complained-about job and a monthly report."""
import pytest

from marketplace.models import RequestStatus as R
from ratings.demo import quality_loop_demo_run
from ratings.models import CallBack, ComplaintStatus, MonthlyReport

pytestmark = [pytest.mark.django_db]


def test_demo_runs_the_loop_once(companies, resident, agent):
    first = quality_loop_demo_run(resident=resident, agent=agent)
    assert first.created and first.request.status == R.CLOSED
    assert first.rating.overall == 4
    assert CallBack.objects.get(request=first.request).outcome == "basically_satisfied"
    assert first.request.complaints.get().status == ComplaintStatus.UPHELD
    assert MonthlyReport.objects.filter(company=first.request.company).exists()

    again = quality_loop_demo_run(resident=resident, agent=agent)
    assert not again.created and again.request == first.request
