"""matching.engine: eligibility rules, ranking vs brute force, batch assignment vs the exact optimum.

Pure functions and numpy: no database, no Django models.
"""
from __future__ import annotations

import math
import random

import numpy as np
import pytest

from matching import engine
from matching.engine import (
    PART_NAMES,
    CompanySnapshot,
    RequestSnapshot,
    SpatialIndex,
    Weights,
    assign_batch,
    brute_force_rank,
    build_batch_problem,
    greedy_assign,
    haversine_km,
    is_open,
    rank,
    score_parts,
    solve_batch,
    solve_exact_dense,
    solve_greedy,
)

LAT, LNG = 27.34, 117.48
KM_PER_DEG_LAT = math.pi * engine.EARTH_RADIUS_KM / 180.0
CLEANING, PLUMBING = 1, 2


def north(km: float, lat: float = LAT) -> float:
    """Latitude `km` north of `lat` (same longitude: the great-circle distance is exactly km)."""
    return lat + km / KM_PER_DEG_LAT


def company(id: int, km: float = 1.0, **kw) -> CompanySnapshot:
    fields = {
        "id": id, "lat": north(km), "lng": LNG, "category_ids": frozenset({CLEANING}), "radius_km": 5.0,
        "opens_at": 8 * 60, "closes_at": 20 * 60, "capacity": 3, "active_jobs": 0,
    }
    fields.update(kw)
    return CompanySnapshot(**fields)


def request(id: int = 1, **kw) -> RequestSnapshot:
    fields = {"id": id, "lat": LAT, "lng": LNG, "category_id": CLEANING, "minute_of_day": 10 * 60}
    fields.update(kw)
    return RequestSnapshot(**fields)


def candidate_ids(companies, req, **kw) -> list[int]:
    return [cid for cid, _ in SpatialIndex(companies, **kw).candidates(req)]


# --------------------------------------------------------------------------- eligibility rules


def test_category_rule():
    companies = [company(1), company(2, category_ids=frozenset({PLUMBING})),
                 company(3, category_ids=frozenset({PLUMBING, CLEANING}))]
    assert candidate_ids(companies, request(category_id=CLEANING)) == [1, 3]
    assert candidate_ids(companies, request(category_id=PLUMBING)) == [2, 3]
    assert candidate_ids(companies, request(category_id=99)) == []


def test_radius_rule_uses_each_companys_own_radius():
    companies = [
        company(1, km=3.0, radius_km=2.9),  # just out of its reach
        company(2, km=3.0, radius_km=3.1),  # just within
        company(3, km=12.0, radius_km=15.0),  # far, but serves far
        company(4, km=12.0, radius_km=11.5),
    ]
    found = SpatialIndex(companies).candidates(request())
    assert [cid for cid, _ in found] == [2, 3]
    assert found[0][1] == pytest.approx(3.0, abs=1e-6)
    assert found[1][1] == pytest.approx(12.0, abs=1e-6)


def test_max_radius_caps_the_search():
    companies = [company(1, km=2.0, radius_km=10.0), company(2, km=8.0, radius_km=10.0)]
    index = SpatialIndex(companies)
    assert [cid for cid, _ in index.candidates(request())] == [1, 2]
    assert [cid for cid, _ in index.candidates(request(), max_radius_km=5.0)] == [1]


@pytest.mark.parametrize(
    ("opens", "closes", "minute", "expected"),
    [
        (8 * 60, 20 * 60, 8 * 60, True),  # opening minute included
        (8 * 60, 20 * 60, 19 * 60 + 59, True),
        (8 * 60, 20 * 60, 20 * 60, False),  # closing minute excluded
        (8 * 60, 20 * 60, 7 * 60, False),
        (18 * 60, 2 * 60, 23 * 60, True),  # over midnight
        (18 * 60, 2 * 60, 60, True),
        (18 * 60, 2 * 60, 2 * 60, False),
        (18 * 60, 2 * 60, 12 * 60, False),
        (18 * 60, 2 * 60, 17 * 60 + 59, False),
        (0, 0, 0, True),  # equal bounds: 24 h
        (9 * 60, 9 * 60, 3 * 60, True),
        (9 * 60, 9 * 60, 1439, True),
    ],
)
def test_opening_hours_rule(opens, closes, minute, expected):
    assert is_open(opens, closes, minute) is expected
    companies = [company(1, opens_at=opens, closes_at=closes)]
    assert candidate_ids(companies, request(minute_of_day=minute)) == ([1] if expected else [])


def test_capacity_rule():
    companies = [company(1, capacity=3, active_jobs=3), company(2, capacity=3, active_jobs=2),
                 company(3, capacity=0, active_jobs=0)]
    assert candidate_ids(companies, request()) == [2]


