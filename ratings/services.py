"""Writes of the quality loop: ratings, call-backs (回访), complaints and their review, the rule that
removes a company for upheld complaints (and reinstatement on appeal), renewal reviews and the
monthly report (月情况通报).

Complaints move through a table (``COMPLAINT_TRANSITIONS``) by one function, ``complaint_transition``,
which writes a history row for every move. Company status changes go through
``providers.services.company_transition``; request status changes through
``marketplace.services.request_transition``.
"""
from __future__ import annotations

import datetime
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from marketplace.errors import NotYours
from marketplace.models import LinkedUnit, RequestStatus, ServiceRequest
from marketplace.roles import Role, has_role
from marketplace.selectors import policy_for_year
from marketplace.services import request_transition
from providers.models import Agreement, Company, CompanyStatus, CompanyStatusChange
from providers.selectors import agreement_in_force
from providers.services import company_transition
from ratings import errors, selectors
from ratings.models import (
    CallBack,
    CallBackAttempt,
    CallBackOutcome,
    Complaint,
    ComplaintCategory,
    ComplaintStatus,
    ComplaintStatusChange,
    MonthlyReport,
    Rating,
    RatingReminder,
    Removal,
    RenewalReview,
)

logger = logging.getLogger("ratings")
Notification = get_model("communication", "Notification")

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# The reminder goes only for jobs finished recently: a first run on old data must not spam residents.
REMINDER_LOOKBACK = datetime.timedelta(days=30)


# --- notifications -------------------------------------------------------------------------------


def _notify(users, *, subject: str, body: str) -> None:
    """In-site notifications (Oscar's inbox). SMS / WeChat delivery can hang off these rows later."""
    Notification.objects.bulk_create(
        [Notification(recipient=user, subject=str(subject)[:255], body=str(body)) for user in users]
    )


def _company_staff(company: Company):
    return list(company.partner.users.filter(is_active=True))


def _centre_staff():
    return list(
        get_user_model().objects.filter(groups__name__in=[Role.CENTRE_AGENT, Role.ADMINISTRATOR], is_active=True).distinct()
    )


# --- ratings -------------------------------------------------------------------------------------

RATING_ASPECTS = ("overall", "punctuality", "attitude", "quality")


def rating_scores_check(**scores) -> dict[str, int]:
    """Each score is a whole number from 1 to 5."""
    checked = {}
    for aspect in RATING_ASPECTS:
        value = scores.get(aspect)
        try:
            number = int(str(value))
        except (TypeError, ValueError):
            number = None
        if number is None or not 1 <= number <= 5 or str(value).strip() != str(number):
            raise errors.RatingInvalid(
                _("%(aspect)s must be a whole number of stars from 1 to 5 (got %(value)s).")
                % {"aspect": Rating._meta.get_field(aspect).verbose_name, "value": value},
                code="score_invalid", params={"field": aspect},
            )
        checked[aspect] = number
    return checked


@transaction.atomic
def rating_give(*, request: ServiceRequest, resident, overall, punctuality, attitude, quality, comment: str = "",
                now: datetime.datetime | None = None) -> Rating:
    """The resident rates a finished job of theirs: one rating per job."""
    now = now or timezone.now()
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if request.resident_id != resident.pk:
        raise NotYours(_("You can only rate your own requests."))
    if request.company_id is None or request.status not in selectors.RATEABLE_STATUSES:
        raise errors.RatingInvalid(_("A job can be rated once the company has completed it."), code="not_finished")
    if Rating.objects.filter(request=request).exists():
        raise errors.RatingInvalid(_("You have already rated this job; change that rating instead."), code="already_rated")
    scores = rating_scores_check(overall=overall, punctuality=punctuality, attitude=attitude, quality=quality)
    return Rating.objects.create(request=request, company_id=request.company_id, resident=resident,
                                 comment=comment.strip(), created_at=now, updated_at=now, **scores)


