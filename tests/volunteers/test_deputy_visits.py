"""Deputies visit their district at least monthly; each visit's report is due by the 10th of the next
month, and a late one is flagged (filed late, or still missing after the 10th)."""
import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from marketplace.roles import Role
from tests.volunteers.conftest import person
from volunteers import selectors, services
from volunteers.errors import VisitInvalid
from volunteers.models import Identity

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def deputy(policy):
    return person("deputy@example.com", "赵", "代表", Role.VOLUNTEER, identities=[Identity.PEOPLES_CONGRESS_DEPUTY])


def record(deputy, region, day):
    return services.district_visit_record(volunteer=deputy, region=region, visited_on=day, hours="2.00",
                                          summary="收集群众意见", actor=deputy.user)


def file(visit, when):
    with time_machine.travel(when, tick=False):
        return services.district_visit_report_file(visit=visit, actor=visit.deputy.user, report="反映路灯不亮等问题三条")


@pytest.mark.parametrize("visited, due", [
    (datetime.date(2026, 10, 15), datetime.date(2026, 11, 10)),
    (datetime.date(2026, 1, 31), datetime.date(2026, 2, 10)),
    (datetime.date(2025, 12, 3), datetime.date(2026, 1, 10)),
])
def test_report_is_due_on_the_tenth_of_the_next_month(deputy, town, frozen_now, visited, due):
    assert record(deputy, town, visited).report_due_on == due


def test_report_filed_on_the_tenth_is_on_time_and_on_the_eleventh_is_flagged_late(deputy, town, frozen_now):
    on_time = record(deputy, town, datetime.date(2026, 10, 15))
    late = record(deputy, town, datetime.date(2026, 10, 20))
    assert not file(on_time, local(2026, 11, 10, 23, 30)).report_late
    assert file(late, local(2026, 11, 11, 8, 0)).report_late
    flagged = list(selectors.district_visits_flagged(today=datetime.date(2026, 11, 23)))
    assert flagged == [late]


def test_a_report_still_missing_after_the_tenth_is_flagged_overdue(deputy, town, frozen_now):
    missing = record(deputy, town, datetime.date(2026, 10, 5))
    not_yet_due = record(deputy, town, datetime.date(2026, 11, 2))
    today = datetime.date(2026, 11, 23)
    assert missing.report_overdue(today=today) and missing.flagged(today=today)
    assert not not_yet_due.flagged(today=today)
    assert list(selectors.district_visits_flagged(today=today)) == [missing]


def test_centre_page_shows_late_reports_and_deputies_without_a_visit_last_month(client, deputy, town, agent, frozen_now):
    person("cppcc@example.com", "钱", "委员", Role.VOLUNTEER, identities=[Identity.CPPCC_MEMBER])
    visit = record(deputy, town, datetime.date(2026, 10, 20))
    file(visit, local(2026, 11, 12, 9, 0))
    client.force_login(agent)
    page = client.get("/centre/volunteers/visits/").content.decode()
    flagged = page[page.index('id="flagged"'):page.index('id="missing"')]
    assert "赵代表" in flagged and "filed late (2026-11-12)" in flagged
    missing = page[page.index('id="missing"'):]
    assert "钱委员" in missing and "赵代表" not in missing  # 赵代表 visited in October


def test_deputy_files_the_report_on_the_page_and_is_told_it_is_late(client, deputy, town, frozen_now):
    visit = record(deputy, town, datetime.date(2026, 10, 1))
    client.force_login(deputy.user)
    response = client.post(f"/volunteers/visits/{visit.pk}/report/", {"report": "路灯不亮"}, follow=True)
    assert "it is flagged late" in response.content.decode()
    visit.refresh_from_db()
    assert visit.report_late and visit.report == "路灯不亮"


def test_a_report_is_filed_once(deputy, town, frozen_now):
    visit = record(deputy, town, datetime.date(2026, 11, 1))
    file(visit, local(2026, 11, 20, 9, 0))
    with pytest.raises(VisitInvalid, match="was filed on 2026-11-20"):
        file(visit, local(2026, 11, 21, 9, 0))


def test_only_deputies_record_district_visits(town, frozen_now, policy):
    member = person("plain@example.com", "孙", "平", Role.VOLUNTEER, identities=[Identity.PARTY_MEMBER])
    with pytest.raises(VisitInvalid, match="for party deputies"):
        record(member, town, datetime.date(2026, 11, 1))


def test_a_visit_in_the_future_is_refused(deputy, town, frozen_now):
    from volunteers.errors import HoursInvalid

    with pytest.raises(HoursInvalid, match="in the future"):
        record(deputy, town, datetime.date(2026, 11, 24))
