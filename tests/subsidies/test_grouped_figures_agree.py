"""The run's grouped queries and the per-company definitions give the same figures (volume from
marketplace.payments.selectors.company_paid_volume, satisfaction from ratings.selectors.satisfaction_tally
and its grouped twin ratings.selectors.satisfaction_tallies_by_company)."""
import datetime

import pytest

from ratings.selectors import (
    SatisfactionTally,
    satisfaction_tallies_by_company,
    satisfaction_tally,
)
from subsidies import selectors

pytestmark = [pytest.mark.django_db]


def test_grouped_inputs_equal_the_per_company_definitions(fiscal_year, after_year_end):
    grouped = {inputs.company_id: inputs for inputs in selectors.line_inputs_by_company(year=2026)}
    for key in ("at_target", "below", "removed", "zero"):
        company = fiscal_year[key]
        assert grouped[company.pk] == selectors.company_line_inputs(company=company, year=2026)


def test_grouped_satisfaction_in_ratings_equals_the_per_company_tally(fiscal_year, after_year_end):
    first, last = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    tallies = satisfaction_tallies_by_company(start=first, end=last)
    for key in ("at_target", "below", "removed", "zero"):
        company = fiscal_year[key]
        expected = satisfaction_tally(company=company, start=first, end=last)
        assert tallies.get(company.pk, SatisfactionTally(satisfied=0, judged=0)) == expected
    assert tallies[fiscal_year["at_target"].pk] == SatisfactionTally(satisfied=3, judged=4)
    # A period without the jobs has no tallies at all.
    assert satisfaction_tallies_by_company(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31)) == {}


def test_a_query_count_independent_of_the_number_of_companies(fiscal_year, after_year_end, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        selectors.line_inputs_by_company(year=2026)