@transaction.atomic
def rating_edit(*, rating: Rating, resident, overall, punctuality, attitude, quality, comment: str = "",
                now: datetime.datetime | None = None) -> Rating:
    """The resident changes their rating while the edit window is open (``rating_last_edit_day``)."""
    now = now or timezone.now()
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    if rating.resident_id != resident.pk:
        raise NotYours(_("You can only change your own ratings."))
    last_day = selectors.rating_last_edit_day(rating=rating)
    if timezone.localdate(now) > last_day:
        raise errors.RatingLocked(
            _("A rating can be changed for %(days)s days after it is given; this one was final after %(last)s.")
            % {"days": (last_day - timezone.localdate(rating.created_at)).days, "last": last_day.isoformat()},
            params={"last_day": last_day},
        )
    scores = rating_scores_check(overall=overall, punctuality=punctuality, attitude=attitude, quality=quality)
    for aspect, value in scores.items():
        setattr(rating, aspect, value)
    rating.comment, rating.updated_at = comment.strip(), now
    rating.save()
    return rating


def rating_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind each resident once about a finished job they have not rated, ``rating_reminder_hours``
    after completion. The ``RatingReminder`` row records that it was sent, so a rerun sends nothing
    new. Returns the number sent."""
    now = now or timezone.now()
    policy = policy_for_year(year=timezone.localtime(now).year)
    due = ServiceRequest.objects.filter(
        company__isnull=False, status__in=selectors.RATEABLE_STATUSES, rating__isnull=True,
        rating_reminder__isnull=True,
        completed_at__lte=now - datetime.timedelta(hours=policy.rating_reminder_hours),
        completed_at__gte=now - REMINDER_LOOKBACK,
    ).select_related("product", "resident", "company")
    sent = 0
    for request in due:
        with transaction.atomic():
            _reminder, created = RatingReminder.objects.get_or_create(request=request, defaults={"sent_at": now})
            if not created:
                continue
            _notify(
                [request.resident],
                subject=_("How did %(company)s do?") % {"company": request.company.legal_name},
                body=_("Please rate request #%(id)s (%(item)s): your stars help other residents choose.")
                % {"id": request.pk, "item": request.product.title},
            )
            sent += 1
    return sent


# --- call-backs ----------------------------------------------------------------------------------


def callback_eligible_requests():
    """Requests that enter the call-back queue: completed company jobs, cancelled requests, and
    requests a linked unit reported on (transferred, then closed). Closed company jobs are included
    for records made before the queue existed. Handled-at-once calls are answered on the phone and
    are not called back."""
    return ServiceRequest.objects.filter(callback__isnull=True).filter(
        Q(status__in=[RequestStatus.COMPLETED, RequestStatus.CANCELLED])
        | (Q(status=RequestStatus.CLOSED) & (Q(linked_unit__isnull=False) | Q(company__isnull=False)))
    )


def callbacks_enqueue(*, now: datetime.datetime | None = None) -> int:
    """Put every eligible request without a call-back into the queue. Idempotent (one call-back per
    request, enforced by the database). Returns how many were queued."""
    now = now or timezone.now()
    queued = 0
    for request in callback_eligible_requests().only("pk", "status", "company_id", "linked_unit_id"):
        _callback, created = CallBack.objects.get_or_create(
            request=request,
            defaults={"company_id": request.company_id, "linked_unit_id": request.linked_unit_id,
                      "request_status": request.status, "queued_at": now},
        )
        queued += created
    return queued


@transaction.atomic
def callback_attempt_record(*, callback: CallBack, agent, reached: bool, outcome: str = "", notes: str = "",
                            now: datetime.datetime | None = None) -> CallBack:
    """An agent records one call. Reached: the resident's answer closes the call-back. Not reached:
    after ``callback_max_tries`` unanswered calls it closes as "not reached". Either way a completed
    request then closes."""
    now = now or timezone.now()
    callback = CallBack.objects.select_for_update().select_related("request").get(pk=callback.pk)
    if callback.status != CallBack.Status.OPEN:
        raise errors.CallBackInvalid(
            _("This call-back is already closed (%(status)s).") % {"status": callback.get_status_display()}, code="closed"
        )
    outcome = (outcome or "").strip()
    if reached and outcome not in CallBackOutcome.values:
        raise errors.CallBackInvalid(
            _("Record the resident's answer: satisfied, basically satisfied or dissatisfied."), code="outcome_missing"
        )
    if not reached and outcome:
        raise errors.CallBackInvalid(_("A call that did not reach the resident has no answer."), code="outcome_without_call")
    CallBackAttempt.objects.create(callback=callback, agent=agent, reached=reached, outcome=outcome if reached else "",
                                   notes=notes.strip(), called_at=now)
    if reached:
        callback.status, callback.outcome = CallBack.Status.ANSWERED, outcome
        reason = _("called back: %(answer)s") % {"answer": CallBackOutcome(outcome).label}
    else:
        tries = callback.attempts.filter(reached=False).count()
        max_tries = policy_for_year(year=timezone.localtime(now).year).callback_max_tries
        if tries < max_tries:
            return callback
        callback.status = CallBack.Status.UNREACHED
        reason = _("call-back closed: the resident was not reached in %(tries)s tries") % {"tries": tries}
    callback.closed_at, callback.closed_by = now, agent
    callback.save(update_fields=["status", "outcome", "closed_at", "closed_by"])
    if callback.request.status == RequestStatus.COMPLETED:
        request_transition(request=callback.request, to_status=RequestStatus.CLOSED, actor=agent, reason=reason, now=now)
    return callback


# --- complaints ----------------------------------------------------------------------------------

C = ComplaintStatus

# (from, to) → (what the move means, whether a reason is required). Anything else is refused.
COMPLAINT_TRANSITIONS: dict[tuple[str, str], tuple[str, bool]] = {
    (C.RECEIVED, C.UNDER_REVIEW): (gettext_lazy("start the review"), False),
    (C.UNDER_REVIEW, C.UPHELD): (gettext_lazy("uphold"), True),
    (C.UNDER_REVIEW, C.REJECTED): (gettext_lazy("reject"), True),
    (C.UPHELD, C.REOPENED): (gettext_lazy("reopened by the resident: the fix did not hold"), True),
    (C.REJECTED, C.REOPENED): (gettext_lazy("reopened by the resident"), True),
    (C.REOPENED, C.UNDER_REVIEW): (gettext_lazy("review again"), False),
}


@transaction.atomic
def complaint_transition(*, complaint: Complaint, to_status: str, actor, reason: str = "",
                         now: datetime.datetime | None = None, **changes) -> Complaint:
    """Move a complaint along its workflow or refuse; writes a history row. ``changes`` are saved too."""
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    move = (locked.status, to_status)
    if move not in COMPLAINT_TRANSITIONS:
        raise errors.ComplaintIllegalTransition(
            _("Complaint #%(id)s cannot go from “%(from)s” to “%(to)s”.")
            % {"id": locked.pk, "from": C(locked.status).label, "to": C(to_status).label if to_status in C.values else to_status},
            params={"from": locked.status, "to": to_status},
        )
    _label, needs_reason = COMPLAINT_TRANSITIONS[move]
    if needs_reason and not reason.strip():
        raise errors.ComplaintInvalid(_("This step needs a reason."), code="reason_required")
    now = now or timezone.now()
    ComplaintStatusChange.objects.create(complaint=locked, from_status=locked.status, to_status=to_status, actor=actor,
                                         reason=reason.strip(), changed_at=now)
    locked.status = to_status
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.save()
    complaint.__dict__.update(locked.__dict__)
    return locked


def complaint_fields_check(*, category: str, description: str, evidence_file=None) -> None:
    if category not in ComplaintCategory.values:
        raise errors.ComplaintInvalid(
            _("Choose what the complaint is about: %(choices)s.") % {"choices": ", ".join(str(c.label) for c in ComplaintCategory)},
            code="category_invalid", params={"field": "category"},
        )
    if not (description or "").strip():
        raise errors.ComplaintInvalid(_("Say what happened."), code="description_missing", params={"field": "description"})
    if evidence_file is not None and evidence_file.size > EVIDENCE_MAX_BYTES:
        raise errors.ComplaintInvalid(
            _("The evidence file is %(size)s MB; at most %(max)s MB is accepted.")
            % {"size": round(evidence_file.size / 1024 / 1024, 1), "max": EVIDENCE_MAX_BYTES // 1024 // 1024},
            code="evidence_too_large", params={"field": "evidence_file"},
        )


@transaction.atomic
def complaint_file(*, request: ServiceRequest, filed_by, category: str, description: str, evidence_text: str = "",
                   evidence_file=None, now: datetime.datetime | None = None) -> Complaint:
    """A resident complains about a job of theirs, or an agent enters a complaint taken on the phone.
    The company and the centre are told."""
    now = now or timezone.now()
    if request.resident_id == filed_by.pk:
        channel = Complaint.Channel.WEB
    elif has_role(filed_by, Role.CENTRE_AGENT, Role.ADMINISTRATOR):
        channel = Complaint.Channel.HOTLINE
    else:
        raise NotYours(_("You can only complain about your own requests."))
    if request.company_id is None:
        raise errors.ComplaintInvalid(_("No company has served this request, so there is nobody to complain about."),
                                      code="no_company")
    complaint_fields_check(category=category, description=description, evidence_file=evidence_file)
    complaint = Complaint.objects.create(
        request=request, company_id=request.company_id, resident_id=request.resident_id, filed_by=filed_by,
        channel=channel, category=category, description=description.strip(), evidence_text=(evidence_text or "").strip(),
        evidence_file=evidence_file or "", created_at=now,
    )
    ComplaintStatusChange.objects.create(complaint=complaint, from_status="", to_status=C.RECEIVED, actor=filed_by,
                                         reason=str(Complaint.Channel(channel).label), changed_at=now)
    subject = _("Complaint #%(id)s about request #%(request)s: %(category)s") % {
        "id": complaint.pk, "request": request.pk, "category": ComplaintCategory(category).label}
    _notify(_company_staff(complaint.company) + _centre_staff(), subject=subject, body=complaint.description)
    return complaint


def complaint_review_start(*, complaint: Complaint, agent, now: datetime.datetime | None = None) -> Complaint:
    """An agent takes up a received (or reopened) complaint."""
    return complaint_transition(complaint=complaint, to_status=C.UNDER_REVIEW, actor=agent, now=now)


@transaction.atomic
def complaint_respond(*, complaint: Complaint, company: Company, actor, response: str,
                      now: datetime.datetime | None = None) -> Complaint:
    """The company answers a complaint against it (while the centre has not decided it)."""
    now = now or timezone.now()
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.company_id != company.pk:
        raise NotYours(_("This complaint is not about your company."))
    if complaint.is_decided:
        raise errors.ComplaintInvalid(_("The centre has decided this complaint; the response can no longer change."),
                                      code="decided")
    if not response.strip():
        raise errors.ComplaintInvalid(_("Write your response."), code="response_missing", params={"field": "response"})
    complaint.company_response, complaint.company_responded_at, complaint.company_responded_by = response.strip(), now, actor
    complaint.save(update_fields=["company_response", "company_responded_at", "company_responded_by"])
    _notify(_centre_staff(), subject=_("%(company)s responded to complaint #%(id)s") % {"company": company.legal_name,
                                                                                      "id": complaint.pk},
            body=complaint.company_response)
    return complaint


@transaction.atomic
def complaint_decide(*, complaint: Complaint, agent, upheld: bool, reason: str,
                     now: datetime.datetime | None = None) -> Complaint:
    """The centre decides a complaint under review, with a reason. An upheld complaint counts against
    the company in the contract year of the agreement in force on the day (``complaint_limit_enforce``);
    a rejected one never counts (a complaint rejected on a second review stops counting)."""
    now = now or timezone.now()
    locked = Complaint.objects.select_for_update().select_related("company").get(pk=complaint.pk)
    newly_counted = upheld and locked.upheld_at is None
    changes = {"decided_at": now, "decided_by": agent, "decision_reason": reason.strip()}
    if newly_counted:
        changes["upheld_at"] = now
        changes["counted_agreement"] = agreement_in_force(company=locked.company, day=timezone.localdate(now))
    elif not upheld:
        changes["upheld_at"], changes["counted_agreement"] = None, None
    complaint = complaint_transition(complaint=complaint, to_status=C.UPHELD if upheld else C.REJECTED, actor=agent,
                                     reason=reason, now=now, **changes)
    subject = _("Complaint #%(id)s was %(decision)s") % {"id": complaint.pk, "decision": C(complaint.status).label}
    _notify([complaint.resident] + _company_staff(locked.company), subject=subject, body=complaint.decision_reason)
    if newly_counted and complaint.counted_agreement_id:
        complaint_limit_enforce(company=locked.company, agreement=complaint.counted_agreement, actor=agent, now=now)
    return complaint


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, resident, reason: str, now: datetime.datetime | None = None) -> Complaint:
    """Rule (policy ``complaint_reopen_days``, 30): the resident may reopen a decided complaint within
    30 days of the decision (up to and including day 30) if the fix did not hold."""
    now = now or timezone.now()
    if complaint.resident_id != resident.pk:
        raise NotYours(_("You can only reopen your own complaints."))
    last_day = selectors.complaint_reopen_last_day(complaint=complaint)
    if last_day is not None and timezone.localdate(now) > last_day:
        raise errors.ComplaintInvalid(
            _("A complaint can be reopened for %(days)s days after the decision; this one could be reopened until %(last)s.")
            % {"days": (last_day - timezone.localdate(complaint.decided_at)).days, "last": last_day.isoformat()},
            code="reopen_window_over", params={"last_day": last_day},
        )
    complaint = complaint_transition(complaint=complaint, to_status=C.REOPENED, actor=resident, reason=reason, now=now)
    _notify(_centre_staff() + _company_staff(complaint.company),
            subject=_("Complaint #%(id)s was reopened") % {"id": complaint.pk}, body=reason)
    return complaint


# --- enforcement: removal for upheld complaints --------------------------------------------------


@transaction.atomic
def complaint_limit_enforce(*, company: Company, agreement: Agreement, actor,
                            now: datetime.datetime | None = None) -> Removal | None:
    """Rule (seed 000): "一个年度内如有三次投诉，即取消其服务资格" — the third upheld complaint in a
    contract year removes the company (解约).

    - "Three" is ``complaint_limit`` in the policy of the year the agreement's term starts.
    - The contract year is the term of the agreement in force on the day a complaint is upheld
      (``Complaint.counted_agreement``); the count restarts with the next agreement.
    - Only complaints that stand upheld count; rejected ones never do.
    - Removal: status → removed (a history row citing the complaints), open offers withdrawn, jobs
      accepted or on the way put back to matching for other companies, company and centre told.
      Jobs already in service stay with the company to finish; the centre is told which.

    Called when a complaint newly starts counting. Returns the ``Removal``, or None below the limit
    (or when the company is no longer contracted or suspended).
    """
    now = now or timezone.now()
    # Counting after taking the company's row lock serialises two upholds at the same moment: the
    # second counts once the first has committed, so neither counts blind to the other.
    company = Company.objects.select_for_update().get(pk=company.pk)
    limit = policy_for_year(year=agreement.term_start.year).complaint_limit
    upheld = list(selectors.upheld_complaints_in_term(agreement=agreement))
    if len(upheld) < limit or company.status not in (CompanyStatus.CONTRACTED, CompanyStatus.SUSPENDED):
        return None
    return _company_remove_for_complaints(company=company, agreement=agreement, complaints=upheld, limit=limit,
                                          actor=actor, now=now)


def _company_remove_for_complaints(*, company: Company, agreement: Agreement, complaints: list[Complaint], limit: int,
                                   actor, now: datetime.datetime) -> Removal:
    from matching import tasks as matching_tasks
    from matching.models import Offer
    from matching.services import offers_withdraw_for_request

    cited = ", ".join(f"#{c.pk}" for c in complaints)
    reason = _(
        "Removed (解约): %(count)s upheld complaints in the contract year %(start)s – %(end)s reach the limit of "
        "%(limit)s: complaints %(cited)s."
    ) % {"count": len(complaints), "start": agreement.term_start.isoformat(), "end": agreement.term_end.isoformat(),
         "limit": limit, "cited": cited}
    company_transition(company=company, to_status=CompanyStatus.REMOVED, actor=actor, reason=reason,
                       today=timezone.localdate(now))
    status_change = CompanyStatusChange.objects.filter(company=company, to_status=CompanyStatus.REMOVED).order_by("-pk").first()

    back_to_matching = _("%(company)s was removed (解约): back to matching") % {"company": company.legal_name}
    withdrawn = 0
    for offer in Offer.objects.filter(company=company, status=Offer.Status.PENDING).select_related("request"):
        withdrawn += offers_withdraw_for_request(request=offer.request, reason=str(back_to_matching))
        if offer.request.status == RequestStatus.OFFERED:
            request_transition(request=offer.request, to_status=RequestStatus.MATCHING, actor=actor, reason=back_to_matching,
                               now=now)
    rematched = 0
    for job in ServiceRequest.objects.filter(company=company, status__in=[RequestStatus.ACCEPTED, RequestStatus.ON_THE_WAY]):
        request_transition(request=job, to_status=RequestStatus.MATCHING, actor=actor, reason=back_to_matching, now=now,
                           company=None, accepted_at=None)
        rematched += 1
    in_service = list(ServiceRequest.objects.filter(company=company, status=RequestStatus.IN_SERVICE).values_list("pk", flat=True))

    removal = Removal.objects.create(company=company, agreement=agreement, status_change=status_change, removed_at=now,
                                     removed_by=actor, jobs_rematched=rematched, offers_withdrawn=withdrawn)
    removal.complaints.set(complaints)
    transaction.on_commit(lambda: matching_tasks.assign_waiting_requests.delay())

    subject = _("%(company)s has been removed (解约)") % {"company": company.legal_name}
    _notify(_company_staff(company), subject=subject,
            body=reason + " " + _("You may appeal to the centre's administrator."))
    centre_body = reason + " " + _("%(jobs)s active jobs went back to matching; %(offers)s open offers were withdrawn.") % {
        "jobs": rematched, "offers": withdrawn}
    if in_service:
        centre_body += " " + _("Jobs in service, left with the company to finish: %(ids)s.") % {
            "ids": ", ".join(f"#{pk}" for pk in in_service)}
    _notify(_centre_staff(), subject=subject, body=centre_body)
    logger.info("company %s removed for complaints %s", company.pk, cited)
    return removal


@transaction.atomic
def company_reinstate(*, removal: Removal, actor, reason: str, now: datetime.datetime | None = None) -> Removal:
    """An administrator reinstates a removed company on appeal, with a reason (removed → contracted,
    which needs an agreement in force). The upheld complaints keep counting: a further one in the
    same contract year removes the company again."""
    now = now or timezone.now()
    removal = Removal.objects.select_for_update().select_related("company").get(pk=removal.pk)
    if removal.reinstated_at is not None:
        raise errors.ReinstatementInvalid(_("This removal was already reversed on %(day)s.")
                                          % {"day": timezone.localdate(removal.reinstated_at).isoformat()})
    if not reason.strip():
        raise errors.ReinstatementInvalid(_("Say why the appeal succeeds."), code="reason_required", params={"field": "reason"})
    if removal.company.status != CompanyStatus.REMOVED:
        raise errors.ReinstatementInvalid(
            _("%(company)s is %(status)s, not removed.") % {"company": removal.company.legal_name,
                                                          "status": removal.company.get_status_display()}
        )
    company_transition(company=removal.company, to_status=CompanyStatus.CONTRACTED, actor=actor,
                       reason=_("Reinstated on appeal: %(reason)s") % {"reason": reason.strip()},
                       today=timezone.localdate(now))
    removal.reinstated_at, removal.reinstated_by, removal.reinstatement_reason = now, actor, reason.strip()
    removal.save(update_fields=["reinstated_at", "reinstated_by", "reinstatement_reason"])
    _notify(_company_staff(removal.company), subject=_("%(company)s has been reinstated") % {"company": removal.company.legal_name},
            body=reason.strip())
    return removal


# --- renewal review ------------------------------------------------------------------------------


def renewal_figures(*, agreement: Agreement) -> dict:
    """The figures that decide a renewal: satisfaction over the term vs the target, upheld complaints
    in the term and jobs completed in it; targets from the policy of the year the term starts.

    Recommendation: renew when the satisfaction meets the target (exactly at the target meets it) and
    the upheld complaints are below the limit; otherwise — including a term with no judged job — do
    not renew. The administrator decides."""
    policy = policy_for_year(year=agreement.term_start.year)
    tally = selectors.satisfaction_tally(company=agreement.company, start=agreement.term_start, end=agreement.term_end)
    upheld = selectors.upheld_complaints_in_term(agreement=agreement).count()
    since, until = selectors.day_bounds(start=agreement.term_start, end=agreement.term_end)
    jobs = ServiceRequest.objects.filter(company=agreement.company, completed_at__gte=since, completed_at__lt=until).count()
    meets = tally.meets(policy.satisfaction_target)
    return {
        "satisfied_jobs": tally.satisfied, "judged_jobs": tally.judged, "satisfaction": selectors.satisfaction_display(tally.rate),
        "satisfaction_target": policy.satisfaction_target, "meets_target": meets, "upheld_complaints": upheld,
        "complaint_limit": policy.complaint_limit, "jobs_completed": jobs,
        "recommendation": RenewalReview.Recommendation.RENEW if meets and upheld < policy.complaint_limit
        else RenewalReview.Recommendation.DO_NOT_RENEW,
    }


def renewals_enqueue(*, today: datetime.date | None = None) -> int:
    """Rule (policy ``renewal_notice_days``, 60): an agreement that ends within 60 days (and is not yet
    renewed, of a contracted or suspended company) goes on the renewal list once, with its figures.
    Idempotent: one review per agreement. Returns how many were listed."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=policy_for_year(year=today.year).renewal_notice_days)
    due = Agreement.objects.filter(
        term_end__gte=today, term_end__lte=horizon, renewal_review__isnull=True, renewed_by__isnull=True,
        company__status__in=[CompanyStatus.CONTRACTED, CompanyStatus.SUSPENDED],
    ).select_related("company")
    listed = 0
    for agreement in due:
        with transaction.atomic():
            review, created = RenewalReview.objects.get_or_create(
                agreement=agreement, defaults={"company": agreement.company, "listed_on": today, **renewal_figures(agreement=agreement)}
            )
        if created:
            listed += 1
            _notify(_centre_staff(), subject=_("%(company)s: agreement ends %(end)s — renewal review")
                    % {"company": agreement.company.legal_name, "end": agreement.term_end.isoformat()},
                    body=_("Recommendation: %(recommendation)s") % {"recommendation": review.get_recommendation_display()})
    return listed


