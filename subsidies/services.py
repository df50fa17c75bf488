"""Writes of the subsidy payout: the rule, starting and recomputing a run, review and two-person
approval, ledger adjustments, paying lines (bank file confirmation or a payout gateway), budgets and
payout accounts. Every status move writes a ``PayoutRunStatusChange`` row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.money import FEN, format_cny, parse_amount, round_fen
from marketplace.roles import Role, has_role
from marketplace.selectors import policy_for_year
from marketplace.system import is_system_user
from ratings.selectors import SatisfactionTally, satisfaction_display
from subsidies import selectors
from subsidies.errors import (
    AdjustmentInvalid,
    AlreadyPaid,
    PayoutAccountInvalid,
    PayoutGatewayError,
    PayoutInvalid,
    RunInvalid,
    RunNotEditable,
    SameOfficer,
)
from subsidies.models import (
    Eligibility,
    LedgerKind,
    PayoutAccount,
    PayoutLine,
    PayoutMethod,
    PayoutRun,
    PayoutRunStatusChange,
    PayoutState,
    RunStatus,
    SubsidyBudget,
    SubsidyLedgerEntry,
)

ZERO = Decimal("0.00")

RUN_TRANSITIONS = {
    RunStatus.DRAFT: {RunStatus.REVIEWED},
    RunStatus.REVIEWED: {RunStatus.DRAFT, RunStatus.APPROVED},  # sent back, or approved by a second officer
    RunStatus.APPROVED: {RunStatus.PAID},
    RunStatus.PAID: set(),
}


# --- the rule --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineAmounts:
    eligibility: str
    eligible_for_reward: bool
    subsidy: Decimal
    reward: Decimal
    total: Decimal


def subsidy_line_amounts(*, volume: Decimal, tally: SatisfactionTally, removed_for_complaints: bool,
                         subsidy_rate: Decimal, reward_rate: Decimal, satisfaction_target: Decimal) -> LineAmounts:
    """The year-end subsidy rule (政府补贴10%，群众服务满意率达到要求，政府再奖励5%), for one company line:

    - subsidy = round_fen(volume × subsidy_rate)  (policy default 10%)
    - reward  = round_fen(volume × reward_rate)   (policy default 5%) when the company's satisfaction
      for the year is at or above ``satisfaction_target`` (compared on the counts, exactly at the target
      meets it: ``SatisfactionTally.meets``) and it was not removed for complaints in the year; else 0.
      A year with no judged job does not meet the target.
    - total = subsidy + reward.
    Rounding: ``round_fen`` is half-up to the fen, applied once to each product, never to the rates or
    to the volume (which is exact in fen). The rates and target are the run's snapshot of that year's
    policy. See docs/subsidies.md.
    """
    subsidy = round_fen(volume * subsidy_rate)
    if removed_for_complaints:
        eligibility = Eligibility.REMOVED
    elif tally.judged == 0:
        eligibility = Eligibility.NOT_JUDGED
    elif tally.meets(satisfaction_target):
        eligibility = Eligibility.ELIGIBLE
    else:
        eligibility = Eligibility.BELOW_TARGET
    eligible = eligibility == Eligibility.ELIGIBLE
    reward = round_fen(volume * reward_rate) if eligible else ZERO
    return LineAmounts(eligibility=eligibility, eligible_for_reward=eligible, subsidy=subsidy, reward=reward,
                       total=subsidy + reward)


def _line_fields(inputs: selectors.LineInputs, run: PayoutRun) -> dict:
    amounts = subsidy_line_amounts(
        volume=inputs.volume, tally=inputs.tally, removed_for_complaints=inputs.removed_for_complaints,
        subsidy_rate=run.subsidy_rate, reward_rate=run.reward_rate, satisfaction_target=run.satisfaction_target,
    )
    return {
        "company_name": inputs.company_name, "region_name": inputs.region_name, "category_name": inputs.category_name,
        "volume": inputs.volume, "job_count": inputs.job_count, "satisfied_jobs": inputs.tally.satisfied,
        "judged_jobs": inputs.tally.judged, "satisfaction": satisfaction_display(inputs.tally.rate),
        "upheld_complaints": inputs.upheld_complaints, "removed_for_complaints": inputs.removed_for_complaints,
        "eligible_for_reward": amounts.eligible_for_reward, "eligibility": amounts.eligibility,
        "subsidy": amounts.subsidy, "reward": amounts.reward, "total": amounts.total,
    }


LINE_FIELDS = ("company_name", "region_name", "category_name", "volume", "job_count", "satisfied_jobs", "judged_jobs",
               "satisfaction", "upheld_complaints", "removed_for_complaints", "eligible_for_reward", "eligibility",
               "subsidy", "reward", "total")


# --- runs ------------------------------------------------------------------------------------------


def _require_finance(actor, *, allow_system: bool = False) -> None:
    """Finance officers only; ``allow_system`` also lets the system actor (beat tasks) through."""
    if allow_system and is_system_user(actor):
        return
    if not has_role(actor, Role.FINANCE_OFFICER):
        raise RunInvalid(_("Only finance officers can do this."))


def _record(run: PayoutRun, *, from_status: str, to_status: str, actor, reason: str = "", now=None) -> None:
    PayoutRunStatusChange.objects.create(run=run, from_status=from_status, to_status=to_status, actor=actor,
                                         reason=reason, changed_at=now or timezone.now())


def payout_run_transition(*, run: PayoutRun, to_status: str, actor, reason: str = "") -> PayoutRun:
    """The only status changer: refuses a move the table does not allow, records who, when and why."""
    with transaction.atomic():
        run = PayoutRun.objects.select_for_update().get(pk=run.pk)
        if to_status not in RUN_TRANSITIONS[run.status]:
            raise RunNotEditable(
                _("A run that is %(status)s cannot become %(to)s.") % {"status": run.get_status_display(),
                                                                      "to": RunStatus(to_status).label},
                params={"from": run.status, "to": to_status},
            )
        now = timezone.now()
        previous, run.status = run.status, to_status
        fields = ["status"]
        if to_status == RunStatus.REVIEWED:
            run.reviewed_by, run.reviewed_at = actor, now
            fields += ["reviewed_by", "reviewed_at"]
        elif to_status == RunStatus.APPROVED:
            run.approved_by, run.approved_at = actor, now
            fields += ["approved_by", "approved_at"]
        elif to_status == RunStatus.DRAFT:
            run.reviewed_by = run.reviewed_at = None
            fields += ["reviewed_by", "reviewed_at"]
        run.save(update_fields=fields)
        _record(run, from_status=previous, to_status=to_status, actor=actor, reason=reason, now=now)
    return run


def _compute_lines(run: PayoutRun) -> dict:
    """Bring the run's lines in line with the records: create, update only what changed, delete lines
    of companies no longer concerned. Running it twice changes nothing the second time."""
    wanted = {inputs.company_id: _line_fields(inputs, run) for inputs in selectors.line_inputs_by_company(year=run.year)}
    existing = {line.company_id: line for line in run.lines.all()}
    created, changed = [], []
    for company_id, fields in wanted.items():
        line = existing.get(company_id)
        if line is None:
            created.append(PayoutLine(run=run, company_id=company_id, **fields))
        elif any(getattr(line, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(line, name, value)
            changed.append(line)
    gone = [line.pk for company_id, line in existing.items() if company_id not in wanted]
    PayoutLine.objects.bulk_create(created, batch_size=2000)
    if changed:
        PayoutLine.objects.bulk_update(changed, LINE_FIELDS, batch_size=2000)
    if gone:
        PayoutLine.objects.filter(pk__in=gone).delete()
    values = wanted.values()
    run.line_count = len(wanted)
    run.total_volume = sum((f["volume"] for f in values), ZERO)
    run.total_subsidy = sum((f["subsidy"] for f in values), ZERO)
    run.total_reward = sum((f["reward"] for f in values), ZERO)
    run.total_amount = sum((f["total"] for f in values), ZERO)
    run.computed_at = timezone.now()
    run.save(update_fields=["line_count", "total_volume", "total_subsidy", "total_reward", "total_amount", "computed_at"])
    return {"created": len(created), "changed": len(changed), "removed": len(gone)}


def payout_run_start(*, year: int, actor) -> PayoutRun:
    """A finance officer starts the run of a fiscal year: the year's policy values are copied into the
    run and one line per company is computed. One run per year."""
    _require_finance(actor)
    if year >= timezone.localdate().year:
        raise RunInvalid(_("The %(year)s fiscal year has not ended; a run can be started from 1 January %(next)s.")
                         % {"year": year, "next": year + 1}, params={"year": year})
    policy = policy_for_year(year=year)
    with transaction.atomic():
        if PayoutRun.objects.filter(year=year).exists():
            raise RunInvalid(_("A payout run for %(year)s already exists.") % {"year": year}, params={"year": year})
        now = timezone.now()
        run = PayoutRun.objects.create(
            year=year, subsidy_rate=policy.subsidy_rate, reward_rate=policy.reward_rate,
            satisfaction_target=policy.satisfaction_target, started_by=actor, started_at=now, computed_at=now,
        )
        _compute_lines(run)
        _record(run, from_status="", to_status=RunStatus.DRAFT, actor=actor, reason=_("started"), now=now)
    return run


def payout_run_recompute(*, run: PayoutRun, actor) -> dict:
    """Recompute a draft run from the records (and the policy as it now stands: a draft is not yet a
    promise). Idempotent: with nothing changed in the records it changes nothing."""
    _require_finance(actor)
    with transaction.atomic():
        run = PayoutRun.objects.select_for_update().get(pk=run.pk)
        if not run.is_draft:
            raise RunNotEditable(_("Only a draft run can be recomputed; this one is %(status)s.")
                                 % {"status": run.get_status_display()}, params={"status": run.status})
        policy = policy_for_year(year=run.year)
        run.subsidy_rate, run.reward_rate = policy.subsidy_rate, policy.reward_rate
        run.satisfaction_target = policy.satisfaction_target
        run.save(update_fields=["subsidy_rate", "reward_rate", "satisfaction_target"])
        result = _compute_lines(run)
        _record(run, from_status=run.status, to_status=run.status, actor=actor,
                reason=_("recomputed: %(created)s new, %(changed)s changed, %(removed)s removed lines") % result)
    return result


def payout_run_review(*, run: PayoutRun, actor) -> PayoutRun:
    _require_finance(actor)
    return payout_run_transition(run=run, to_status=RunStatus.REVIEWED, actor=actor, reason=_("reviewed"))


def payout_run_send_back(*, run: PayoutRun, actor, reason: str) -> PayoutRun:
    _require_finance(actor)
    if not (reason or "").strip():
        raise RunInvalid(_("Say why the run goes back to draft."))
    return payout_run_transition(run=run, to_status=RunStatus.DRAFT, actor=actor, reason=reason.strip())


def payout_run_approve(*, run: PayoutRun, actor) -> PayoutRun:
    """Approval by a second finance officer (not the one who started the run). From now on the run is
    immutable; what each company is owed is booked in the ledger (one accrual per line)."""
    _require_finance(actor)
    if run.started_by_id == actor.pk:
        raise SameOfficer(_("You started this run; another finance officer must approve it."))
    with transaction.atomic():
        run = payout_run_transition(run=run, to_status=RunStatus.APPROVED, actor=actor, reason=_("approved"))
        now = timezone.now()
        SubsidyLedgerEntry.objects.bulk_create(
            [SubsidyLedgerEntry(run=run, line_id=pk, company_id=company_id, kind=LedgerKind.ACCRUAL, amount=total,
                                created_by=actor, created_at=now, reason=_("approved run %(year)s") % {"year": run.year})
             for pk, company_id, total in run.lines.values_list("pk", "company_id", "total")],
            batch_size=2000,
        )
    _run_mark_paid_if_done(run=run, actor=actor)
    return run


# --- ledger adjustments ----------------------------------------------------------------------------


def payout_line_adjust(*, line: PayoutLine, amount, reason: str, actor, corrects: SubsidyLedgerEntry | None = None
                       ) -> SubsidyLedgerEntry:
    """A correction to an approved line: a new ledger entry (positive: owed more; negative: owed less)
    naming the line and the reason. The run and its lines never change."""
    _require_finance(actor)
    text = str(amount).strip()
    negative = text.startswith("-")
    value = parse_amount(text[1:] if negative else text, field=_("adjustment"))
    value = -value if negative else value
    reason = (reason or "").strip()
    if value == 0:
        raise AdjustmentInvalid(_("An adjustment must not be ¥0.00."))
    if not reason:
        raise AdjustmentInvalid(_("Give the reason for the adjustment."))
    if not line.run.is_approved:
        raise AdjustmentInvalid(_("Only lines of an approved run are adjusted; recompute a draft instead."))
    if corrects is not None and corrects.line_id != line.pk:
        raise AdjustmentInvalid(_("The corrected entry belongs to another line."))
    owed = selectors.line_owed(line=line)
    if owed + value < 0:
        raise AdjustmentInvalid(
            _("This adjustment (%(amount)s) would make %(owed)s owed negative.") % {"amount": format_cny(value), "owed": format_cny(owed)},
            params={"amount": value, "owed": owed},
        )
    return SubsidyLedgerEntry.objects.create(
        run=line.run, line=line, company_id=line.company_id, kind=LedgerKind.ADJUSTMENT, amount=value.quantize(FEN),
        reason=reason, corrects=corrects, created_by=actor, created_at=timezone.now(),
    )


# --- paying ----------------------------------------------------------------------------------------


def payout_reference(line: PayoutLine) -> str:
    """Our reference of a line's payout attempt: SUB<year>L<line id>A<attempt> (the bank file, WeChat's
    out_batch_no, Stripe's idempotency key)."""
    return f"SUB{line.run.year}L{line.pk}A{line.payout_attempt}"


