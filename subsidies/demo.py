"""The demo county's closed fiscal year 2025, so a finance officer can run, have approved, pay and
export a year-end subsidy run (a run is only allowed once its year has ended; the demo city itself is
the 2026 contract year). Called by ``manage.py demo_subsidy_year`` after ``load_demo_city``.

What it adds (deterministic: ``random.Random`` seeded per step; idempotent: every piece is found by a
stable key and only written when missing, so a second run writes nothing; one transaction):

- **2025 agreements** for 30 of the 32 contracted companies (companies 31 and 32 joined in 2026; 27 and
  30 joined on 1 July 2025), each renewed by its 2026 agreement (``renews``), with a history row.
- **A company struck off in 2025**: 邵武市速洁家政服务有限公司 (company 35) is admitted and contracted in
  January 2025 through the providers services, and removed (解约) in October when its third complaint is
  upheld through the ratings services (``complaint_decide`` → ``complaint_limit_enforce``). It stays removed.
- **About 350 completed jobs** from January to December, each with the rows the services write: the
  request and its status history (submitted → matching → offered → accepted → on the way → in service →
  completed → closed), the accepted offer, the payment (WeChat Pay confirmed by a status check, or cash
  recorded by the company and confirmed by the resident or an agent) with its status history and its
  charge in the payments ledger, the call-back (answered, or closed unreached after the policy's tries)
  with its attempts, the rating where the resident rated, the rating reminder where one was due, and two
  refunds (a booked refund entry each). Satisfaction is planned per company so the 2025 run shows every
  reason: most companies at or above the 90% target, company 13 exactly at it (18 of 20), five below,
  company 23 never judged, company 30 without a job (¥0.00), company 7 with one upheld complaint (still
  eligible), company 35 removed; company 2 has a rejected complaint.
- **Payout accounts** (bank, some with a WeChat openid) for every company in the run, set by its staff
  through ``payout_account_set``, and a **2025 budget** (``SubsidyBudget``) for the dashboard.

Shortcuts (the services stamp ``timezone.now()``, which cannot be 2025 without a clock-changing library at
run time; ``time_machine`` is only a test dependency):

- The jobs' rows are bulk-created with their 2025 times instead of going through ``request_create``,
  the matcher, the job, payment, call-back and rating services (which would also take minutes). They are
  the rows those services write, with the same states, reasons, ledger keys (``wechat:charge:<transaction
  id>``, ``cash:charge:<our reference>``, ``wechat:refund:<refund id>``) and history; the matcher's
  ``Match`` audit row and in-site notifications about the jobs are not made. WeChat payments are shown as
  confirmed by a status check (no stored ``PaymentNotification``). References are drawn from the seeded
  generator, so the local WeChat Pay fake does not know them: do not reconcile 2025 days.
- Agreements, company 35's admission and complaints go through the services (with ``today=``/``now=``
  where the service takes it); the rows those services stamp with the current time (status changes,
  history rows, notifications, ``created_at``) are re-dated to the day they happened.
- The 2025 agreements' fee schedules copy the 2026 prices (the demo has no 2025 price list); the demo
  companies' admission history still shows their admission on the day the demo city was loaded.
"""
from __future__ import annotations

import datetime
import random
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from marketplace.demo import DEMO_PASSWORD, SEED, demo_email, people
from marketplace.demo import companies as demo_companies
from marketplace.demo.catalogue import company_items
from marketplace.demo.loader import DEMO_PASSWORD_SALT
from marketplace.demo.regions import COMMUNITIES, TOWN_BY_NAME, jitter, nearest_towns
from marketplace.errors import PolicyMissing
from marketplace.models import (
    Region,
    RequestStatus,
    RequestStatusChange,
    ServiceItemProfile,
    ServiceRequest,
    User,
)
from marketplace.money import FEN
from marketplace.payments.models import (
    LedgerKind,
    Payment,
    PaymentLedgerEntry,
    PaymentMethod,
    PaymentRefund,
    PaymentStatus,
    PaymentStatusChange,
    Provider,
    RefundStatus,
)
from marketplace.phones import normalise_phone
from marketplace.roles import Role, role_group
from marketplace.selectors import policy_for_year
from marketplace.services import deadlines_for
from matching.models import Offer
from pricing.selectors import guide_price_for
from pricing.services import contract_price_set
from providers.models import Agreement, Company, CompanyStatus, CompanyStatusChange
from providers.services import company_apply, company_contract, company_transition
from ratings import services as ratings_services
from ratings.models import (
    CallBack,
    CallBackAttempt,
    CallBackOutcome,
    Rating,
    RatingReminder,
)
from subsidies.models import PayoutAccount, SubsidyBudget
from subsidies.services import payout_account_set

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Notification = get_model("communication", "Notification")

YEAR = 2025
KEY_PREFIX = f"demo-{YEAR}-"  # idempotency key of the year's jobs: demo-2025-0001 …
TZ = ZoneInfo("Asia/Shanghai")
REASON = f"演示数据：{YEAR}年度"

