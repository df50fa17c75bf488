"""Residents rate a finished job once (1–5 overall and three aspects), may change it for 7 days, and
get one reminder if they have not rated."""
import datetime

import pytest
from oscar.core.loading import get_model

from marketplace.errors import NotYours
from marketplace.models import RequestStatus as R
from ratings import errors
from ratings.models import RatingReminder
from ratings.selectors import company_rating_summary
from ratings.services import rating_edit, rating_give, rating_reminders_send
from tests.ratings.conftest import SHANGHAI, scores
from tests.ratings.helpers import rate

pytestmark = [pytest.mark.django_db]
Notification = get_model("communication", "Notification")


def test_resident_rates_a_completed_job_once(job, companies, resident):
    done = job()
    rating = rating_give(request=done, resident=resident, comment="很准时", **scores(5, punctuality=4))
    assert (rating.company, rating.overall, rating.punctuality) == (companies[0], 5, 4)
    with pytest.raises(errors.RatingInvalid) as refused:
        rating_give(request=done, resident=resident, **scores(3))
    assert refused.value.code == "already_rated"


def test_a_job_not_yet_completed_cannot_be_rated(job, resident):
    active = job(until=R.IN_SERVICE)
    with pytest.raises(errors.RatingInvalid) as refused:
        rating_give(request=active, resident=resident, **scores(5))
    assert refused.value.code == "not_finished"


def test_only_the_resident_who_raised_it_may_rate(job, other_resident):
    with pytest.raises(NotYours):
        rating_give(request=job(), resident=other_resident, **scores(5))


@pytest.mark.parametrize("bad", [0, 6, "4.5", "", None])
def test_scores_outside_one_to_five_are_refused(job, resident, bad):
    with pytest.raises(errors.RatingInvalid) as refused:
        rating_give(request=job(), resident=resident, **scores(5, attitude=bad))
    assert refused.value.params["field"] == "attitude"


def test_rating_can_be_changed_on_day_seven_but_not_day_eight(job, resident, frozen_now):
    rating = rate(job(), 2)  # given 2026-11-23 (local)
    frozen_now.move_to(datetime.datetime(2026, 11, 30, 23, 59, tzinfo=SHANGHAI))  # day 7
    rating = rating_edit(rating=rating, resident=resident, comment="后来修好了", **scores(4))
    assert rating.overall == 4
    frozen_now.move_to(datetime.datetime(2026, 12, 1, 0, 0, tzinfo=SHANGHAI))  # day 8
    with pytest.raises(errors.RatingLocked) as refused:
        rating_edit(rating=rating, resident=resident, **scores(5))
    assert "2026-11-30" in str(refused.value)
    rating.refresh_from_db()
    assert rating.overall == 4


def test_the_edit_window_comes_from_the_policy(job, resident, policy, frozen_now):
    policy.rating_edit_days = 1
    policy.save()
    rating = rate(job(), 2)
    frozen_now.move_to(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI))
    with pytest.raises(errors.RatingLocked):
        rating_edit(rating=rating, resident=resident, **scores(5))


def test_one_reminder_only_after_a_day_without_a_rating(job, resident, frozen_now):
    unrated = job()
    rated = job()
    rate(rated, 5)
    frozen_now.shift(datetime.timedelta(hours=23, minutes=59))
    assert rating_reminders_send() == 0
    frozen_now.shift(datetime.timedelta(minutes=1))

    assert rating_reminders_send() == 1
    assert rating_reminders_send() == 0
    frozen_now.shift(datetime.timedelta(days=2))
    assert rating_reminders_send() == 0

    assert RatingReminder.objects.get().request == unrated
    assert Notification.objects.filter(recipient=resident, subject__contains=unrated.company.legal_name).count() == 1


def test_company_summary_averages_its_ratings(job, companies):
    assert company_rating_summary(company=companies[0]) == {
        "count": 0, "overall": None, "punctuality": None, "attitude": None, "quality": None}
    rate(job(), 5, quality=4)
    rate(job(), 4, quality=4)
    rate(job(), 4, quality=3)
    summary = company_rating_summary(company=companies[0])
    assert summary["count"] == 3
    assert str(summary["overall"]) == "4.3"  # 13 / 3 = 4.33…
    assert str(summary["quality"]) == "3.7"  # 11 / 3 = 3.67…