def _book_paid(*, line_pk: int, actor, provider_reference: str, amount: Decimal, now) -> None:
    """Mark paid (only from 'processing') and book the payout entry (unique per line)."""
    updated = PayoutLine.objects.filter(pk=line_pk, payout_state=PayoutState.PROCESSING).update(
        payout_state=PayoutState.PAID, paid_at=now, paid_by=actor, provider_reference=provider_reference, payout_failure="")
    if updated != 1:
        raise AlreadyPaid(_("This line has already been paid."))
    line = PayoutLine.objects.select_related("run").get(pk=line_pk)
    SubsidyLedgerEntry.objects.create(run=line.run, line=line, company_id=line.company_id, kind=LedgerKind.PAYOUT,
                                      amount=amount, created_by=actor, created_at=now,
                                      reason=f"{line.get_paid_via_display()} {provider_reference}")


def payout_line_pay(*, line: PayoutLine, method: str, actor, reference: str = "", gateway=None) -> PayoutLine:
    """Pay one line of an approved run, once. ``bank``: record the bank's confirmation of the transfer
    file (``reference`` = the bank's transaction number). ``wechat`` / ``stripe``: send it through the
    payout gateway. The line is claimed by a conditional update (unpaid/failed → processing), so two
    clicks, two officers or a retry cannot pay it twice; the ledger allows one payout entry per line."""
    _require_finance(actor)
    if method not in PayoutMethod.values:
        raise PayoutInvalid(_("Unknown payout method %(method)r.") % {"method": method})
    line = PayoutLine.objects.select_related("run", "company").get(pk=line.pk)
    if not line.run.is_approved:
        raise PayoutInvalid(_("Only lines of an approved run can be paid."))
    if line.payout_state in (PayoutState.PAID, PayoutState.PROCESSING):
        raise AlreadyPaid(_("This line has already been paid (%(state)s).") % {"state": line.get_payout_state_display()})
    amount = selectors.line_due(line=line)
    if amount <= 0:
        raise PayoutInvalid(_("Nothing is due on this line (%(amount)s).") % {"amount": format_cny(amount)})
    reference = (reference or "").strip()
    if method == PayoutMethod.BANK and not reference:
        raise PayoutInvalid(_("Enter the bank's transaction number of the transfer."))
    account = PayoutAccount.objects.filter(company=line.company).first()
    now = timezone.now()
    ours = payout_reference(line)
    claimed = PayoutLine.objects.filter(pk=line.pk, payout_state__in=(PayoutState.UNPAID, PayoutState.FAILED)).update(
        payout_state=PayoutState.PROCESSING, paid_via=method, payout_reference=ours, payout_started_at=now)
    if claimed != 1:
        raise AlreadyPaid(_("This line has already been paid."))
    if method == PayoutMethod.BANK:
        with transaction.atomic():
            _book_paid(line_pk=line.pk, actor=actor, provider_reference=reference, amount=amount, now=now)
        _run_mark_paid_if_done(run=line.run, actor=actor)
        return PayoutLine.objects.get(pk=line.pk)
    from subsidies.gateways import gateway_for

    try:
        gateway = gateway or gateway_for(method)
        result = gateway.transfer(reference=ours, amount=amount, account=account, line=line)
    except PayoutGatewayError as exc:
        # Unknown outcome (not reached) → back to unpaid, same reference next time (the provider
        # deduplicates); a definite refusal → failed, a new reference next time.
        definite = exc.params.get("definite", False)
        PayoutLine.objects.filter(pk=line.pk, payout_state=PayoutState.PROCESSING).update(
            payout_state=PayoutState.FAILED if definite else PayoutState.UNPAID, payout_failure=str(exc.message),
            payout_attempt=line.payout_attempt + (1 if definite else 0),
            payout_reference="" if definite else ours)
        raise
    _apply_transfer_result(line=line, result=result, actor=actor, amount=amount)
    return PayoutLine.objects.get(pk=line.pk)