def test_exclusion_rule():
    companies = [company(1), company(2, km=2.0), company(3, km=3.0)]
    assert candidate_ids(companies, request(excluded_company_ids=frozenset({1, 3, 42}))) == [2]


def test_index_serves_separate_cities():
    far_lat, far_lng = 26.08, 119.30  # ~250 km away
    companies = [company(1), CompanySnapshot(id=2, lat=far_lat, lng=far_lng, category_ids=frozenset({CLEANING}),
                                             radius_km=5.0, opens_at=0, closes_at=0, capacity=1)]
    index = SpatialIndex(companies)
    assert [c for c, _ in index.candidates(request())] == [1]
    assert [c for c, _ in index.candidates(request(lat=far_lat + 0.01, lng=far_lng))] == [2]


def test_query_never_scans_every_company(monkeypatch):
    """Companies spread over ~60 × 60 km: a query with 4 km radii opens only nearby buckets."""
    rng = random.Random(7)
    companies = [company(i, lat=LAT + rng.uniform(-0.27, 0.27), lng=LNG + rng.uniform(-0.3, 0.3), radius_km=4.0)
                 for i in range(1, 5001)]
    index = SpatialIndex(companies)
    opened = []
    real = engine._expand_ranges
    monkeypatch.setattr(engine, "_expand_ranges", lambda s, n: opened.append(int(n.sum())) or real(s, n))
    found = index.candidates(request())
    assert found  # density ~1.4/km², radius 4 km: some reach the centre
    assert 0 < max(opened) < len(companies) / 20
    assert sorted(c for c, _ in found) == sorted(c.company_id for c in brute_force_rank(companies, request(), 10_000))


# --------------------------------------------------------------------------- scoring


def test_score_parts_follow_the_documented_formula():
    w = Weights(distance=1.0, rating=0.5, acceptance=0.3, load=0.2, fairness=0.2, distance_scale_km=10.0)
    c = company(1, rating=3.0, acceptance_rate=0.75, capacity=4, active_jobs=1, volume_share=0.5)
    parts = score_parts(request(), c, 2.5, w)
    assert parts == pytest.approx({
        "distance": 0.25, "rating": 0.2, "acceptance": 0.075, "load": 0.05, "fairness": 0.1,
        "total": 0.25 + 0.2 + 0.075 + 0.05 + 0.1,
    })


def test_each_part_is_monotone():
    base = {"rating": 4.0, "acceptance_rate": 0.9, "capacity": 4, "active_jobs": 1, "volume_share": 0.1}

    def total(km=2.0, **change):
        return score_parts(request(), company(1, **{**base, **change}), km)["total"]

    assert total(km=1.0) < total(km=2.0)
    assert total(rating=4.5) < total(rating=4.0)
    assert total(acceptance_rate=0.95) < total(acceptance_rate=0.9)
    assert total(active_jobs=0) < total(active_jobs=1)
    assert total(volume_share=0.0) < total(volume_share=0.1)


def test_rank_candidates_carry_parts_that_sum_to_cost():
    companies = [company(i, km=0.5 * i, rating=3.5 + 0.1 * i) for i in range(1, 8)]
    ranked = rank(SpatialIndex(companies), request(), limit=5)
    assert len(ranked) == 5
    for cand in ranked:
        assert set(cand.parts) == set(PART_NAMES)
        assert all(v >= 0 for v in cand.parts.values())
        assert math.fsum(cand.parts.values()) == pytest.approx(cand.cost, rel=1e-12)
        direct = score_parts(request(), next(c for c in companies if c.id == cand.company_id), cand.distance_km)
        assert direct["total"] == pytest.approx(cand.cost, rel=1e-12)
    assert [c.cost for c in ranked] == sorted(c.cost for c in ranked)


def test_nearer_wins_when_all_else_is_equal_and_ties_go_to_the_lower_id():
    companies = [company(5, km=1.0), company(3, km=1.0), company(9, km=0.5), company(4, km=4.0)]
    ranked = rank(SpatialIndex(companies), request(), limit=3)
    assert [c.company_id for c in ranked] == [9, 3, 5]
    assert [c.company_id for c in brute_force_rank(companies, request(), 3)] == [9, 3, 5]


def test_unrated_company_defaults_to_four_stars():
    c = company(1)
    assert c.rating == engine.DEFAULT_RATING == 4.0


def test_snapshot_validation():
    with pytest.raises(ValueError):
        company(1, opens_at=1440)
    with pytest.raises(ValueError):
        company(1, rating=5.5)
    with pytest.raises(ValueError):
        Weights(distance=-1)


# --------------------------------------------------------------------------- rank == brute force


