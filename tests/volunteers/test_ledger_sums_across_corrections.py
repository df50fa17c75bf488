"""The hours ledger is append-only: approved entries are locked, a correction is a new entry that
references the original, and a person's total is always the exact sum of approved entries."""
from decimal import Decimal

import pytest

from tests.volunteers.conftest import approve, log
from volunteers import selectors, services
from volunteers.errors import EntryLocked, HoursInvalid
from volunteers.models import HoursEntry

pytestmark = pytest.mark.django_db


def test_total_is_the_exact_sum_of_approved_entries_across_corrections(accepted_job, lead, member):
    job = accepted_job()
    first = approve(log(job, member, "1.25"), lead.user)
    second = approve(log(job, member, "2.50"), lead.user)
    third = approve(log(job, member, "3.00"), lead.user)
    log(job, member, "0.40")  # still pending: not counted
    services.hours_entry_decline(entry=log(job, member, "4.00"), actor=lead.user, reason="重复登记")  # declined: not counted

    down = services.hours_entry_correct(entry=third, corrected_hours="2.75", reason="实际少了一刻钟", actor=member.user)
    approve(down, lead.user)
    up = services.hours_entry_correct(entry=third, corrected_hours="3.10", reason="补记搬运时间", actor=lead.user)
    approve(up, lead.user)

    assert down.hours == Decimal("-0.25") and down.corrects == third
    assert up.hours == Decimal("0.35") and up.corrects == third
    assert selectors.entry_net_hours(entry=third) == Decimal("3.10")
    total = selectors.approved_hours_in_year(volunteer=member, year=2026)
    assert total == Decimal("1.25") + Decimal("2.50") + Decimal("3.10") == Decimal("6.85")
    assert str(total) == "6.85"
    approved = HoursEntry.objects.filter(volunteer=member, status=HoursEntry.Status.APPROVED)
    assert sum(e.hours for e in approved) == total
    # The originals never changed.
    for entry, hours in ((first, "1.25"), (second, "2.50"), (third, "3.00")):
        entry.refresh_from_db()
        assert entry.hours == Decimal(hours) and entry.status == HoursEntry.Status.APPROVED


def test_member_sees_the_total_and_every_line_on_my_hours(client, accepted_job, lead, member):
    job = accepted_job()
    entry = approve(log(job, member, "3.00"), lead.user)
    approve(services.hours_entry_correct(entry=entry, corrected_hours="2.50", reason="多记了", actor=member.user), lead.user)
    client.force_login(member.user)
    page = client.get("/volunteers/hours/?year=2026").content.decode()
    assert '<strong id="total">2.50</strong>' in page
    assert "-0.50" in page and f"correction of entry #{entry.pk}" in page


def test_an_approved_entry_is_locked(accepted_job, lead, member, second_member):
    entry = approve(log(accepted_job(), member, "2.00"), lead.user)
    with pytest.raises(EntryLocked):
        services.hours_entry_decline(entry=entry, actor=lead.user, reason="改主意")
    with pytest.raises(EntryLocked):
        services.hours_entry_approve(entry=entry, actor=lead.user)
    entry.refresh_from_db()
    assert entry.status == HoursEntry.Status.APPROVED and entry.decision_reason == ""


def test_a_correction_cannot_take_an_entry_below_zero_or_leave_it_unchanged(accepted_job, lead, member):
    entry = approve(log(accepted_job(), member, "2.00"), lead.user)
    with pytest.raises(HoursInvalid, match="may not be negative"):
        services.hours_entry_correct(entry=entry, corrected_hours="-1.00", reason="x", actor=member.user)
    with pytest.raises(HoursInvalid, match="already stands at 2.00"):
        services.hours_entry_correct(entry=entry, corrected_hours="2.00", reason="x", actor=member.user)
    assert entry.corrections.count() == 0


def test_one_correction_waits_at_a_time_and_only_approved_entries_are_corrected(accepted_job, lead, member):
    job = accepted_job()
    entry = approve(log(job, member, "2.00"), lead.user)
    services.hours_entry_correct(entry=entry, corrected_hours="1.50", reason="少算", actor=member.user)
    with pytest.raises(EntryLocked, match="already waiting"):
        services.hours_entry_correct(entry=entry, corrected_hours="1.00", reason="再改", actor=member.user)
    pending = log(job, member, "1.00")
    with pytest.raises(EntryLocked, match="Only approved hours are corrected"):
        services.hours_entry_correct(entry=pending, corrected_hours="0.50", reason="x", actor=member.user)


def test_correcting_a_correction_corrects_the_original(accepted_job, lead, member):
    entry = approve(log(accepted_job(), member, "4.00"), lead.user)
    first = approve(services.hours_entry_correct(entry=entry, corrected_hours="3.00", reason="a", actor=member.user), lead.user)
    second = services.hours_entry_correct(entry=first, corrected_hours="3.50", reason="b", actor=member.user)
    assert second.corrects == entry and second.hours == Decimal("0.50")


@pytest.mark.parametrize("typed, message", [
    ("1.255", "more than two decimal places"),
    ("0", "more than zero"),
    ("-2", "more than zero"),
    ("25", "more than 24 hours"),
    ("两小时", "not a number of hours"),
])
def test_bad_hours_are_refused_with_a_reason_and_nothing_is_written(accepted_job, member, typed, message):
    job = accepted_job()
    with pytest.raises(HoursInvalid, match=message):
        log(job, member, typed)
    assert not HoursEntry.objects.exists()


def test_one_person_cannot_log_more_than_24_hours_on_one_day(accepted_job, member):
    job = accepted_job()
    log(job, member, "20.00")
    with pytest.raises(HoursInvalid, match="would be more than 24"):
        log(job, member, "4.50")