def _apply_transfer_result(*, line: PayoutLine, result, actor, amount: Decimal) -> None:
    if result.status == "paid":
        with transaction.atomic():
            _book_paid(line_pk=line.pk, actor=actor, provider_reference=result.provider_reference, amount=amount,
                       now=result.occurred_at or timezone.now())
        _run_mark_paid_if_done(run=line.run, actor=actor)
    elif result.status == "pending":
        PayoutLine.objects.filter(pk=line.pk).update(provider_reference=result.provider_reference)
    else:
        PayoutLine.objects.filter(pk=line.pk, payout_state=PayoutState.PROCESSING).update(
            payout_state=PayoutState.FAILED, payout_failure=result.failure, payout_attempt=line.payout_attempt + 1,
            payout_reference="")


def payout_line_refresh(*, line: PayoutLine, actor, gateway=None) -> PayoutLine:
    """Ask the provider about a transfer still in progress, and book it if it arrived. A finance
    officer ("Check now") or the system actor (the beat task ``payouts_refresh_processing``), who is then
    the one recorded as having booked the payout."""
    _require_finance(actor, allow_system=True)
    line = PayoutLine.objects.select_related("run").get(pk=line.pk)
    if line.payout_state != PayoutState.PROCESSING or line.paid_via == PayoutMethod.BANK:
        return line
    from subsidies.gateways import gateway_for

    gateway = gateway or gateway_for(line.paid_via)
    result = gateway.fetch(reference=line.payout_reference, line=line)
    _apply_transfer_result(line=line, result=result, actor=actor, amount=selectors.line_due(line=line))
    return PayoutLine.objects.get(pk=line.pk)