# Who is who in 2025 (company numbers of marketplace.demo.companies).
JOINED_IN_2026 = (31, 32)  # no 2025 agreement: not in the 2025 run
JOINED_MID_YEAR = (27, 30)  # agreement from 1 July 2025
WITHOUT_JOBS = (30,)  # a ¥0.00 line
BELOW_TARGET = (3, 9, 15, 20, 25)
EXACTLY_AT_TARGET = 13  # 18 of 20 judged jobs satisfied: exactly 0.90 meets the target
NOT_JUDGED = 23  # jobs paid, none rated, every call-back unreached
ONE_UPHELD = 7  # one upheld complaint, still above the target
REJECTED = 2  # a complaint that was rejected (never counts)
REFUNDED = 9  # one of its jobs partly refunded
REMOVED = 35  # 邵武市速洁家政服务有限公司: removed in October 2025 for three upheld complaints
REMOVED_COMPANY = {
    "legal_name": "邵武市速洁家政服务有限公司", "categories": ["housekeeping"], "town": "通泰街道", "contact": "江春华",
    "applied": datetime.datetime(2025, 1, 3, 9, 20, tzinfo=TZ), "inspected": datetime.datetime(2025, 1, 6, 14, 0, tzinfo=TZ),
    "approved": datetime.datetime(2025, 1, 10, 10, 30, tzinfo=TZ), "signed": datetime.datetime(2025, 1, 15, 10, 0, tzinfo=TZ),
}
BUDGET = Decimal("15000.00")
BANKS = ["中国农业银行邵武市支行", "中国建设银行邵武支行", "福建邵武农村商业银行营业部", "中国工商银行邵武支行",
         "中国银行邵武支行", "中国邮政储蓄银行邵武市支行"]

_PHRASES = ["请尽快上门", "老人在家，请提前电话联系", "下午在家", "上次服务不错，再约一次", "家里有小孩，请注意安全",
            "楼道较窄，请带好工具", "周末也可以", "麻烦师傅准时到"]
_GOOD_COMMENTS = ["师傅很准时，活干得仔细", "服务周到，价格公道", "态度好，干活麻利", "很满意，下次还找他们", ""]
_BAD_COMMENTS = ["迟到了一个多小时", "活干得马虎，还要返工", "收费和说的不一样", "态度一般", ""]
_CALL_NOTES = {
    CallBackOutcome.SATISFIED: "居民表示满意", CallBackOutcome.BASICALLY_SATISFIED: "居民表示基本满意，希望更准时",
    CallBackOutcome.DISSATISFIED: "居民表示不满意，已记录",
}


class DemoCityMissing(Exception):
    """The demo city (its users, companies and policies) is not loaded."""


@dataclass
class SubsidyYearDemo:
    writes: Counter = field(default_factory=Counter)

    @property
    def created(self) -> bool:
        return bool(self.writes)


def subsidy_year_demo_load() -> SubsidyYearDemo:
    """Give the demo county a closed 2025 fiscal year (see the module docstring). Safe to run again."""
    result = SubsidyYearDemo()
    with transaction.atomic():
        _Year(result.writes).run()
    return result


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


@contextmanager
def _dated(when: datetime.datetime, *targets):
    """The rows of ``(model, field)`` the wrapped service call writes get ``when`` in ``field`` (instead of
    the current time the service or ``auto_now_add`` stamped)."""
    marks = [(model, name, model._base_manager.aggregate(last=Max("pk"))["last"] or 0) for model, name in targets]
    yield
    for model, name, last in marks:
        model._base_manager.filter(pk__gt=last).update(**{name: when})


@dataclass
class _Job:
    number: int
    company: Company
    staff: User
    resident: User
    created_by: User
    channel: str
    product: object
    final_price: Decimal
    address: str
    community: Region
    latitude: Decimal
    longitude: Decimal
    raised_at: datetime.datetime
    verdict: bool | None  # satisfied / not / not judged
    key: str = ""
    description: str = ""
    request: ServiceRequest | None = None
    completed_at: datetime.datetime | None = None
    closed_at: datetime.datetime | None = None
    payment: Payment | None = None
    force_wechat: bool = False