def random_county(seed: int, n_companies: int, n_requests: int, half_km: float = 10.0, n_categories: int = 4,
                  max_radius_km: float = 8.0):
    rng = np.random.default_rng(seed)
    deg_lat = half_km / KM_PER_DEG_LAT
    deg_lng = deg_lat / math.cos(math.radians(LAT))
    companies = []
    for i in range(1, n_companies + 1):
        kind = rng.random()
        opens, closes = int(rng.integers(6, 11)) * 60, int(rng.integers(16, 23)) * 60
        if kind < 0.15:
            opens, closes = int(rng.integers(17, 23)) * 60, int(rng.integers(0, 6)) * 60
        elif kind < 0.25:
            opens = closes = int(rng.integers(0, 24)) * 60
        capacity = int(rng.integers(1, 5))
        companies.append(CompanySnapshot(
            id=i, lat=LAT + rng.uniform(-deg_lat, deg_lat), lng=LNG + rng.uniform(-deg_lng, deg_lng),
            category_ids=frozenset(int(c) for c in rng.choice(n_categories, int(rng.integers(1, 3)), replace=False)),
            radius_km=float(rng.uniform(0.5, max_radius_km)), opens_at=opens, closes_at=closes, capacity=capacity,
            active_jobs=int(rng.integers(0, capacity + 1)),
            rating=float(rng.choice([4.0, rng.uniform(1.0, 5.0)])), acceptance_rate=float(rng.uniform(0.3, 1.0)),
            volume_share=float(rng.uniform(0.0, 0.3)),
        ))
    requests = []
    for j in range(n_requests):
        excluded = frozenset(int(x) for x in rng.integers(1, n_companies + 1, 40)) if rng.random() < 0.3 else frozenset()
        requests.append(RequestSnapshot(
            id=100_000 + j, lat=LAT + rng.uniform(-deg_lat, deg_lat), lng=LNG + rng.uniform(-deg_lng, deg_lng),
            category_id=int(rng.integers(0, n_categories)), minute_of_day=int(rng.integers(0, 1440)),
            excluded_company_ids=excluded,
        ))
    return companies, requests