def payout_run_bank_paid(*, run: PayoutRun, actor, bank_reference: str) -> int:
    """Record that the bank carried out the run's transfer file: every unpaid line with money due is
    paid by bank with ``bank_reference`` (the batch number) and its line number. Returns lines paid."""
    _require_finance(actor)
    if not (bank_reference or "").strip():
        raise PayoutInvalid(_("Enter the bank's batch number of the transfer file."))
    paid = 0
    for line in run.lines.filter(payout_state__in=(PayoutState.UNPAID, PayoutState.FAILED), total__gt=0):
        try:
            payout_line_pay(line=line, method=PayoutMethod.BANK, actor=actor, reference=f"{bank_reference.strip()}-{line.pk}")
            paid += 1
        except (AlreadyPaid, PayoutInvalid):
            continue
    return paid


def _run_mark_paid_if_done(*, run: PayoutRun, actor) -> None:
    run.refresh_from_db()
    if run.status != RunStatus.APPROVED:
        return
    open_lines = run.lines.filter(total__gt=0).exclude(payout_state=PayoutState.PAID)
    if not open_lines.exists():
        payout_run_transition(run=run, to_status=RunStatus.PAID, actor=actor, reason=_("every line paid"))


# --- budgets and accounts --------------------------------------------------------------------------