class _Year:
    def __init__(self, writes: Counter):
        self.writes = writes
        users = {user.email: user for user in User.objects.filter(
            email__in=[demo_email(name) for name in ("admin", "agent", "finance")])}
        try:
            self.admin, self.agent = users[demo_email("admin")], users[demo_email("agent")]
            self.finance = users[demo_email("finance")]
        except KeyError:
            raise DemoCityMissing("load the demo city first: manage.py load_demo_city") from None
        try:
            self.policy = policy_for_year(year=YEAR)
        except PolicyMissing:
            raise DemoCityMissing(f"no {YEAR} policy: load the demo city first") from None
        self.companies = {
            data["number"]: Company.objects.filter(credit_code=data["fields"]["credit_code"]).select_related("partner").first()
            for data in demo_companies.COMPANIES if data["status"] == demo_companies.CONTRACTED
        }
        if not all(self.companies.values()):
            raise DemoCityMissing("load the demo city first: manage.py load_demo_city")

    def run(self) -> None:
        self.agreements()
        self.removed_company()
        self.payout_accounts()
        jobs = self.jobs()
        if jobs:  # written in this run (in the same transaction as the jobs, so never half done)
            self.complaints(jobs)
        self.budget()

    # --- agreements ---------------------------------------------------------------------------

    def in_run(self) -> dict[int, Company]:
        """The companies with a 2025 agreement, by number (company 35 included once it exists)."""
        found = {number: company for number, company in self.companies.items() if number not in JOINED_IN_2026}
        removed = Company.objects.filter(credit_code=demo_companies.credit_code(REMOVED)).select_related("partner").first()
        if removed is not None:
            found[REMOVED] = removed
        return found

    def agreements(self) -> None:
        for number, company in sorted(self.companies.items()):
            if number in JOINED_IN_2026:
                continue
            if company.agreements.filter(term_start__year=YEAR).exists():
                continue
            start = datetime.date(YEAR, 7, 1) if number in JOINED_MID_YEAR else datetime.date(YEAR, 1, 1)
            signed_on = start - datetime.timedelta(days=12)
            current = company.agreements.filter(term_start=datetime.date(YEAR + 1, 1, 1)).first()
            signed_at = _at(signed_on, 10)
            agreement = Agreement(
                company=company, term_start=start, term_end=datetime.date(YEAR, 12, 31), signed_on=signed_on,
                service_hours=current.service_hours if current else "08:00–20:00，全年无休",
                service_norms=demo_companies.AGREEMENT["service_norms"],
                dispute_handling=demo_companies.AGREEMENT["dispute_handling"],
                legal_liability=demo_companies.AGREEMENT["legal_liability"],
                fee_schedule=dict(current.fee_schedule) if current else {}, created_by=self.admin,
            )
            agreement._history_user, agreement._change_reason, agreement._history_date = self.admin, REASON, signed_at
            agreement.full_clean()
            agreement.save()
            Agreement.objects.filter(pk=agreement.pk).update(created_at=signed_at)
            self.writes["2025 agreements"] += 1
            if current is not None and current.renews_id is None:
                current.renews = agreement
                current._history_user, current._change_reason = self.admin, f"{REASON}：续签"
                current._history_date = _at(datetime.date(YEAR, 12, 20), 10)
                current.save(update_fields=["renews"])
                self.writes["renewals linked"] += 1

    # --- the company removed in 2025 ------------------------------------------------------------

    def removed_company(self) -> None:
        code = demo_companies.credit_code(REMOVED)
        if Company.objects.filter(credit_code=code).exists():
            return
        rng = random.Random(f"{SEED}:subsidy-year-{YEAR}:company-{REMOVED}")
        data, town = REMOVED_COMPANY, TOWN_BY_NAME[REMOVED_COMPANY["town"]]
        staff = User.objects.filter(email=demo_email(f"company{REMOVED}")).first()
        if staff is None:
            staff = User.objects.create(
                email=demo_email(f"company{REMOVED}"), phone=normalise_phone(f"1385078{REMOVED:04d}"),
                last_name=data["contact"][0], first_name=data["contact"][1:],
                password=make_password(DEMO_PASSWORD, salt=DEMO_PASSWORD_SALT))
            staff.groups.add(role_group(Role.COMPANY_STAFF))
            User.objects.filter(pk=staff.pk).update(date_joined=data["applied"])
        regions = {region.code: region for region in Region.objects.filter(
            code__in=[town["code"], *nearest_towns(town["code"], 2)])}
        history = (CompanyStatusChange, "changed_at")
        with _dated(data["applied"], history):
            company = company_apply(applicant=staff, categories=list(Category.objects.filter(code__in=data["categories"])),
                                    service_regions=list(regions.values()), fields={
                "legal_name": data["legal_name"], "credit_code": code, "licence_number": f"邵市监字2025第{REMOVED:05d}号",
                "contact_name": data["contact"], "contact_phone": f"0599-6{rng.randint(100000, 999999)}",
                "base_latitude": jitter(town["latitude"], rng, degrees=Decimal("0.008")),
                "base_longitude": jitter(town["longitude"], rng, degrees=Decimal("0.008")),
                "base_region": regions[town["code"]], "service_radius_km": Decimal("10.00"),
                "opens_at": datetime.time(8, 0), "closes_at": datetime.time(20, 0), "capacity": 4,
            })
        Company.objects.filter(pk=company.pk).update(created_at=data["applied"])
        with _dated(data["inspected"], history):
            company_transition(company=company, to_status=CompanyStatus.UNDER_INSPECTION, actor=self.admin, reason=REASON,
                               today=data["inspected"].date())
        with _dated(data["approved"], history):
            company_transition(company=company, to_status=CompanyStatus.APPROVED, actor=self.admin, reason=REASON,
                               today=data["approved"].date())
        with _dated(data["approved"], (StockRecord.history.model, "history_date")):
            for product in Product.objects.filter(upc__in=company_items(data["categories"])).order_by("upc"):
                guide = guide_price_for(product_id=product.pk, region=company.base_region)
                if guide is None:
                    continue
                contract_price_set(partner=company.partner, product=product, actor=self.admin,
                                   price=demo_companies.contract_price(guide.guide_price, rng.randint(0, 5)),
                                   reason=f"{REASON}：签约价格")
        with _dated(data["signed"], history, (Agreement, "created_at"), (Agreement.history.model, "history_date")):
            company_contract(company=company, actor=self.admin, today=data["signed"].date(), reason=REASON,
                             agreement_fields={**demo_companies.AGREEMENT, "term_start": data["signed"].date(),
                                               "term_end": datetime.date(YEAR, 12, 31), "signed_on": data["signed"].date(),
                                               "service_hours": "08:00–20:00，全年无休"})
        self.writes["companies admitted in 2025"] += 1

    # --- payout accounts ------------------------------------------------------------------------

    def payout_accounts(self) -> None:
        rng = random.Random(f"{SEED}:subsidy-year-{YEAR}:accounts")
        have = set(PayoutAccount.objects.values_list("company_id", flat=True))
        for number, company in sorted(self.in_run().items()):
            digits = "".join(str(rng.randint(0, 9)) for _ in range(15))
            openid = "o" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
                                   for _ in range(27))
            if company.pk in have:
                continue
            staff = company.partner.users.order_by("pk").first()
            when = _at(datetime.date(YEAR, 1, 20) if number not in JOINED_MID_YEAR else datetime.date(YEAR, 7, 3), 15, number)
            with _dated(when, (PayoutAccount.history.model, "history_date")):
                account = payout_account_set(
                    company=company, actor=staff, account_name=company.legal_name, bank_name=BANKS[number % len(BANKS)],
                    bank_account=f"3508{number:02d}{digits[:13]}", wechat_openid=openid if number % 4 == 0 else "",
                    reason=REASON)
            PayoutAccount.objects.filter(pk=account.pk).update(updated_at=when)
            self.writes["payout accounts"] += 1

    # --- jobs -----------------------------------------------------------------------------------

    def jobs(self) -> list[_Job]:
        if ServiceRequest.objects.filter(idempotency_key__startswith=KEY_PREFIX).exists():
            return []
        jobs = self.plan()
        _JobWriter(self, jobs).write()
        return jobs

    def plan(self) -> list[_Job]:
        rng = random.Random(f"{SEED}:subsidy-year-{YEAR}:jobs")
        users = {user.phone: user for user in User.objects.filter(
            phone__in=[normalise_phone(r["phone"]) for r in people.RESIDENTS])}
        communities = {region.code: region for region in Region.objects.filter(code__in=[c["code"] for c in COMMUNITIES])}
        town_of = {c["code"]: c["parent_code"] for c in COMMUNITIES}
        residents_by_town: dict[str, list[dict]] = {}
        for resident in people.RESIDENTS:
            residents_by_town.setdefault(town_of[resident["community_code"]], []).append(resident)
        units = dict(ServiceItemProfile.objects.values_list("product_id", "unit"))
        jobs: list[_Job] = []
        for number, company in sorted(self.in_run().items()):
            if number in WITHOUT_JOBS:
                continue
            stock = list(StockRecord.objects.filter(partner=company.partner).select_related("product").order_by("product__upc"))
            if not stock:
                continue
            staff = company.partner.users.order_by("pk").first()
            towns = list(company.service_regions.order_by("code").values_list("code", flat=True))
            pool = [r for code in towns for r in residents_by_town.get(code, [])] or list(people.RESIDENTS)
            count = {EXACTLY_AT_TARGET: 22, ONE_UPHELD: 14, REMOVED: 12}.get(number, rng.randint(8, 16))
            verdicts = self.verdicts(number, count, rng)
            first, last = datetime.date(YEAR, 1, 2), datetime.date(YEAR, 12, 28)
            if number in JOINED_MID_YEAR:
                first = datetime.date(YEAR, 7, 2)
            if number == REMOVED:
                first, last = datetime.date(YEAR, 1, 16), datetime.date(YEAR, 9, 26)
            span = (last - first).days
            days = sorted(first + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count))
            if number == REMOVED:
                days[-1] = last  # the job of the third complaint is its last
            for day, verdict in zip(days, verdicts, strict=True):
                resident_data = rng.choice(pool)
                record = rng.choice(stock)
                unit = units.get(record.product_id)
                quantity = {ServiceItemProfile.Unit.HOUR: rng.randint(2, 4), ServiceItemProfile.Unit.SQUARE_METRE: rng.randint(10, 60),
                            ServiceItemProfile.Unit.PIECE: rng.randint(1, 3)}.get(unit, 1)
                channel = rng.choices([ServiceRequest.Channel.WEB, ServiceRequest.Channel.APP, ServiceRequest.Channel.HOTLINE],
                                      weights=[5, 3, 2])[0]
                resident = users[normalise_phone(resident_data["phone"])]
                community = communities[resident_data["community_code"]]
                jobs.append(_Job(
                    number=number, company=company, staff=staff, resident=resident, channel=channel,
                    created_by=self.agent if channel == ServiceRequest.Channel.HOTLINE else resident,
                    product=record.product, final_price=(record.price * quantity).quantize(FEN),
                    address=resident_data["address"], community=community, latitude=community.latitude,
                    longitude=community.longitude, verdict=verdict,
                    raised_at=_at(day, rng.randint(8, 16), rng.randint(0, 59)),
                    description=f"{record.product.title}：{rng.choice(_PHRASES)}",
                ))
        jobs.sort(key=lambda job: (job.raised_at, job.number))
        for index, job in enumerate(jobs, start=1):
            job.key = f"{KEY_PREFIX}{index:04d}"
        chosen = self.complaint_jobs(jobs)
        for key in ("removed-1", "refunded"):  # refunded through WeChat Pay
            chosen[key].force_wechat = True
        return jobs

    @staticmethod
    def verdicts(number: int, count: int, rng: random.Random) -> list[bool | None]:
        """How each of the company's jobs is judged, planned so its line lands where the demo wants it."""
        if number == NOT_JUDGED:
            return [None] * count
        if number == EXACTLY_AT_TARGET:
            judged, satisfied = 20, 18
        else:
            judged = count - (1 if number in (ONE_UPHELD, REMOVED) else rng.randint(0, 2))
            if number in BELOW_TARGET:
                satisfied = int(judged * rng.uniform(0.6, 0.85))
            elif number == REMOVED:
                satisfied = int(judged * rng.uniform(0.5, 0.7))
            else:
                satisfied = judged - rng.randint(1 if number == ONE_UPHELD else 0, max(judged // 10, 1 if number == ONE_UPHELD else 0))
        verdicts = [True] * satisfied + [False] * (judged - satisfied) + [None] * (count - judged)
        rng.shuffle(verdicts)
        if number == REMOVED and verdicts[-1] is not False:  # its last job is complained about
            swap = verdicts.index(False)
            verdicts[swap], verdicts[-1] = verdicts[-1], verdicts[swap]
        return verdicts

    # --- complaints (through the ratings services) ----------------------------------------------

    @staticmethod
    def complaint_jobs(jobs: list[_Job]) -> dict[str, _Job]:
        """The jobs complained about, by what happened: company 35's three (the last one removes it), company
        7's one, company 2's rejected one; and the refunded job of company 9."""
        def unhappy(number: int) -> list[_Job]:
            return [job for job in jobs if job.number == number and job.verdict is False]

        removed = unhappy(REMOVED)
        chosen = {"removed-1": removed[0], "removed-2": removed[len(removed) // 2], "removed-3": removed[-1]}
        for key, number in (("upheld", ONE_UPHELD), ("rejected", REJECTED), ("refunded", REFUNDED)):
            candidates = unhappy(number) or [job for job in jobs if job.number == number]
            chosen[key] = candidates[len(candidates) // 2]
        return chosen

    def complaints(self, jobs: list[_Job]) -> None:
        chosen = self.complaint_jobs(jobs)
        plan = [
            ("removed-1", "overcharge", "师傅收费比平台价格高，多收了钱", "已核实，多收部分退还居民", True),
            ("removed-2", "late", "约好上午九点，师傅下午才到", "企业承认迟到，已批评教育", True),
            ("removed-3", "quality", "保洁做得很马虎，厨房根本没打扫", "现场照片属实，服务质量不合格", True),
            ("upheld", "attitude", "师傅态度很差，说话难听", "经回访核实属实", True),
            ("rejected", "damage", "说师傅碰坏了花瓶", "经核实花瓶原已破损，投诉不成立", False),
        ]
        for key, category, description, reason, upheld in plan:
            request = chosen[key].request
            staff = request.company.partner.users.order_by("pk").first()
            filed = request.completed_at + datetime.timedelta(days=2)
            notices = (Notification, "date_sent")
            with _dated(filed, notices):
                complaint = ratings_services.complaint_file(request=request, filed_by=request.resident, category=category,
                                                            description=description, now=filed)
            responded = filed + datetime.timedelta(hours=20)
            with _dated(responded, notices):
                ratings_services.complaint_respond(complaint=complaint, company=request.company, actor=staff, now=responded,
                                                   response="已联系居民了解情况，正在整改")
            ratings_services.complaint_review_start(complaint=complaint, agent=self.agent, now=responded + datetime.timedelta(hours=1))
            decided = filed + datetime.timedelta(days=3)
            with _dated(decided, notices, (CompanyStatusChange, "changed_at")):
                ratings_services.complaint_decide(complaint=complaint, agent=self.agent, upheld=upheld, reason=reason,
                                                  now=decided)
            self.writes["complaints"] += 1

    # --- budget ---------------------------------------------------------------------------------

    def budget(self) -> None:
        if SubsidyBudget.objects.filter(year=YEAR).exists():
            return  # a finance officer's later change is theirs
        SubsidyBudget.objects.create(year=YEAR, amount=BUDGET, set_by=self.finance, set_at=_at(datetime.date(YEAR, 1, 15), 9, 30),
                                     note="2025年度民生110服务补贴及满意奖励预算（市财政局批复）")
        self.writes["budgets"] += 1


class _JobWriter:
    """Writes the planned jobs in bulk: the rows the request, matching, job, payment, call-back and
    rating services write, with the planned 2025 times."""

    def __init__(self, year: _Year, jobs: list[_Job]):
        self.year, self.jobs, self.writes = year, jobs, year.writes
        self.rng = random.Random(f"{SEED}:subsidy-year-{YEAR}:job-rows")
        self.policy = year.policy
        self.deadlines: dict[int, tuple[datetime.timedelta, datetime.timedelta]] = {}

    def deadline_offsets(self, product) -> tuple[datetime.timedelta, datetime.timedelta]:
        if product.pk not in self.deadlines:
            base = _at(datetime.date(YEAR, 6, 1), 9)
            respond_by, complete_by = deadlines_for(product=product, raised_at=base)
            self.deadlines[product.pk] = (respond_by - base, complete_by - base)
        return self.deadlines[product.pk]

    def write(self) -> None:
        rng, agent = self.rng, self.year.agent
        requests, changes, offers = [], [], []
        for job in self.jobs:
            respond, complete = self.deadline_offsets(job.product)
            offered = job.raised_at + datetime.timedelta(seconds=rng.randint(3, 40))
            accepted = offered + datetime.timedelta(seconds=rng.randint(8, self.policy.offer_window_asap_seconds - 5))
            set_off = accepted + datetime.timedelta(minutes=rng.randint(2, 10))
            arrived = set_off + datetime.timedelta(minutes=rng.randint(12, 45))
            job.completed_at = arrived + datetime.timedelta(minutes=rng.randint(40, 180))
            job.request = ServiceRequest(
                resident=job.resident, product=job.product, description=job.description, answers={}, address=job.address,
                latitude=job.latitude, longitude=job.longitude, region=job.community, as_soon_as_possible=True,
                contact_phone=job.resident.phone, channel=job.channel, status=RequestStatus.CLOSED,
                owner=agent if job.channel == ServiceRequest.Channel.HOTLINE else None, created_by=job.created_by,
                idempotency_key=job.key, company=job.company, final_price=job.final_price,
                response_due_at=job.raised_at + respond, completion_due_at=job.raised_at + complete,
                accepted_at=accepted, completed_at=job.completed_at,
            )
            job.request._times = (offered, accepted, set_off, arrived)
            requests.append(job.request)
        self.callbacks_plan()  # sets closed_at
        for job in self.jobs:
            job.request.closed_at = job.closed_at
        ServiceRequest.objects.bulk_create(requests, batch_size=500)
        for job in self.jobs:
            job.request.created_at = job.raised_at  # auto_now_add stamped the current time
        ServiceRequest.objects.bulk_update(requests, ["created_at"], batch_size=500)
        self.writes["2025 jobs"] += len(requests)

        for job in self.jobs:
            offered, accepted, set_off, arrived = job.request._times
            request, staff, name = job.request, job.staff, job.company.legal_name
            raised_via = _("raised via %(channel)s") % {"channel": job.channel}
            until = offered + datetime.timedelta(seconds=self.policy.offer_window_asap_seconds)
            steps = [
                ("", RequestStatus.SUBMITTED, job.created_by, raised_via, job.raised_at),
                (RequestStatus.SUBMITTED, RequestStatus.MATCHING, job.created_by, str(_("sent to the matcher")), job.raised_at),
                (RequestStatus.MATCHING, RequestStatus.OFFERED, None, _("offered to %(company)s until %(until)s")
                 % {"company": name, "until": until.astimezone(TZ).strftime("%H:%M:%S")}, offered),
                (RequestStatus.OFFERED, RequestStatus.ACCEPTED, staff, _("accepted by %(company)s") % {"company": name}, accepted),
                (RequestStatus.ACCEPTED, RequestStatus.ON_THE_WAY, staff, "", set_off),
                (RequestStatus.ON_THE_WAY, RequestStatus.IN_SERVICE, staff, "", arrived),
                (RequestStatus.IN_SERVICE, RequestStatus.COMPLETED, staff, "", job.completed_at),
                (RequestStatus.COMPLETED, RequestStatus.CLOSED, agent, job.close_reason, job.closed_at),
            ]
            changes += [RequestStatusChange(request=request, from_status=frm, to_status=to, actor=actor, reason=reason,
                                            changed_at=at) for frm, to, actor, reason, at in steps]
            offers.append(Offer(request=request, company=job.company, status=Offer.Status.ACCEPTED, offered_at=offered,
                                expires_at=until, responded_at=accepted, responded_by=staff))
        RequestStatusChange.objects.bulk_create(changes, batch_size=1000)
        Offer.objects.bulk_create(offers, batch_size=1000)
        self.writes["request status changes"] += len(changes)
        self.writes["offers"] += len(offers)
        self.payments()
        self.callbacks()
        self.ratings()

    # --- payments -----------------------------------------------------------------------------

    def reference(self, prefix: str, day: datetime.datetime) -> str:
        return f"{prefix}{day.astimezone(TZ):%y%m%d}{self.rng.getrandbits(48):012X}"

    def payments(self) -> None:
        rng, agent = self.rng, self.year.agent
        payments, changes, entries = [], [], []
        for job in self.jobs:
            staff, resident = job.staff, job.resident
            hotline = job.channel == ServiceRequest.Channel.HOTLINE
            wechat = job.force_wechat or rng.random() < (0.3 if hotline else 0.6)
            if wechat:
                method = PaymentMethod.WECHAT_JSAPI if job.channel == ServiceRequest.Channel.APP else PaymentMethod.WECHAT_NATIVE
                created = job.completed_at + datetime.timedelta(minutes=rng.randint(5, 90))
                paid = created + datetime.timedelta(seconds=rng.randint(20, 200))
                transaction_id = f"42000{rng.randint(0, 99999):05d}{paid.astimezone(TZ):%Y%m%d}{rng.randint(0, 10**10 - 1):010d}"
                payment = Payment(
                    request=job.request, company=job.company, resident=resident, method=method, provider=Provider.WECHAT,
                    status=PaymentStatus.PAID, amount=job.final_price, reference=self.reference("MS", created),
                    provider_reference=transaction_id, created_by=resident, created_at=created, paid_at=paid,
                )
                steps = [("", PaymentStatus.CREATED, resident, "", created),
                         (PaymentStatus.CREATED, PaymentStatus.PENDING, resident, "", created),
                         (PaymentStatus.PENDING, PaymentStatus.PAID, resident, str(_("status check")), paid)]
                entry = (transaction_id, f"{Provider.WECHAT}:{LedgerKind.CHARGE}:{transaction_id}", paid)
            else:
                created = job.completed_at + datetime.timedelta(minutes=rng.randint(1, 15))
                confirmer = agent if hotline else resident
                paid = created + datetime.timedelta(minutes=rng.randint(20, 360))
                reference = self.reference("CA", created)
                who = _("the resident") if confirmer == resident else _("centre agent %(name)s") % {"name": agent}
                payment = Payment(
                    request=job.request, company=job.company, resident=resident, method=PaymentMethod.CASH,
                    provider=Provider.CASH, status=PaymentStatus.PAID, amount=job.final_price, reference=reference,
                    provider_reference=reference, created_by=staff, created_at=created, paid_at=paid, recorded_by=staff,
                    confirmed_by=confirmer, confirmed_at=paid,
                )
                steps = [("", PaymentStatus.CREATED, staff, "", created),
                         (PaymentStatus.CREATED, PaymentStatus.PENDING, staff,
                          str(_("recorded by the company; waiting for the resident's confirmation")), created),
                         (PaymentStatus.PENDING, PaymentStatus.PAID, confirmer, _("cash confirmed by %(who)s") % {"who": who}, paid)]
                entry = (reference, f"{Provider.CASH}:{LedgerKind.CHARGE}:{reference}", paid)
            job.payment = payment
            payment._steps, payment._entry = steps, entry
            payments.append(payment)
        Payment.objects.bulk_create(payments, batch_size=500)
        for payment in payments:
            changes += [PaymentStatusChange(payment=payment, from_status=frm, to_status=to, actor=actor, reason=reason,
                                            changed_at=at) for frm, to, actor, reason, at in payment._steps]
            reference, key, at = payment._entry
            entries.append(PaymentLedgerEntry(payment=payment, kind=LedgerKind.CHARGE, amount=payment.amount, reference=reference,
                                              provider_event_id=key, occurred_at=at, created_at=at))
        PaymentStatusChange.objects.bulk_create(changes, batch_size=1000)
        PaymentLedgerEntry.objects.bulk_create(entries, batch_size=1000)
        self.writes["payments"] += len(payments)
        self.writes["payment ledger charges"] += len(entries)
        self.refunds()

    def refunds(self) -> None:
        """Two refunds by the administrator, booked when WeChat Pay confirmed them: part of the overcharge
        complained about at company 35, and part of a job at company 9 left unfinished."""
        chosen = _Year.complaint_jobs(self.jobs)
        refunds = []
        for key, share, reason in (("removed-1", Decimal("0.30"), "投诉属实：多收费，退还多收部分"),
                                   ("refunded", Decimal("0.50"), "部分服务未完成，退还一半费用")):
            job = chosen[key]
            amount = max((job.final_price * share).quantize(FEN, rounding=ROUND_DOWN), FEN)
            requested = job.completed_at + datetime.timedelta(days=6, hours=2)
            done = requested + datetime.timedelta(minutes=self.rng.randint(1, 30))
            refund_id = f"503{self.rng.randint(0, 10**8 - 1):08d}{done.astimezone(TZ):%Y%m%d}{self.rng.randint(0, 10**10 - 1):010d}"
            refunds.append(PaymentRefund(payment=job.payment, amount=amount, reason=reason, status=RefundStatus.SUCCEEDED,
                                         reference=self.reference("RF", requested), provider_reference=refund_id,
                                         requested_by=self.year.admin, requested_at=requested, completed_at=done))
        PaymentRefund.objects.bulk_create(refunds)
        PaymentLedgerEntry.objects.bulk_create([
            PaymentLedgerEntry(payment=refund.payment, kind=LedgerKind.REFUND, amount=refund.amount,
                               reference=refund.provider_reference, refund=refund, occurred_at=refund.completed_at,
                               created_at=refund.completed_at,
                               provider_event_id=f"{Provider.WECHAT}:{LedgerKind.REFUND}:{refund.provider_reference}")
            for refund in refunds])
        self.writes["refunds"] += len(refunds)

    # --- call-backs and ratings ---------------------------------------------------------------

    def callbacks_plan(self) -> None:
        """Who judges each job: the call-back answer (it wins over a rating), or, unreached after the
        policy's tries, the rating; a job never judged has neither."""
        rng, tries = self.rng, self.policy.callback_max_tries
        for job in self.jobs:
            if job.verdict is None:
                by_callback = False
            else:
                by_callback = rng.random() < (0.6 if job.verdict else 0.5)
            if by_callback:
                outcome = (rng.choice([CallBackOutcome.SATISFIED, CallBackOutcome.SATISFIED, CallBackOutcome.BASICALLY_SATISFIED])
                           if job.verdict else CallBackOutcome.DISSATISFIED)
                misses = rng.choice([0, 0, 0, 1])
                rated = rng.random() < 0.5
                stars = (rng.choice([3, 4, 5, 5]) if job.verdict else rng.randint(1, 3)) if rated else None
            else:
                outcome, misses = "", tries
                stars = None if job.verdict is None else (rng.choice([4, 5, 5]) if job.verdict else rng.randint(1, 3))
            calls = []
            day = job.completed_at.astimezone(TZ).date()
            for attempt in range(misses + (1 if outcome else 0)):
                day += datetime.timedelta(days=1)
                calls.append(_at(day, rng.randint(9, 16), rng.randint(0, 59)))
            job.callback = (outcome, calls)
            job.stars = stars
            job.rated_at = job.completed_at + datetime.timedelta(hours=rng.randint(1, 40)) if stars else None
            job.closed_at = calls[-1]
            job.close_reason = (_("called back: %(answer)s") % {"answer": CallBackOutcome(outcome).label} if outcome else
                                _("call-back closed: the resident was not reached in %(tries)s tries") % {"tries": tries})

    def callbacks(self) -> None:
        agent, rng = self.year.agent, self.rng
        callbacks = []
        for job in self.jobs:
            outcome, calls = job.callback
            callbacks.append(CallBack(
                request=job.request, company=job.company, request_status=RequestStatus.COMPLETED,
                status=CallBack.Status.ANSWERED if outcome else CallBack.Status.UNREACHED, outcome=outcome,
                queued_at=job.completed_at + datetime.timedelta(minutes=rng.randint(1, 5)), closed_at=calls[-1], closed_by=agent))
        CallBack.objects.bulk_create(callbacks, batch_size=500)
        attempts = []
        for job, callback in zip(self.jobs, callbacks, strict=True):
            outcome, calls = job.callback
            for index, at in enumerate(calls):
                reached = bool(outcome) and index == len(calls) - 1
                attempts.append(CallBackAttempt(callback=callback, agent=agent, reached=reached, called_at=at,
                                                outcome=outcome if reached else "",
                                                notes=_CALL_NOTES[outcome] if reached else "无人接听"))
        CallBackAttempt.objects.bulk_create(attempts, batch_size=1000)
        self.writes["call-backs"] += len(callbacks)
        self.writes["call-back attempts"] += len(attempts)

    def ratings(self) -> None:
        rng = self.rng
        remind_after = datetime.timedelta(hours=self.policy.rating_reminder_hours)
        ratings, reminders = [], []
        for job in self.jobs:
            if job.stars:
                aspects = [min(5, max(1, job.stars + rng.choice([-1, 0, 0, 1]))) for _ in range(3)]
                ratings.append(Rating(
                    request=job.request, company=job.company, resident=job.resident, overall=job.stars,
                    punctuality=aspects[0], attitude=aspects[1], quality=aspects[2], created_at=job.rated_at,
                    updated_at=job.rated_at, comment=rng.choice(_GOOD_COMMENTS if job.stars >= 4 else _BAD_COMMENTS)))
            if job.stars is None or job.rated_at > job.completed_at + remind_after:
                reminders.append(RatingReminder(request=job.request, sent_at=job.completed_at + remind_after))
        Rating.objects.bulk_create(ratings, batch_size=1000)
        RatingReminder.objects.bulk_create(reminders, batch_size=1000)
        self.writes["ratings"] += len(ratings)
        self.writes["rating reminders"] += len(reminders)