@transaction.atomic
def renewal_decide(*, review: RenewalReview, actor, decision: str, reason: str,
                   now: datetime.datetime | None = None) -> RenewalReview:
    """The administrator records the renewal decision with a reason. Renewing is then done by signing
    the new agreement (providers.services.company_contract)."""
    now = now or timezone.now()
    review = RenewalReview.objects.select_for_update().select_related("company").get(pk=review.pk)
    if review.decision:
        raise errors.RenewalInvalid(_("This renewal was already decided (%(decision)s).")
                                    % {"decision": review.get_decision_display()}, code="decided")
    if decision not in RenewalReview.Recommendation.values:
        raise errors.RenewalInvalid(_("Decide: renew or do not renew."), code="decision_invalid", params={"field": "decision"})
    if not reason.strip():
        raise errors.RenewalInvalid(_("Give the reason for the decision."), code="reason_required", params={"field": "reason"})
    review.decision, review.decision_reason, review.decided_at, review.decided_by = decision, reason.strip(), now, actor
    review.save(update_fields=["decision", "decision_reason", "decided_at", "decided_by"])
    _notify(_company_staff(review.company), subject=_("Renewal of your agreement: %(decision)s")
            % {"decision": review.get_decision_display()}, body=review.decision_reason)
    return review


# --- monthly report ------------------------------------------------------------------------------