def subsidy_budget_set(*, year: int, amount, actor, note: str = "") -> SubsidyBudget:
    _require_finance(actor)
    value = parse_amount(amount, field=_("budget"))
    budget, _created = SubsidyBudget.objects.update_or_create(
        year=year, defaults={"amount": value, "note": note.strip(), "set_by": actor, "set_at": timezone.now()})
    return budget


_BANK_ACCOUNT = re.compile(r"^[0-9]{8,32}$")
_OPENID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_STRIPE_ACCOUNT = re.compile(r"^acct_[A-Za-z0-9]{1,59}$")


def payout_account_fields_check(*, account_name: str, bank_name: str = "", bank_account: str = "",
                                wechat_openid: str = "", stripe_account: str = "") -> dict:
    """The rules of a payout account; returns the cleaned fields or refuses the first wrong one
    (``params["field"]``). A holder's name; at least one place the money can go; a bank account is
    8–32 digits (spaces allowed when typing, not kept) and needs its bank; a WeChat openid is 8–64
    letters, digits, ``-`` or ``_``; a Stripe connected account is ``acct_…``."""
    def refuse(field: str, message) -> PayoutAccountInvalid:
        return PayoutAccountInvalid(message, params={"field": field})

    fields = {
        "account_name": (account_name or "").strip(), "bank_name": (bank_name or "").strip(),
        "bank_account": re.sub(r"[\s-]", "", bank_account or ""), "wechat_openid": (wechat_openid or "").strip(),
        "stripe_account": (stripe_account or "").strip(),
    }
    if not fields["account_name"]:
        raise refuse("account_name", _("Enter the account holder's name."))
    if len(fields["account_name"]) > 200 or len(fields["bank_name"]) > 200:
        raise refuse("account_name" if len(fields["account_name"]) > 200 else "bank_name",
                     _("At most 200 characters."))
    if fields["bank_account"] and not _BANK_ACCOUNT.match(fields["bank_account"]):
        raise refuse("bank_account", _("A bank account number is 8 to 32 digits."))
    if fields["bank_account"] and not fields["bank_name"]:
        raise refuse("bank_name", _("Enter the bank (and branch) of the account."))
    if fields["bank_name"] and not fields["bank_account"]:
        raise refuse("bank_account", _("Enter the bank account number."))
    if fields["wechat_openid"] and not _OPENID.match(fields["wechat_openid"]):
        raise refuse("wechat_openid", _("A WeChat openid is 8 to 64 letters, digits, “-” or “_”."))
    if fields["stripe_account"] and not _STRIPE_ACCOUNT.match(fields["stripe_account"]):
        raise refuse("stripe_account", _("A Stripe connected account looks like acct_1032D82eZvKYlo2C."))
    if not (fields["bank_account"] or fields["wechat_openid"] or fields["stripe_account"]):
        raise refuse("bank_account", _("Give at least one place the money can go: a bank account, a WeChat openid "
                                        "or a Stripe connected account."))
    return fields


