"""Benchmark of matching.engine on a synthetic county (fixed seed).

    .venv/bin/python bench/match_bench.py            # full run, exit 1 if a target fails
    .venv/bin/python bench/match_bench.py --quick    # smaller sizes, smoke run, never fails on targets

Writes bench/results/latest.json and prints it beside bench/results/baseline.json.
On a shared, busy machine the wall-clock figures include time spent waiting for a CPU
(compare the *_cpu_* twins); the baseline was taken with scheduler priority:
    setsid sh -c 'echo -10 > /proc/self/autogroup; exec nice -n -10 .venv/bin/python bench/match_bench.py'

1. single match: rank() among 100,000 companies, p50/p99 over >= 1,000 random requests,
   against brute_force_rank() (plain Python scan of every company) on a subset of the same
   requests; the top results must be identical. A vectorised numpy scan of all companies
   (no spatial index) is timed too, as a stronger, informational baseline.
2. batch: assign_batch() for 2,000 requests × 20,000 companies. The SpatialIndex is built
   beforehand and NOT included in the timing (it is a snapshot rebuilt when loads change);
   candidate search, cost matrix and the sparse solver are. The objective is compared with
   the exact optimum of scipy.optimize.linear_sum_assignment on the dense version of the
   same cost matrix; the arrival-order greedy is shown beside it.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from matching import engine
from matching.engine import CompanySnapshot, RequestSnapshot, SpatialIndex

RESULTS = Path(__file__).resolve().parent / "results"
SEED = 20261123
CENTRE = (27.34, 117.48)
HALF_KM = 15.0  # county ~ 30 x 30 km
N_CATEGORIES = 24

TARGETS = {
    # metric: (comparison, value)
    "single.rank_p99_ms": ("<=", 5.0),
    "single.speedup_p50_vs_brute": (">=", 100.0),
    "single.speedup_p99_vs_brute": (">=", 100.0),
    "single.top_identical": ("==", 1.0),
    "batch.assign_ms_p50": ("<=", 100.0),
    "batch.cost_ratio_vs_optimum": ("==", 1.0),
    "batch.capacity_respected": ("==", 1.0),
}


# --------------------------------------------------------------------------- synthetic county


def _km_to_deg(dy_km, dx_km):
    lat = CENTRE[0] + dy_km / 111.195
    lng = CENTRE[1] + dx_km / (111.195 * math.cos(math.radians(CENTRE[0])))
    return lat, lng


def _points(rng: np.random.Generator, n: int, towns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """60 % around town centres (σ 1.5–3 km), 40 % uniform over the county."""
    clustered = rng.random(n) < 0.6
    t = rng.integers(0, len(towns), n)
    sigma = rng.uniform(1.5, 3.0, len(towns))[t]
    x = np.where(clustered, towns[t, 0] + rng.normal(0, 1, n) * sigma, rng.uniform(-HALF_KM, HALF_KM, n))
    y = np.where(clustered, towns[t, 1] + rng.normal(0, 1, n) * sigma, rng.uniform(-HALF_KM, HALF_KM, n))
    x, y = np.clip(x, -HALF_KM, HALF_KM), np.clip(y, -HALF_KM, HALF_KM)
    return _km_to_deg(y, x)


def make_county(n_companies: int, n_requests: int, seed: int = SEED):
    rng = np.random.default_rng(seed)
    towns = rng.uniform(-HALF_KM * 0.8, HALF_KM * 0.8, (8, 2))
    towns[0] = (0.0, 0.0)  # the city seat
    popularity = 1.0 / np.arange(1, N_CATEGORIES + 1) ** 0.8
    popularity /= popularity.sum()
    categories = np.arange(101, 101 + N_CATEGORIES)

    lat, lng = _points(rng, n_companies, towns)
    n_cats = rng.choice([1, 2, 3], n_companies, p=[0.5, 0.35, 0.15])
    radius = np.clip(rng.lognormal(math.log(5.0), 0.5, n_companies), 1.0, 15.0).round(1)
    kind = rng.random(n_companies)
    opens = (rng.integers(14, 19, n_companies) * 30)  # 07:00–09:00
    closes = (rng.integers(34, 43, n_companies) * 30)  # 17:00–21:00
    night = kind < 0.15  # over midnight, e.g. 18:00–02:00
    opens = np.where(night, rng.integers(32, 42, n_companies) * 30, opens)
    closes = np.where(night, rng.integers(0, 14, n_companies) * 30, closes)
    h24 = (kind >= 0.15) & (kind < 0.25)
    opens = np.where(h24, 0, opens)
    closes = np.where(h24, 0, closes)
    capacity = rng.integers(1, 11, n_companies)
    active = rng.integers(0, capacity + 1)  # some are full
    rated = rng.random(n_companies) < 0.8
    rating = np.where(rated, np.clip(rng.normal(4.3, 0.5, n_companies), 1.0, 5.0).round(1), engine.DEFAULT_RATING)
    acceptance = rng.beta(8, 2, n_companies).round(3)
    volume = rng.pareto(1.5, n_companies) + 0.01

    cats_of = [frozenset(int(c) for c in rng.choice(categories, k, replace=False, p=popularity)) for k in n_cats]
    total = {int(c): 0.0 for c in categories}
    for cs, v in zip(cats_of, volume):
        for c in cs:
            total[c] += v
    companies = [
        CompanySnapshot(
            id=i + 1, lat=float(lat[i]), lng=float(lng[i]), category_ids=cats_of[i], radius_km=float(radius[i]),
            opens_at=int(opens[i]), closes_at=int(closes[i]), capacity=int(capacity[i]), active_jobs=int(active[i]),
            rating=float(rating[i]), acceptance_rate=float(acceptance[i]),
            volume_share=float(min(1.0, max(volume[i] / total[c] for c in cats_of[i]))),
        )
        for i in range(n_companies)
    ]

    rlat, rlng = _points(rng, n_requests, towns)
    rcat = rng.choice(categories, n_requests, p=popularity)
    daytime = rng.random(n_requests) < 0.75
    minute = np.where(daytime, rng.integers(8 * 60, 20 * 60, n_requests), rng.integers(0, 1440, n_requests))
    declined = rng.random(n_requests) < 0.1
    requests = []
    for i in range(n_requests):
        excluded = frozenset(int(x) for x in rng.integers(1, n_companies + 1, 3)) if declined[i] else frozenset()
        requests.append(RequestSnapshot(id=10_000_000 + i, lat=float(rlat[i]), lng=float(rlng[i]),
                                        category_id=int(rcat[i]), minute_of_day=int(minute[i]),
                                        excluded_company_ids=excluded))
    return companies, requests


# --------------------------------------------------------------------------- a stronger baseline


class FullScan:
    """Vectorised numpy scan of every company (no spatial index) — informational baseline."""

    def __init__(self, companies):
        self.ids = np.array([c.id for c in companies])
        self.lat = np.radians([c.lat for c in companies])
        self.lng = np.radians([c.lng for c in companies])
        self.coslat = np.cos(self.lat)
        self.cats = [c.category_ids for c in companies]
        cat_values = sorted({x for c in companies for x in c.category_ids})
        self.member = {cat: np.array([cat in cs for cs in self.cats]) for cat in cat_values}
        self.radius = np.array([c.radius_km for c in companies])
        self.opens = np.array([c.opens_at for c in companies])
        dur = (np.array([c.closes_at for c in companies]) - self.opens) % 1440
        self.dur = np.where(dur == 0, 1440, dur)
        self.spare = np.array([c.capacity - c.active_jobs for c in companies]) > 0
        w = engine.DEFAULT_WEIGHTS
        self.static = (w.rating * (5.0 - np.array([c.rating for c in companies])) / 5.0
                       + w.acceptance * (1.0 - np.array([c.acceptance_rate for c in companies]))
                       + w.load * np.array([c.active_jobs / c.capacity if c.capacity else 1.0 for c in companies])
                       + w.fairness * np.array([c.volume_share for c in companies]))

    def rank_ids(self, r: RequestSnapshot, limit: int = 10) -> list[int]:
        p1, l1 = math.radians(r.lat), math.radians(r.lng)
        a = np.sin((self.lat - p1) / 2) ** 2 + math.cos(p1) * self.coslat * np.sin((self.lng - l1) / 2) ** 2
        d = 2 * engine.EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))
        ok = self.member.get(r.category_id, np.zeros(len(self.ids), bool)) & (d <= self.radius) & self.spare
        ok &= (r.minute_of_day - self.opens) % 1440 < self.dur
        if r.excluded_company_ids:
            ok &= ~np.isin(self.ids, list(r.excluded_company_ids))
        cost = engine.DEFAULT_WEIGHTS.distance * d[ok] / engine.DEFAULT_WEIGHTS.distance_scale_km + self.static[ok]
        order = np.lexsort((self.ids[ok], cost))[:limit]
        return self.ids[ok][order].tolist()


# --------------------------------------------------------------------------- benchmarks


def _pct(values_ms, q):
    return float(np.percentile(np.asarray(values_ms), q))


def bench_single(n_companies: int, n_requests: int, n_brute: int) -> dict:
    companies, requests = make_county(n_companies, n_requests)
    t = time.perf_counter()
    index = SpatialIndex(companies)
    build_s = time.perf_counter() - t

    for r in requests[:50]:  # warm-up (caches, allocator)
        engine.rank(index, r)
    lat_ms, cpu_ms, results = [], [], []
    for r in requests:
        c = time.process_time_ns()
        t = time.perf_counter_ns()
        res = engine.rank(index, r, limit=10)
        lat_ms.append((time.perf_counter_ns() - t) / 1e6)
        cpu_ms.append((time.process_time_ns() - c) / 1e6)
        results.append(res)

    brute_ms, identical = [], True
    mismatches = []
    for r, mine in zip(requests[:n_brute], results[:n_brute]):
        t = time.perf_counter_ns()
        ref = engine.brute_force_rank(companies, r, limit=10)
        brute_ms.append((time.perf_counter_ns() - t) / 1e6)
        same = [c.company_id for c in ref] == [c.company_id for c in mine] and all(
            math.isclose(a.cost, b.cost, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(ref, mine))
        if not same:
            identical = False
            mismatches.append(r.id)

    scan = FullScan(companies)
    scan_ms = []
    for r in requests[:200]:
        t = time.perf_counter_ns()
        ids = scan.rank_ids(r)
        scan_ms.append((time.perf_counter_ns() - t) / 1e6)
        if ids != [c.company_id for c in results[requests.index(r)]]:
            identical = False
            mismatches.append(r.id)

    p50, p99 = _pct(lat_ms, 50), _pct(lat_ms, 99)
    b50, b99 = _pct(brute_ms, 50), _pct(brute_ms, 99)
    return {
        "single.companies": n_companies,
        "single.requests_timed": len(requests),
        "single.brute_requests_timed": n_brute,
        "single.index_build_s": round(build_s, 3),
        "single.rank_p50_ms": round(p50, 4),
        "single.rank_p99_ms": round(p99, 4),
        "single.rank_max_ms": round(max(lat_ms), 4),
        "single.rank_cpu_p50_ms": round(_pct(cpu_ms, 50), 4),
        "single.rank_cpu_p99_ms": round(_pct(cpu_ms, 99), 4),
        "single.brute_p50_ms": round(b50, 2),
        "single.brute_p99_ms": round(b99, 2),
        "single.speedup_p50_vs_brute": round(b50 / p50, 1),
        "single.speedup_p99_vs_brute": round(b99 / p99, 1),
        "single.numpy_scan_p50_ms": round(_pct(scan_ms, 50), 3),
        "single.speedup_p50_vs_numpy_scan": round(_pct(scan_ms, 50) / p50, 1),
        "single.mean_eligible_candidates": round(float(np.mean([len(index.candidates(r)) for r in requests[:200]])), 1),
        "single.requests_with_no_candidate": sum(1 for x in results if not x),
        "single.top_identical": 1.0 if identical else 0.0,
        "single.mismatched_requests": mismatches[:10],
    }


def bench_batch(n_companies: int, n_requests: int, repeats: int) -> dict:
    companies, requests = make_county(n_companies, n_requests, seed=SEED + 1)
    index = SpatialIndex(companies)  # built outside the timing
    engine.assign_batch(index, requests)  # warm-up

    times, cpu = [], []
    for _ in range(repeats):
        c = time.process_time()
        t = time.perf_counter()
        assignment = engine.assign_batch(index, requests)
        times.append((time.perf_counter() - t) * 1e3)
        cpu.append((time.process_time() - c) * 1e3)

    problem = engine.build_batch_problem(index, requests)
    t = time.perf_counter()
    sparse_res = engine.solve_batch(problem)
    solve_ms = (time.perf_counter() - t) * 1e3
    t = time.perf_counter()
    exact = engine.solve_exact_dense(problem)
    dense_s = time.perf_counter() - t
    greedy = engine.solve_greedy(problem)

    load: dict[int, int] = {}
    for cid in assignment.values():
        if cid is not None:
            load[cid] = load.get(cid, 0) + 1
    by_id = index.by_id
    capacity_ok = all(n <= by_id[cid].capacity - by_id[cid].active_jobs for cid, n in load.items())
    same_as_problem = assignment == sparse_res.assignment

    return {
        "batch.companies": n_companies,
        "batch.requests": n_requests,
        "batch.repeats": repeats,
        "batch.assign_ms_p50": round(_pct(times, 50), 2),
        "batch.assign_ms_max": round(max(times), 2),
        "batch.assign_cpu_ms_p50": round(_pct(cpu, 50), 2),
        "batch.candidates_ms": round(problem.timings_ms["candidates"], 2),
        "batch.matrix_ms": round(problem.timings_ms["matrix"], 2),
        "batch.sparse_solve_ms": round(solve_ms, 2),
        "batch.matrix_shape": list(problem.shape),
        "batch.matrix_edges": int(problem.costs.size),
        "batch.unassigned_cost": round(problem.unassigned_cost, 3),
        "batch.objective": round(sparse_res.objective, 6),
        "batch.optimum_objective": round(exact.objective, 6),
        "batch.cost_ratio_vs_optimum": round(sparse_res.objective / exact.objective, 6),
        "batch.dense_lsa_s": round(dense_s, 2),
        "batch.assigned": sparse_res.n_assigned,
        "batch.optimum_assigned": exact.n_assigned,
        "batch.assigned_cost": round(sparse_res.assigned_cost, 4),
        "batch.greedy_objective": round(greedy.objective, 6),
        "batch.greedy_ratio_vs_optimum": round(greedy.objective / exact.objective, 4),
        "batch.greedy_assigned": greedy.n_assigned,
        "batch.greedy_assigned_cost": round(greedy.assigned_cost, 4),
        "batch.capacity_respected": 1.0 if capacity_ok and same_as_problem else 0.0,
    }


def _autogroup() -> str | None:
    """Linux scheduler group of this process (its nice value matters when others are busy)."""
    try:
        return Path("/proc/self/autogroup").read_text().strip()
    except OSError:
        return None


def _check(metric: str, value) -> bool | None:
    if metric not in TARGETS:
        return None
    op, target = TARGETS[metric]
    if op == "<=":
        return value <= target
    if op == ">=":
        return value >= target
    return abs(value - target) <= 1e-9 * max(1.0, abs(target))


def _fmt(v):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.4g}" if abs(v) < 1e4 else f"{v:.6g}"
    return str(v)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes; smoke run, targets not enforced")
    ap.add_argument("--out", default=str(RESULTS / "latest.json"))
    args = ap.parse_args(argv)

    load_before = os.getloadavg()[0]
    if args.quick:
        single = bench_single(10_000, 300, 20)
        batch = bench_batch(4_000, 400, 3)
    else:
        single = bench_single(100_000, 2_000, 100)
        batch = bench_batch(20_000, 2_000, 9)
    metrics = {**single, **batch}
    report = {
        "meta": {
            "mode": "quick" if args.quick else "full",
            "seed": SEED,
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": __import__("scipy").__version__,
            "h3": __import__("h3").__version__,
            "machine": f"{platform.machine()} {os.cpu_count()} cpu",
            "h3_resolution": engine.DEFAULT_RESOLUTION,
            "loadavg_1min_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "nice": os.nice(0),
            "autogroup": _autogroup(),
            "timing": "wall clock (perf_counter); *_cpu_* = process CPU time of the same calls",
        },
        "targets": {k: f"{op} {v}" for k, (op, v) in TARGETS.items()},
        "metrics": metrics,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")

    baseline_path = RESULTS / "baseline.json"
    baseline, baseline_mode = {}, None
    if baseline_path.exists():
        stored = json.loads(baseline_path.read_text())
        baseline, baseline_mode = stored["metrics"], stored["meta"]["mode"]
        print(f"baseline: {baseline_path} ({baseline_mode} run of {stored['meta']['when']})")
        if baseline_mode != report["meta"]["mode"]:
            print(f"note: comparing a {report['meta']['mode']} run with a {baseline_mode} baseline (different sizes)")
    rows = [("metric", "baseline", "latest", "target", "result")]
    failed = []
    for k, v in metrics.items():
        ok = _check(k, v)
        target = " ".join(map(str, TARGETS[k])) if k in TARGETS else ""
        if ok is False:
            failed.append(k)
        rows.append((k, _fmt(baseline.get(k)), _fmt(v), target, "" if ok is None else ("pass" if ok else "FAIL")))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for i, r in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print(f"\nmode={report['meta']['mode']}  wrote {out}  "
          f"(load average {report['meta']['loadavg_1min_before_after']} on {os.cpu_count()} cpu)")
    if max(report["meta"]["loadavg_1min_before_after"]) > (os.cpu_count() or 1):
        print("warning: the machine was busy; wall-clock latencies include waiting for a CPU "
              "(compare the *_cpu_* figures)")
    if failed:
        print("targets failed: " + ", ".join(failed) + (" (ignored in --quick)" if args.quick else ""))
        return 0 if args.quick else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
