"""``manage.py demo_subsidy_year`` on a database without the demo city stops with a clear message and
writes nothing."""
import pytest
from django.core.management import CommandError, call_command

from providers.models import Agreement

pytestmark = [pytest.mark.django_db]


def test_without_the_demo_city_it_says_what_to_do_first():
    with pytest.raises(CommandError, match="load_demo_city"):
        call_command("demo_subsidy_year")
    assert not Agreement.objects.exists()
