"""Benchmark of the subsidy run's aggregation (fixed seed).

    .venv/bin/python bench/subsidy_bench.py           # 100,000 companies, 1,000,000 paid jobs
    .venv/bin/python bench/subsidy_bench.py --quick   # 2,000 companies, 20,000 jobs (smoke run)

Data: a scratch SQLite FILE database (var/subsidy_bench[_quick].sqlite3, migrated on first use and
reused afterwards; pass --rebuild to start again), or the DATABASE_URL database if --use-database-url
is given (it must be a scratch database: rows are inserted). Rows go straight into the tables
(executemany), bypassing the services: companies (+ Oscar partners, agreements covering 2026), jobs
completed in 2026 with a final price, one cash payment and one ledger charge per job, a refund on 1 job
in 50, a rating on 2 jobs in 3, an answered call-back on 1 in 4, an upheld complaint on 1 in 200.

Timed: ``subsidies.selectors.line_inputs_by_company`` + ``subsidy_line_amounts`` for every company
(what a run computes before it writes the lines; target ≤ 10 s), beside the naive per-company path
(``company_line_inputs``: several queries per company) timed on a random SAMPLE of companies and
extrapolated to all of them (target: grouped ≥ 50× faster). Totals (volume, subsidy, reward) of the
sample must agree to the fen. Writes bench/results/subsidy_latest.json and prints the comparison with
bench/results/subsidy_baseline.json when it exists.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"


def setup(args) -> None:
    if not args.use_database_url:
        path = ROOT / "var" / ("subsidy_bench_quick.sqlite3" if args.quick else "subsidy_bench.sqlite3")
        path.parent.mkdir(exist_ok=True)
        if args.rebuild and path.exists():
            path.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _db_value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return value


def insert(model, rows, *, batch: int = 20000) -> int:
    """Insert dict rows straight into the model's table (missing fields take their defaults)."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.get_internal_type() in ("AutoField", "BigAutoField"))]
    columns = [f.column for f in fields]
    defaults = {f.attname: (f.get_default() if f.has_default() else (None if f.null else ("" if f.get_internal_type() in ("CharField", "TextField", "FileField", "ImageField", "SlugField", "EmailField") else None))) for f in fields}
    sql = f'INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({", ".join(connection.ops.quote_name(c) for c in columns)}) VALUES ({", ".join(["%s"] * len(columns))})'
    count, chunk = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append([_db_value(row.get(f.attname, defaults[f.attname])) for f in fields])
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                count, chunk = count + len(chunk), []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def build(*, companies: int, jobs: int, seed: int = 20261231) -> dict:
    from django.db import transaction
    from oscar.core.loading import get_model

    from marketplace.models import Region, ServiceRequest, User, YearPolicy
    from marketplace.payments.models import Payment, PaymentLedgerEntry
    from providers.models import Agreement, Company
    from ratings.models import CallBack, Complaint, Rating

    Partner = get_model("partner", "Partner")
    Product = get_model("catalogue", "Product")
    ProductClass = get_model("catalogue", "ProductClass")
    if Company.objects.count() >= companies and ServiceRequest.objects.count() >= jobs:
        return {"reused": True}
    rng = random.Random(seed)
    tz = datetime.timezone(datetime.timedelta(hours=8))
    with transaction.atomic():
        YearPolicy.objects.get_or_create(year=2026)
        region = Region.objects.get_or_create(code="350781", defaults={"name": "邵武市", "level": Region.Level.CITY,
                                                                        "latitude": "27.34", "longitude": "117.48"})[0]
        user = User.objects.create_user("bench-resident@example.com", "x")
        product_class = ProductClass.objects.get_or_create(name="上门服务")[0]
        product = Product.objects.create(title="日常保洁", upc="BENCH-1", product_class=product_class, structure="standalone")
        first_partner = (Partner.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        insert(Partner, ({"name": f"企业{n}", "code": f"bench-{n}"} for n in range(companies)))
        partner_ids = list(Partner.objects.filter(pk__gte=first_partner).order_by("pk").values_list("pk", flat=True))
        insert(Company, ({"partner_id": pid, "legal_name": f"邵武市第{n}服务有限公司", "credit_code": f"91350781{n:010d}",
                          "licence_number": f"L{n}", "contact_name": "张", "contact_phone": "13800000000",
                          "base_latitude": Decimal("27.33"), "base_longitude": Decimal("117.49"), "base_region_id": region.pk,
                          "service_radius_km": Decimal("10.00"), "status": "contracted", "capacity": 5,
                          "opens_at": datetime.time(8), "closes_at": datetime.time(20),
                          "created_at": datetime.datetime(2025, 12, 1, tzinfo=tz)} for n, pid in enumerate(partner_ids)))
        company_ids = list(Company.objects.filter(partner_id__in=partner_ids).order_by("pk").values_list("pk", flat=True))
        insert(Agreement, ({"company_id": cid, "term_start": datetime.date(2026, 1, 1), "term_end": datetime.date(2026, 12, 31),
                            "service_hours": "8-20", "service_norms": "-", "dispute_handling": "-", "legal_liability": "-",
                            "signed_on": datetime.date(2025, 12, 20), "created_at": datetime.datetime(2025, 12, 20, tzinfo=tz)}
                           for cid in company_ids))
        first_request = (ServiceRequest.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        plan = []
        for n in range(jobs):
            completed = datetime.datetime(2026, 1, 1, tzinfo=tz) + datetime.timedelta(minutes=rng.randrange(525000))
            plan.append((company_ids[n % len(company_ids)], Decimal(rng.randrange(1000, 30000)) / 100, completed))
        insert(ServiceRequest, ({"resident_id": user.pk, "product_id": product.pk, "description": "保洁", "answers": {},
                                 "address": "昭阳街道", "latitude": Decimal("27.331"), "longitude": Decimal("117.49"),
                                 "region_id": region.pk, "as_soon_as_possible": True, "contact_phone": "13900000001",
                                 "channel": "web", "public_interest": False, "status": "completed", "created_by_id": user.pk,
                                 "company_id": cid, "final_price": price, "response_due_at": done, "completion_due_at": done,
                                 "created_at": done - datetime.timedelta(hours=2), "accepted_at": done - datetime.timedelta(hours=1),
                                 "completed_at": done} for cid, price, done in plan))
        request_ids = list(ServiceRequest.objects.filter(pk__gte=first_request).order_by("pk").values_list("pk", flat=True))
        first_payment = (Payment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        insert(Payment, ({"request_id": rid, "company_id": cid, "resident_id": user.pk, "method": "cash", "provider": "cash",
                          "status": "paid", "amount": price, "currency": "CNY", "reference": f"B{rid}", "provider_reference": f"B{rid}",
                          "client_data": {}, "created_by_id": user.pk, "created_at": done, "paid_at": done}
                         for rid, (cid, price, done) in zip(request_ids, plan, strict=True)))
        payment_ids = list(Payment.objects.filter(pk__gte=first_payment).order_by("pk").values_list("pk", flat=True))

        def entries():
            for k, (pid, (cid, price, done)) in enumerate(zip(payment_ids, plan, strict=True)):
                yield {"payment_id": pid, "kind": "charge", "amount": price, "reference": f"B{pid}",
                       "provider_event_id": f"cash:charge:B{pid}", "occurred_at": done, "created_at": done}
                if k % 50 == 7:
                    yield {"payment_id": pid, "kind": "refund", "amount": (price / 3).quantize(Decimal("0.01")),
                           "reference": f"R{pid}", "provider_event_id": f"cash:refund:R{pid}", "occurred_at": done,
                           "created_at": done + datetime.timedelta(hours=1)}

        insert(PaymentLedgerEntry, entries())
        insert(Rating, ({"request_id": rid, "company_id": cid, "resident_id": user.pk, "overall": s, "punctuality": s,
                         "attitude": s, "quality": s, "comment": "", "created_at": done, "updated_at": done}
                        for k, (rid, (cid, _p, done)) in enumerate(zip(request_ids, plan, strict=True)) if k % 3
                        for s in [rng.choice((5, 5, 5, 4, 4, 3, 2))]))
        insert(CallBack, ({"request_id": rid, "company_id": cid, "request_status": "completed", "status": "answered",
                           "outcome": rng.choice(("satisfied", "satisfied", "basically_satisfied", "dissatisfied")),
                           "queued_at": done, "closed_at": done}
                          for k, (rid, (cid, _p, done)) in enumerate(zip(request_ids, plan, strict=True)) if k % 4 == 0))
        insert(Complaint, ({"request_id": rid, "company_id": cid, "resident_id": user.pk, "filed_by_id": user.pk,
                            "channel": "web", "category": "quality", "description": "-", "status": "upheld",
                            "upheld_at": done, "decided_at": done, "created_at": done}
                           for k, (rid, (cid, _p, done)) in enumerate(zip(request_ids, plan, strict=True)) if k % 200 == 3))
    return {"reused": False}


def run(args) -> dict:
    from providers.models import Company
    from subsidies import selectors
    from subsidies.services import subsidy_line_amounts

    rates = dict(subsidy_rate=Decimal("0.1000"), reward_rate=Decimal("0.0500"), satisfaction_target=Decimal("0.9000"))

    def amounts(inputs):
        return subsidy_line_amounts(volume=inputs.volume, tally=inputs.tally,
                                    removed_for_complaints=inputs.removed_for_complaints, **rates)

    started = time.perf_counter()
    cpu = time.process_time()
    grouped = selectors.line_inputs_by_company(year=2026)
    lines = {inputs.company_id: (inputs, amounts(inputs)) for inputs in grouped}
    grouped_seconds, grouped_cpu = time.perf_counter() - started, time.process_time() - cpu

    sample_ids = random.Random(7).sample(sorted(lines), min(args.sample, len(lines)))
    started = time.perf_counter()
    naive = {}
    for company in Company.objects.filter(pk__in=sample_ids).select_related("base_region"):
        inputs = selectors.company_line_inputs(company=company, year=2026)
        naive[company.pk] = (inputs, amounts(inputs))
    naive_sample_seconds = time.perf_counter() - started
    naive_seconds = naive_sample_seconds * len(lines) / max(len(naive), 1)

    def total(pairs, attr):
        return sum((getattr(a, attr) for _i, a in pairs), Decimal("0.00"))

    sample_grouped = [lines[pk] for pk in sample_ids]
    agree = all(
        total(sample_grouped, attr) == total(naive.values(), attr) for attr in ("subsidy", "reward", "total")
    ) and sum((i.volume for i, _a in sample_grouped), Decimal(0)) == sum((i.volume for i, _a in naive.values()), Decimal(0))
    mismatched = [pk for pk in sample_ids if lines[pk][0] != naive[pk][0] or lines[pk][1] != naive[pk][1]]
    return {
        "companies": len(lines),
        "grouped_seconds": round(grouped_seconds, 3),
        "grouped_cpu_seconds": round(grouped_cpu, 3),
        "naive_sample_companies": len(naive),
        "naive_sample_seconds": round(naive_sample_seconds, 3),
        "naive_extrapolated_seconds": round(naive_seconds, 1),
        "speedup": round(naive_seconds / grouped_seconds, 1) if grouped_seconds else None,
        "totals": {attr: str(total(lines.values(), attr)) for attr in ("subsidy", "reward", "total")},
        "total_volume": str(sum((i.volume for i, _a in lines.values()), Decimal("0.00"))),
        "sample_totals_equal_to_the_fen": agree and not mismatched,
        "sample_lines_mismatched": mismatched[:10],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--use-database-url", action="store_true")
    parser.add_argument("--sample", type=int, default=None, help="companies timed on the naive path")
    args = parser.parse_args()
    companies, jobs = (2_000, 20_000) if args.quick else (100_000, 1_000_000)
    args.sample = args.sample or (200 if args.quick else 1_000)
    setup(args)
    started = time.perf_counter()
    built = build(companies=companies, jobs=jobs)
    build_seconds = time.perf_counter() - started
    result = {"quick": args.quick, "jobs": jobs, "build_seconds": round(build_seconds, 1), **built, **run(args),
              "python": platform.python_version(), "machine": platform.machine(),
              "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")}
    ok = result["sample_totals_equal_to_the_fen"] and (args.quick or (result["grouped_seconds"] <= 10 and result["speedup"] >= 50))
    result["targets_met"] = ok
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / ("subsidy_quick.json" if args.quick else "subsidy_latest.json")).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result, indent=2, ensure_ascii=False))
    baseline = RESULTS / "subsidy_baseline.json"
    if baseline.exists() and not args.quick:
        base = json.loads(baseline.read_text())
        print(f"baseline grouped {base.get('grouped_seconds')} s → now {result['grouped_seconds']} s")
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
