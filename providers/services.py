"""Writes about companies: application, the admission state machine and agreements.

The admission pipeline is data (``TRANSITIONS``); ``company_transition`` is the only function that
changes a company's status, and it writes a ``CompanyStatusChange`` row for every move.
"""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from marketplace.roles import Role, role_group
from marketplace.selectors import category_quota, policy_for_year
from providers import errors
from providers.models import (
    QUOTA_HOLDING_STATUSES,
    Agreement,
    Company,
    CompanyStatus,
    CompanyStatusChange,
)

Partner = get_model("partner", "Partner")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

S = CompanyStatus

# (from, to) → (what the move means, whether a reason is required)
TRANSITIONS: dict[tuple[str, str], tuple[str, bool]] = {
    (S.APPLIED, S.UNDER_INSPECTION): (gettext_lazy("start inspection"), False),
    (S.APPLIED, S.REJECTED): (gettext_lazy("reject the application"), True),
    (S.UNDER_INSPECTION, S.APPROVED): (gettext_lazy("approve within the category quota"), False),
    (S.UNDER_INSPECTION, S.REJECTED): (gettext_lazy("reject after inspection"), True),
    (S.APPROVED, S.CONTRACTED): (gettext_lazy("sign the agreement"), False),
    (S.CONTRACTED, S.SUSPENDED): (gettext_lazy("suspend"), True),
    (S.CONTRACTED, S.REMOVED): (gettext_lazy("remove (解约)"), True),
    (S.CONTRACTED, S.EXPIRED): (gettext_lazy("agreement expired"), False),
    (S.SUSPENDED, S.CONTRACTED): (gettext_lazy("lift the suspension"), True),
    (S.SUSPENDED, S.REMOVED): (gettext_lazy("remove (解约)"), True),
    (S.SUSPENDED, S.EXPIRED): (gettext_lazy("agreement expired"), False),
    (S.EXPIRED, S.CONTRACTED): (gettext_lazy("renew with a new agreement"), False),
    (S.REMOVED, S.CONTRACTED): (gettext_lazy("reinstate on appeal"), True),
}

# Moves into CONTRACTED need an agreement in force today (new ones are signed through company_contract).
NEEDS_AGREEMENT = {(S.APPROVED, S.CONTRACTED), (S.EXPIRED, S.CONTRACTED), (S.SUSPENDED, S.CONTRACTED), (S.REMOVED, S.CONTRACTED)}
# Of those, the moves that normally sign a new agreement (the centre's page asks for its fields).
SIGNS_AGREEMENT = {(S.APPROVED, S.CONTRACTED), (S.EXPIRED, S.CONTRACTED)}


def allowed_moves(*, company: Company) -> list[tuple[str, str]]:
    """The statuses a company may move to next, with what each move means (for buttons and the API)."""
    return [(to, str(label)) for (frm, to), (label, _r) in TRANSITIONS.items() if frm == company.status]