def payout_account_set(*, company, actor, account_name: str, bank_name: str = "", bank_account: str = "",
                       wechat_openid: str = "", stripe_account: str = "", reason: str = "") -> PayoutAccount:
    """Set where a company's subsidy is paid: by the company's own staff (their portal) or by finance
    (or an administrator). Checked by ``payout_account_fields_check``; nothing is written when the values
    are unchanged; every change keeps a history row naming who made it and why."""
    if not (has_role(actor, Role.FINANCE_OFFICER, Role.ADMINISTRATOR) or company.partner.users.filter(pk=actor.pk).exists()):
        raise PayoutInvalid(_("Only the company's staff or finance can set its payout account."))
    fields = payout_account_fields_check(account_name=account_name, bank_name=bank_name, bank_account=bank_account,
                                         wechat_openid=wechat_openid, stripe_account=stripe_account)
    with transaction.atomic():
        account = PayoutAccount.objects.select_for_update().filter(company=company).first()
        if account is not None and all(getattr(account, name) == value for name, value in fields.items()):
            return account
        account = account or PayoutAccount(company=company)
        for name, value in fields.items():
            setattr(account, name, value)
        account._history_user = actor
        account._change_reason = ((reason or "").strip() or _("set by %(who)s") % {"who": actor})[:100]
        account.save()
    return account