def assert_same_ranking(mine, ref):
    assert [c.company_id for c in mine] == [c.company_id for c in ref]
    for a, b in zip(mine, ref):
        assert a.cost == pytest.approx(b.cost, rel=1e-9, abs=1e-12)
        assert a.distance_km == pytest.approx(b.distance_km, rel=1e-9, abs=1e-9)
        assert a.parts == pytest.approx(b.parts, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("resolution", [6, 7, 8])
def test_rank_equals_brute_force_on_random_data(resolution):
    companies, requests = random_county(seed=20261123 + resolution, n_companies=3000, n_requests=150)
    index = SpatialIndex(companies, resolution=resolution)
    non_empty = 0
    for req in requests:
        mine = rank(index, req, limit=10)
        ref = brute_force_rank(companies, req, limit=10)
        assert_same_ranking(mine, ref)
        non_empty += bool(ref)
        # the unlimited candidate set is identical too
        assert sorted(c for c, _ in index.candidates(req)) == sorted(
            c.company_id for c in brute_force_rank(companies, req, limit=len(companies)))
    assert non_empty > 100  # the comparison is not vacuous


def test_rank_with_other_weights_equals_brute_force():
    companies, requests = random_county(seed=5, n_companies=1500, n_requests=60)
    index = SpatialIndex(companies)
    for w in (Weights(distance=0.0), Weights(rating=3.0, fairness=0.0, distance_scale_km=2.0)):
        for req in requests:
            assert_same_ranking(rank(index, req, 7, w), brute_force_rank(companies, req, 7, w))


@pytest.mark.parametrize(
    ("n_companies", "limit", "weights", "max_radius_km"),
    [
        (4000, 8, None, 8.0),  # dense: the answer is found in the first rounds
        (400, 10, None, 8.0),  # sparse: far cells and the last round are needed
        (250, 10, None, 25.0),  # sparse with long radii: disks must grow for the last round
        (700, 25, None, 8.0),
        (1500, 10, Weights(rating=2.0, acceptance=1.0, distance_scale_km=3.0), 8.0),  # static parts dominate
        (1500, 10, Weights(distance=0.0), 8.0),  # no distance bound at all
    ],
)
def test_batch_candidates_equal_rank_for_every_request(n_companies, limit, weights, max_radius_km):
    companies, requests = random_county(seed=n_companies + limit, n_companies=n_companies, n_requests=400,
                                        max_radius_km=max_radius_km)
    index = SpatialIndex(companies)
    problem = build_batch_problem(index, requests, per_request_limit=limit, weights=weights, keep_candidates=True)
    assert sum(bool(t) for t in problem.top) > 250
    for req, top in zip(requests, problem.top):
        assert_same_ranking(top, rank(index, req, limit=limit, weights=weights))


# --------------------------------------------------------------------------- batch assignment


def test_batch_objective_equals_dense_linear_sum_assignment_optimum():
    checked = 0
    for seed in range(12):
        companies, requests = random_county(seed=seed, n_companies=60, n_requests=40, half_km=4.0, n_categories=2)
        index = SpatialIndex(companies)
        problem = build_batch_problem(index, requests, per_request_limit=5)
        sparse_opt = solve_batch(problem)
        unreduced = solve_batch(problem, reduce=False)
        exact = solve_exact_dense(problem)
        greedy = solve_greedy(problem)
        assert sparse_opt.objective == pytest.approx(exact.objective, rel=1e-12)
        assert unreduced.objective == pytest.approx(exact.objective, rel=1e-12)
        assert sparse_opt.n_assigned == exact.n_assigned
        assert greedy.objective >= exact.objective - 1e-9
        assert_valid(index, requests, sparse_opt.assignment)
        assert_valid(index, requests, greedy.assignment)
        checked += problem.n_slots > 0 and greedy.objective > exact.objective + 1e-9
    assert checked >= 3  # instances where the optimum actually beats greedy


def assert_valid(index, requests, assignment):
    """Every request present; each company eligible for its request; capacity respected."""
    assert set(assignment) == {r.id for r in requests}
    load: dict[int, int] = {}
    for req in requests:
        cid = assignment[req.id]
        if cid is None:
            continue
        c = index.by_id[cid]
        assert engine.is_eligible(c, req, haversine_km(req.lat, req.lng, c.lat, c.lng))
        load[cid] = load.get(cid, 0) + 1
    for cid, n in load.items():
        c = index.by_id[cid]
        assert n <= c.capacity - c.active_jobs


def test_request_without_candidate_is_unassigned():
    companies = [company(1), company(2, km=2.0)]
    requests = [request(1), request(2, category_id=PLUMBING), request(3, lat=north(40.0))]
    assignment = assign_batch(SpatialIndex(companies), requests)
    assert assignment == {1: 1, 2: None, 3: None}


def test_capacity_is_respected_and_the_overflow_goes_elsewhere():
    companies = [company(1, km=0.2, capacity=3, active_jobs=1),  # spare 2, nearest
                 company(2, km=3.0, capacity=5, active_jobs=0)]
    requests = [request(i) for i in range(1, 6)]
    assignment = assign_batch(SpatialIndex(companies), requests)
    assert list(assignment.values()).count(1) == 2
    assert list(assignment.values()).count(2) == 3
    assert_valid(SpatialIndex(companies), requests, assignment)


def test_more_requests_than_total_capacity_leaves_the_rest_unassigned():
    companies = [company(1, capacity=1), company(2, km=1.5, capacity=2, active_jobs=1)]
    requests = [request(i) for i in range(1, 5)]
    assignment = assign_batch(SpatialIndex(companies), requests)
    assert sorted(v for v in assignment.values() if v is not None) == [1, 2]
    assert list(assignment.values()).count(None) == 2


def test_optimum_serves_everyone_where_greedy_cannot():
    # A (id 1) is nearest for both; only r1 can also reach B (id 2). Greedy gives A to r1 and
    # strands r2; the optimum sends r1 to B so both are served.
    a = company(1, km=0.5, capacity=1)
    b = company(2, km=-3.0, capacity=1, radius_km=3.5)
    r1 = request(1, lat=north(-0.5))
    r2 = request(2, lat=north(1.5))
    assert [c for c, _ in SpatialIndex([a, b]).candidates(r2)] == [1]
    index = SpatialIndex([a, b])
    assert greedy_assign(index, [r1, r2]) == {1: 1, 2: None}
    assert assign_batch(index, [r1, r2]) == {1: 2, 2: 1}


def test_second_job_at_a_company_costs_its_extra_load():
    c = company(1, capacity=4, active_jobs=0)
    index = SpatialIndex([c])
    problem = build_batch_problem(index, [request(1), request(2)])
    real = problem.cols < problem.n_slots
    slot_costs = sorted(problem.costs[real & (problem.rows == 0)])
    assert len(slot_costs) == 2
    assert slot_costs[1] - slot_costs[0] == pytest.approx(Weights().load / 4)
    result = solve_batch(problem)
    assert result.assignment == {1: 1, 2: 1}
    assert result.objective == pytest.approx(2 * slot_costs[0] + Weights().load / 4)


def test_batch_edge_cases():
    index = SpatialIndex([company(1)])
    assert assign_batch(index, []) == {}
    assert assign_batch(SpatialIndex([]), [request(1)]) == {1: None}
    with pytest.raises(ValueError):
        assign_batch(index, [request(1), request(1)])


def test_assign_batch_is_deterministic():
    companies, requests = random_county(seed=3, n_companies=800, n_requests=200)
    index = SpatialIndex(companies)
    first = assign_batch(index, requests)
    assert first == assign_batch(index, list(requests))
    assert any(v is not None for v in first.values())