@transaction.atomic
def company_transition(
    *, company: Company, to_status: str, actor, reason: str = "", today: datetime.date | None = None
) -> Company:
    """Move a company along the admission pipeline, or refuse with a clear error. Writes a history row."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    move = (company.status, to_status)
    if move not in TRANSITIONS:
        raise errors.IllegalTransition(
            _("A company cannot go from “%(from)s” to “%(to)s”.")
            % {"from": S(company.status).label, "to": S(to_status).label if to_status in S.values else to_status},
            params={"from": company.status, "to": to_status},
        )
    _label, needs_reason = TRANSITIONS[move]
    if needs_reason and not reason.strip():
        raise errors.IllegalTransition(_("This move needs a reason."), code="reason_required")
    today = today or timezone.localdate()
    if to_status in QUOTA_HOLDING_STATUSES and company.status not in QUOTA_HOLDING_STATUSES:
        category_quota_check(company=company, year=today.year)
    if move in NEEDS_AGREEMENT and not company.agreements.filter(term_start__lte=today, term_end__gte=today).exists():
        raise errors.AgreementInvalid(_("A company is contracted only with an agreement in force today."))
    CompanyStatusChange.objects.create(
        company=company, from_status=company.status, to_status=to_status, actor=actor, reason=reason.strip()
    )
    company.status = to_status
    company.save(update_fields=["status"])
    return company


def category_quota_check(*, company: Company, year: int) -> None:
    """Rule (seed 000, 限量审定): "a limited number approved" — a company is admitted only while each of
    its categories has fewer quota-holding companies (approved, contracted or suspended) than that
    category's quota in the year's policy. Category rows are locked so two approvals cannot both take
    the last place."""
    policy = policy_for_year(year=year)
    category_ids = list(company.categories.values_list("pk", flat=True))
    list(Category.objects.select_for_update().filter(pk__in=category_ids).values_list("pk", flat=True))
    for category in Category.objects.filter(pk__in=category_ids).order_by("pk"):
        quota = category_quota(policy=policy, category_id=category.pk)
        holders = (
            Company.objects.filter(categories=category, status__in=QUOTA_HOLDING_STATUSES)
            .exclude(pk=company.pk)
            .distinct()
            .count()
        )
        if holders >= quota:
            raise errors.QuotaFull(
                _("The quota for “%(category)s” is full: %(holders)s of %(quota)s places are taken (policy %(year)s).")
                % {"category": category.name, "holders": holders, "quota": quota, "year": year},
                params={"category": category.pk, "quota": quota, "holders": holders},
            )


@transaction.atomic
def company_apply(*, applicant, fields: dict, categories, service_regions=()) -> Company:
    """A company's staff member applies online (自愿申报). The applicant becomes its first staff user."""
    if not categories:
        raise ValidationError({"categories": _("Choose at least one category served.")})
    fields = dict(fields, credit_code=str(fields.get("credit_code", "")).strip().upper())
    if Company.objects.filter(credit_code=fields.get("credit_code", "")).exists():
        raise errors.ApplicationInvalid(_("A company with this unified social credit code has already applied."))
    code = slugify(fields.get("credit_code", ""))[:128]
    partner = Partner.objects.create(name=fields.get("legal_name", "")[:128], code=code)
    company = Company(partner=partner, status=S.APPLIED, **fields)
    try:
        company.full_clean()
    except ValidationError:
        transaction.set_rollback(True)
        raise
    company.save()
    company.categories.set(categories)
    company.service_regions.set(service_regions)
    partner.users.add(applicant)
    applicant.groups.add(role_group(Role.COMPANY_STAFF))
    CompanyStatusChange.objects.create(company=company, from_status="", to_status=S.APPLIED, actor=applicant,
                                       reason=_("applied online"))
    return company


@transaction.atomic
def company_contract(
    *, company: Company, actor, agreement_fields: dict, today: datetime.date | None = None, reason: str = ""
) -> Agreement:
    """Sign the franchise agreement (加盟协议) and contract an approved company, or renew an expired one.
    The agreement's fee schedule records the contracted prices as they stand at signing."""
    today = today or timezone.localdate()
    previous = company.agreements.order_by("-term_end").first()
    agreement = Agreement(company=company, created_by=actor, **agreement_fields)
    if company.status == S.EXPIRED or (previous and company.status == S.CONTRACTED):
        agreement.renews = previous
    agreement.fee_schedule = {
        str(product_id): str(price)
        for product_id, price in StockRecord.objects.filter(partner=company.partner).values_list("product_id", "price")
    }
    if agreement.term_start and agreement.term_end and agreement.term_end <= agreement.term_start:
        raise errors.AgreementInvalid(_("The agreement must end after it starts."))
    agreement.full_clean()
    if previous and agreement.term_start <= previous.term_end:
        raise errors.AgreementInvalid(
            _("The new term must start after the current one ends (%(end)s).") % {"end": previous.term_end}
        )
    agreement.save()
    if company.status != S.CONTRACTED:
        company_transition(company=company, to_status=S.CONTRACTED, actor=actor, reason=reason, today=today)
    return agreement