def _report_companies(*, since: datetime.datetime, until: datetime.datetime):
    """Companies on a month's report: those contracted or suspended, and any other with work,
    completions or complaints in the month."""
    return (
        Company.objects.filter(
            Q(status__in=[CompanyStatus.CONTRACTED, CompanyStatus.SUSPENDED])
            | Q(offers__offered_at__gte=since, offers__offered_at__lt=until)
            | Q(jobs__completed_at__gte=since, jobs__completed_at__lt=until)
            | Q(complaints__created_at__gte=since, complaints__created_at__lt=until)
        )
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def monthly_report_generate(*, month: datetime.date, now: datetime.datetime | None = None) -> list[MonthlyReport]:
    """Generate (or generate again) the monthly report (月情况通报) of ``month``: one row per company
    and per linked unit, keyed by month and subject, so a second run replaces the figures in place
    and, on the same records, gives the same report."""
    now = now or timezone.now()
    first, last = selectors.month_bounds(month=month)
    if first > timezone.localdate(now).replace(day=1):
        raise errors.ReportInvalid(_("%(month)s has not started yet.") % {"month": first.strftime("%Y-%m")}, code="future_month")
    since, until = selectors.day_bounds(start=first, end=last)
    rows = []
    for company in _report_companies(since=since, until=until):
        figures = selectors.company_month_figures(company=company, month=first, now=now)
        row, _created = MonthlyReport.objects.update_or_create(
            month=first, company=company,
            defaults={"subject_kind": MonthlyReport.SubjectKind.COMPANY, "subject_name": company.legal_name,
                      "generated_at": now, **figures},
        )
        rows.append(row)
    for unit in LinkedUnit.objects.order_by("pk"):
        figures = selectors.unit_month_figures(unit=unit, month=first, now=now)
        row, _created = MonthlyReport.objects.update_or_create(
            month=first, linked_unit=unit,
            defaults={"subject_kind": MonthlyReport.SubjectKind.LINKED_UNIT, "subject_name": unit.name,
                      "generated_at": now, **figures},
        )
        rows.append(row)
    return rows
