"""The run's grouped queries and the per-company definitions give the same figures (volume from
marketplace.payments.selectors.company_paid_volume, satisfaction from ratings.selectors.satisfaction_tally)."""
import pytest

from subsidies import selectors

pytestmark = [pytest.mark.django_db]


def test_grouped_inputs_equal_the_per_company_definitions(fiscal_year, after_year_end):
    grouped = {inputs.company_id: inputs for inputs in selectors.line_inputs_by_company(year=2026)}
    for key in ("at_target", "below", "removed", "zero"):
        company = fiscal_year[key]
        assert grouped[company.pk] == selectors.company_line_inputs(company=company, year=2026)


def test_a_query_count_independent_of_the_number_of_companies(fiscal_year, after_year_end, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        selectors.line_inputs_by_company(year=2026)
