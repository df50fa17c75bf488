"""Two administrators approving two companies for the last place in a category at the same moment:
exactly one approval wins; the other is refused because the quota is full."""
import pytest

from marketplace.models import CategoryQuota
from providers.errors import QuotaFull
from providers.models import Company
from providers.models import CompanyStatus as S
from providers.services import company_transition
from tests.conftest import make_user, requires_postgres, run_at_once

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("frozen_now")]


def test_simultaneous_approvals_cannot_both_take_the_last_place(apply_company, administrator, policy, category):
    CategoryQuota.objects.create(policy=policy, category=category, max_companies=1)
    first, second = apply_company(), apply_company()
    for company in (first, second):
        company_transition(company=company, to_status=S.UNDER_INSPECTION, actor=administrator)
    other_admin = make_user("admin2@example.com", "administrator", is_staff=True)

    results = run_at_once(
        lambda: company_transition(company=first, to_status=S.APPROVED, actor=administrator),
        lambda: company_transition(company=second, to_status=S.APPROVED, actor=other_admin),
    )

    winners = [r for r in results if isinstance(r, Company)]
    refusals = [r for r in results if isinstance(r, QuotaFull)]
    assert len(winners) == 1 and len(refusals) == 1, results
    assert Company.objects.filter(status=S.APPROVED).count() == 1
