"""Reminders go to duty holders behind pace at set points of the year, once per person per point,
however often the periodic job runs."""
import datetime
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from marketplace.roles import Role
from tests.volunteers.conftest import person
from volunteers import services, tasks
from volunteers.models import DutyReminder, Identity

pytestmark = pytest.mark.django_db
Notification = get_model("communication", "Notification")


@pytest.fixture
def people(policy, town, agent):
    """Behind: a party member with 2 h; ahead: a CPPCC member with 6 h (25% of 20 = 5 h by 1 April);
    no duty: a youth volunteer with nothing."""
    behind = person("behind@example.com", "周", "落后", Role.VOLUNTEER, identities=[Identity.PARTY_MEMBER])
    ahead = person("ahead@example.com", "吴", "领先", Role.VOLUNTEER, identities=[Identity.CPPCC_MEMBER])
    person("youth@example.com", "郑", "青年", Role.VOLUNTEER, identities=[Identity.YOUTH_VOLUNTEER])
    activity = services.centre_activity_create(
        title="学雷锋活动", actor=agent,
        starts_at=datetime.datetime(2026, 3, 5, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))),
        ends_at=datetime.datetime(2026, 3, 5, 15, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))),
    )
    for volunteer, hours in ((behind, "2.00"), (ahead, None)):
        entry = services.centre_activity_hours_record(activity=activity, volunteer=volunteer, hours=hours, actor=agent)
        services.hours_entry_approve(entry=entry, actor=agent)
    return behind, ahead


def test_those_behind_pace_are_reminded_once_per_checkpoint(people, frozen_now):
    behind, _ahead = people
    april = datetime.date(2026, 4, 1)
    assert services.duty_reminders_send(today=april) == 1
    assert services.duty_reminders_send(today=april) == 0
    assert services.duty_reminders_send(today=datetime.date(2026, 4, 15)) == 0  # same checkpoint, later day
    reminder = DutyReminder.objects.get()
    assert (reminder.volunteer, reminder.checkpoint) == (behind, april)
    assert (reminder.approved_hours, reminder.expected_hours, reminder.duty_hours) == (Decimal("2.00"), Decimal("5.00"), Decimal("20.00"))
    note = Notification.objects.get(recipient=behind.user)
    assert "2.00 of 20.00" in note.subject and "18.00 hours remain" in note.body


def test_the_next_checkpoint_reminds_again_and_includes_those_who_fell_behind(people, frozen_now):
    behind, ahead = people
    services.duty_reminders_send(today=datetime.date(2026, 4, 1))
    assert services.duty_reminders_send(today=datetime.date(2026, 7, 1)) == 2  # 6 h is behind 10 h by 1 July
    assert set(DutyReminder.objects.filter(checkpoint=datetime.date(2026, 7, 1)).values_list("volunteer", flat=True)) == {
        behind.pk, ahead.pk}


def test_nothing_is_sent_before_the_first_checkpoint(people, frozen_now):
    assert services.duty_reminders_send(today=datetime.date(2026, 3, 31)) == 0
    assert not DutyReminder.objects.exists()


def test_the_periodic_task_runs_the_same_service_and_is_idempotent(people, frozen_now):
    # Today is 23 November: the 1 October checkpoint (75% = 15 h) applies.
    assert tasks.duty_reminders_send() == 2
    assert tasks.duty_reminders_send() == 0
    assert set(DutyReminder.objects.values_list("checkpoint", flat=True)) == {datetime.date(2026, 10, 1)}
