"""Matching engine: offer a resident's service request to the best nearby contracted company.

Pure Python + numpy/scipy/h3, no Django: callers build immutable snapshots of companies and
requests (from the database, a cache, a benchmark generator…) and ask this module to

* find the *eligible* companies for one request (``SpatialIndex.candidates``),
* rank them by an explainable cost (``rank``; ``brute_force_rank`` is the reference), and
* assign a whole batch of waiting requests at once, respecting company capacity
  (``assign_batch``; ``greedy_assign`` and ``solve_exact_dense`` for comparison).

Eligibility (all must hold)
    1. the company serves the request's category,
    2. great-circle distance(company base, request) <= company.radius_km,
    3. the company is open at the requested minute of the day (``is_open``),
    4. active_jobs < capacity,
    5. the company is not in request.excluded_company_ids (it declined already).

Cost (lower is better) — see ``score_parts``::

    cost = w_distance   * distance_km / distance_scale_km
         + w_rating     * (5 - rating) / 5
         + w_acceptance * (1 - acceptance_rate)
         + w_load       * active_jobs / capacity
         + w_fairness   * volume_share

Spatial pruning — see ``SpatialIndex``: companies are bucketed by (category, H3 cell) and
a query visits only ``h3.grid_disk(request_cell, k)``; inside each visited bucket the
companies are sorted by ``radius_km + cell circumradius`` so a binary search skips, exactly,
the ones that cannot reach the request. Surviving entries are filtered exactly, vectorised.
"""
from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from h3.api import basic_int as h3i
from h3.api import numpy_int as h3n
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

__all__ = [
    "DEFAULT_RATING",
    "DEFAULT_RESOLUTION",
    "EARTH_RADIUS_KM",
    "PART_NAMES",
    "BatchProblem",
    "BatchResult",
    "Candidate",
    "CompanySnapshot",
    "RequestSnapshot",
    "SpatialIndex",
    "Weights",
    "assign_batch",
    "brute_force_rank",
    "build_batch_problem",
    "greedy_assign",
    "haversine_km",
    "is_eligible",
    "is_open",
    "rank",
    "score_parts",
    "solve_batch",
    "solve_exact_dense",
    "solve_greedy",
]

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius
MINUTES_PER_DAY = 1440
DEFAULT_RATING = 4.0
#: H3 resolution of the buckets. Res 7 cells are ~5 km² (edge ~1.2–1.4 km around lat 27°).
#: Service radii are 1 to ~15 km, so a query visits k = 3–11 rings (37–397 cells, one C call
#: + one vectorised binary search), while the exact per-bucket radius cut keeps the overscan
#: to the ~2.7 km band that two cell circumradii add. Res 8 would halve that band but need
#: ~2.5× the rings (~6× the cells) per disk; res 6 (~36 km² cells) would widen the band to
#: ~7 km, i.e. scan several times more companies for the common 3–8 km radii.
DEFAULT_RESOLUTION = 7
PART_NAMES = ("distance", "rating", "acceptance", "load", "fairness")

_BUCKET_STRIDE = 4096.0  # > any radius_km + circumradius (radius_km is validated < 2000)
_EPS_KM = 1e-6  # safety margin for the (exact) pruning thresholds


# --------------------------------------------------------------------------- snapshots


@dataclass(frozen=True, slots=True)
class CompanySnapshot:
    """What the engine needs to know about one contracted company, at one moment."""

    id: int
    lat: float
    lng: float
    category_ids: frozenset[int]
    radius_km: float
    opens_at: int  # minutes from midnight; opens_at == closes_at means open 24h
    closes_at: int  # closes_at < opens_at means open over midnight (e.g. 18:00–02:00)
    capacity: int
    active_jobs: int = 0
    rating: float = DEFAULT_RATING  # 0–5; DEFAULT_RATING when unrated
    acceptance_rate: float = 1.0  # 0–1: accepted offers / offers
    volume_share: float = 0.0  # 0–1: share of its category's volume this year (fairness)

    def __post_init__(self) -> None:
        if not (0 <= self.opens_at < MINUTES_PER_DAY and 0 <= self.closes_at < MINUTES_PER_DAY):
            raise ValueError(f"company {self.id}: opening minutes must be in [0, 1440)")
        if not (0.0 <= self.radius_km < 2000.0):
            raise ValueError(f"company {self.id}: radius_km out of range")
        if not 0.0 <= self.rating <= 5.0:
            raise ValueError(f"company {self.id}: rating must be within 0–5")
        if not (0.0 <= self.acceptance_rate <= 1.0 and 0.0 <= self.volume_share <= 1.0):
            raise ValueError(f"company {self.id}: acceptance_rate and volume_share must be within 0–1")
        if self.capacity < 0 or self.active_jobs < 0:
            raise ValueError(f"company {self.id}: capacity and active_jobs must be >= 0")


@dataclass(frozen=True, slots=True)
class RequestSnapshot:
    """One resident's request waiting for a company."""

    id: int
    lat: float
    lng: float
    category_id: int
    minute_of_day: int  # requested time, minutes from midnight
    excluded_company_ids: frozenset[int] = frozenset()  # companies that already declined it


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of the cost parts. One unit of cost = ``distance_scale_km`` km of distance.

    With the defaults: one rating star (0.1) ≈ 1 km; 10 points of acceptance rate (0.03)
    ≈ 300 m; a company at full load (0.2) ≈ 2 km; holding the whole category's volume
    (0.2) ≈ 2 km.
    """

    distance: float = 1.0
    rating: float = 0.5
    acceptance: float = 0.3
    load: float = 0.2
    fairness: float = 0.2
    distance_scale_km: float = 10.0

    def __post_init__(self) -> None:
        if min(self.distance, self.rating, self.acceptance, self.load, self.fairness) < 0:
            raise ValueError("weights must be >= 0 (the cost must stay monotone)")
        if self.distance_scale_km <= 0:
            raise ValueError("distance_scale_km must be > 0")


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True, slots=True)
class Candidate:
    company_id: int
    distance_km: float
    parts: dict[str, float] = field(compare=False)
    cost: float = 0.0


# --------------------------------------------------------------------------- scalar rules


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in km (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def is_open(opens_at: int, closes_at: int, minute: int) -> bool:
    """Open at ``minute``? Equal bounds = 24h; closes < opens = over midnight; closing minute excluded."""
    if opens_at == closes_at:
        return True
    if opens_at < closes_at:
        return opens_at <= minute < closes_at
    return minute >= opens_at or minute < closes_at


def is_eligible(company: CompanySnapshot, request: RequestSnapshot, distance_km: float) -> bool:
    """The five eligibility rules (see the module docstring), in plain Python."""
    return (
        request.category_id in company.category_ids
        and distance_km <= company.radius_km
        and is_open(company.opens_at, company.closes_at, request.minute_of_day)
        and company.active_jobs < company.capacity
        and company.id not in request.excluded_company_ids
    )


def score_parts(
    request: RequestSnapshot, company: CompanySnapshot, distance_km: float, weights: Weights | None = None
) -> dict[str, float]:
    """Cost parts of offering ``request`` to ``company``; lower is better.

    ::

        distance   = w_distance   * distance_km / distance_scale_km   (0 at the door, +w per scale km)
        rating     = w_rating     * (5 - rating) / 5                  (0 for 5 stars; unrated = 4.0)
        acceptance = w_acceptance * (1 - acceptance_rate)             (0 if it accepts every offer)
        load       = w_load       * active_jobs / capacity            (0 when idle)
        fairness   = w_fairness   * volume_share                      (0 for a company with no volume yet)
        total      = distance + (rating + acceptance + load + fairness)

    Every part is >= 0 and monotone in its own input, so the ranking is explainable part by
    part ("B came second because it is 1.8 km further and rated 0.5 star lower").
    ``request`` is not used by the current formula; it is part of the signature so a
    request-dependent part (urgency, preferred company) can be added without changing callers.
    """
    w = weights or DEFAULT_WEIGHTS
    parts = {
        "distance": w.distance * distance_km / w.distance_scale_km,
        "rating": w.rating * (5.0 - company.rating) / 5.0,
        "acceptance": w.acceptance * (1.0 - company.acceptance_rate),
        "load": w.load * company.active_jobs / company.capacity if company.capacity > 0 else w.load,
        "fairness": w.fairness * company.volume_share,
    }
    static = parts["rating"] + parts["acceptance"] + parts["load"] + parts["fairness"]
    parts["total"] = parts["distance"] + static
    return parts


def _candidate(company: CompanySnapshot, request: RequestSnapshot, distance_km: float, weights: Weights) -> Candidate:
    parts = score_parts(request, company, distance_km, weights)
    cost = parts.pop("total")
    return Candidate(company_id=company.id, distance_km=distance_km, parts=parts, cost=cost)


def brute_force_rank(
    companies: Iterable[CompanySnapshot], request: RequestSnapshot, limit: int = 10, weights: Weights | None = None
) -> list[Candidate]:
    """Reference ranking: distance + eligibility + score for every company, then sort.

    O(number of companies) per request; the benchmark baseline and the oracle of the tests.
    """
    w = weights or DEFAULT_WEIGHTS
    scored = []
    for company in companies:
        d = haversine_km(request.lat, request.lng, company.lat, company.lng)
        if is_eligible(company, request, d):
            scored.append(_candidate(company, request, d, w))
    scored.sort(key=lambda c: (c.cost, c.company_id))
    return scored[: max(limit, 0)]


# --------------------------------------------------------------------------- vector helpers


def _unit_xyz(lat_deg, lng_deg):
    lat = np.radians(lat_deg)
    lng = np.radians(lng_deg)
    cl = np.cos(lat)
    return cl * np.cos(lng), cl * np.sin(lng), np.sin(lat)


def _chord2_to_km(chord2: np.ndarray) -> np.ndarray:
    """Squared chord between unit vectors -> great-circle km (same as haversine: a = chord²/4)."""
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(chord2) / 2.0))


def _km_to_chord2(km):
    return (2.0 * np.sin(np.minimum(np.asarray(km, dtype=np.float64), math.pi * EARTH_RADIUS_KM) / (2.0 * EARTH_RADIUS_KM))) ** 2


def _expand_ranges(starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(s, s + n)`` for every (s, n) without a Python loop."""
    total = int(lens.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    offs = np.cumsum(lens) - lens
    return np.arange(total, dtype=np.int64) + np.repeat(starts - offs, lens)


@lru_cache(maxsize=1 << 16)
def _cell_geometry(cell: int) -> tuple[float, float, float, float]:
    """(x, y, z) of the cell centre on the unit sphere and its circumradius in km."""
    lat, lng = h3i.cell_to_latlng(cell)
    rho = max(haversine_km(lat, lng, vlat, vlng) for vlat, vlng in h3i.cell_to_boundary(cell))
    cl = math.cos(math.radians(lat))
    return (cl * math.cos(math.radians(lng)), cl * math.sin(math.radians(lng)), math.sin(math.radians(lat)), rho)


# --------------------------------------------------------------------------- spatial index


class SpatialIndex:
    """Companies bucketed by (category, H3 cell) at a fixed resolution (``DEFAULT_RESOLUTION``).

    Built once from a list of snapshots (immutable afterwards; rebuild when loads change).
    Layout: one *entry* per (company, category served), sorted by (category, cell,
    radius_km + circumradius(cell)), with every attribute the query needs stored as a
    numpy column in that order — a query never loops over companies in Python.

    Query (``candidates``/``rank``) for a request in cell Y with maximal radius R:
      1. ``h3.grid_disk(Y, k)``, k = the number of rings whose centres can lie within
         R + 2·circumradius (derived from the smallest indexed cell, with 15 % slack);
      2. the disk cells that hold companies → (category, cell) buckets via one binary search;
      3. in each bucket only entries with radius_km + ρ(cell) >= dist(centres) − ρ(Y) can
         reach the request (triangle inequality), a contiguous suffix found by one more
         binary search over all buckets at once;
      4. exact vectorised filter of the survivors (distance <= radius, open, capacity,
         exclusions).
    Companies with no spare capacity (active_jobs >= capacity) are not indexed at all.
    The batch path (``build_batch_problem``) uses the same buckets, re-sorted by static cost
    part, and opens them in expanding rounds (see ``_batch_top``).
    """

    def __init__(self, companies: Sequence[CompanySnapshot], resolution: int = DEFAULT_RESOLUTION):
        self.resolution = resolution
        self.companies: list[CompanySnapshot] = list(companies)
        self.by_id: dict[int, CompanySnapshot] = {}
        for c in self.companies:
            if c.id in self.by_id:
                raise ValueError(f"duplicate company id {c.id}")
            self.by_id[c.id] = c
        self._static_cache: dict[Weights, np.ndarray] = {}

        comps = [c for c in self.companies if c.active_jobs < c.capacity]
        n = len(comps)
        cells = np.fromiter((h3i.latlng_to_cell(c.lat, c.lng, resolution) for c in comps), dtype=np.uint64, count=n)
        self._ucells, cell_idx = np.unique(cells, return_inverse=True)
        geo = np.array([_cell_geometry(int(u)) for u in self._ucells], dtype=np.float64).reshape(-1, 4)
        self._cx, self._cy, self._cz, self._crho = geo[:, 0], geo[:, 1], geo[:, 2], geo[:, 3]
        n_cells = len(self._ucells)
        if n_cells:
            areas = np.array([h3i.cell_area(int(u), "km^2") for u in self._ucells])
            edge_min = float(np.sqrt(2.0 * areas.min() / (3.0 * math.sqrt(3.0))))  # regular-hexagon edge
            self._ring_km = 1.5 * edge_min * 0.85  # each ring moves centres >= 1.5·edge away
            self._rho_max = float(self._crho.max()) * 1.15
        else:
            self._ring_km, self._rho_max = 1.0, 0.0

        cats = sorted({cat for c in comps for cat in c.category_ids})
        self._cat_index = {cat: i for i, cat in enumerate(cats)}
        e_comp, e_cat = [], []
        for row, c in enumerate(comps):
            for cat in c.category_ids:
                e_comp.append(row)
                e_cat.append(self._cat_index[cat])
        e_comp = np.asarray(e_comp, dtype=np.int64)
        e_cat = np.asarray(e_cat, dtype=np.int64)

        radius = np.fromiter((c.radius_km for c in comps), dtype=np.float64, count=n)
        e_cell = cell_idx.astype(np.int64)[e_comp] if n else np.empty(0, np.int64)
        e_reach = radius[e_comp] + self._crho[e_cell] if n else np.empty(0)
        e_bucket = e_cat * max(n_cells, 1) + e_cell
        order = np.lexsort((e_reach, e_bucket))
        e_comp, e_cat, e_bucket, e_reach = e_comp[order], e_cat[order], e_bucket[order], e_reach[order]
        self._bkeys, bstart, bcount = np.unique(e_bucket, return_index=True, return_counts=True)
        self._bstart = bstart.astype(np.int64)
        self._bstop = self._bstart + bcount
        self._bmax_reach = e_reach[self._bstop - 1] if len(bcount) else np.empty(0)
        # dense (category, cell) -> bucket table for the batch path when it is small enough
        self._btable = None
        if len(cats) * n_cells <= 8_000_000:
            self._btable = np.full(len(cats) * max(n_cells, 1), -1, dtype=np.int64)
            self._btable[self._bkeys] = np.arange(len(self._bkeys))
        brank = np.repeat(np.arange(len(self._bkeys), dtype=np.float64), bcount)
        self._bsearch = brank * _BUCKET_STRIDE + e_reach  # sorted: (bucket, reach)
        self._n_cells = max(n_cells, 1)
        # per-category max radius (for the disk size and to skip far cells early)
        self._cat_rmax = np.zeros(len(cats), dtype=np.float64)
        if len(e_cat):
            np.maximum.at(self._cat_rmax, e_cat, radius[e_comp])
        self.max_radius_km = float(radius.max()) if n else 0.0

        # entry-ordered columns
        lat = np.fromiter((c.lat for c in comps), dtype=np.float64, count=n)
        lng = np.fromiter((c.lng for c in comps), dtype=np.float64, count=n)
        x, y, z = _unit_xyz(lat, lng)
        opens = np.fromiter((c.opens_at for c in comps), dtype=np.int32, count=n)
        closes = np.fromiter((c.closes_at for c in comps), dtype=np.int32, count=n)
        dur = (closes - opens) % MINUTES_PER_DAY
        dur[dur == 0] = MINUTES_PER_DAY
        self._comp_rows = e_comp
        self._ex, self._ey, self._ez = x[e_comp], y[e_comp], z[e_comp]
        self._ereach2 = _km_to_chord2(radius)[e_comp]
        self._eopen = opens[e_comp]
        self._edur = dur[e_comp]
        self._row_id = np.fromiter((c.id for c in comps), dtype=np.int64, count=n)
        self._eid = self._row_id[e_comp]
        self._rating = np.fromiter((c.rating for c in comps), dtype=np.float64, count=n)
        self._accept = np.fromiter((c.acceptance_rate for c in comps), dtype=np.float64, count=n)
        self._active = np.fromiter((c.active_jobs for c in comps), dtype=np.float64, count=n)
        self._cap = np.fromiter((c.capacity for c in comps), dtype=np.float64, count=n)
        self._share = np.fromiter((c.volume_share for c in comps), dtype=np.float64, count=n)
        self._indexed = comps
        self._row_of_id = {c.id: row for row, c in enumerate(comps)}
        self._bmin_static_cache: dict[Weights, np.ndarray] = {}
        self._static_order_cache: dict[Weights, tuple[np.ndarray, np.ndarray, float]] = {}

    def __len__(self) -> int:
        return len(self.companies)

    # -- helpers ---------------------------------------------------------------------

    def k_for(self, radius_km: float) -> int:
        """Rings of ``grid_disk`` that cover every cell a company within ``radius_km`` can sit in."""
        return int((radius_km + 2.0 * self._rho_max) // self._ring_km) + 1

    def _static(self, w: Weights) -> np.ndarray:
        """rating + acceptance + load + fairness per entry (same operation order as score_parts)."""
        s = self._static_cache.get(w)
        if s is None:
            rating = w.rating * (5.0 - self._rating) / 5.0
            accept = w.acceptance * (1.0 - self._accept)
            load = w.load * self._active / self._cap
            fair = w.fairness * self._share
            s = (((rating + accept) + load) + fair)[self._comp_rows]
            self._static_cache[w] = s
        return s

    def _bmin_static(self, w: Weights) -> np.ndarray:
        """Lowest static cost part in every bucket (a lower bound for the whole bucket)."""
        s = self._bmin_static_cache.get(w)
        if s is None:
            s = np.minimum.reduceat(self._static(w), self._bstart) if len(self._bstart) else np.empty(0)
            self._bmin_static_cache[w] = s
        return s

    def _static_order(self, w: Weights) -> tuple[np.ndarray, np.ndarray, float]:
        """Entries of every bucket re-sorted by static cost part, for the batch path:
        (permutation, sorted search keys bucket·stride + static, stride)."""
        cached = self._static_order_cache.get(w)
        if cached is None:
            static = self._static(w)
            stride = float(static.max()) + 1.0 if static.size else 1.0
            brank = np.repeat(np.arange(len(self._bkeys), dtype=np.float64), self._bstop - self._bstart)
            perm = np.lexsort((static, brank))
            cached = (perm, brank[perm] * stride + static[perm], stride)
            self._static_order_cache[w] = cached
        return cached

    def _bucket_of(self, cat: np.ndarray, cell_idx: np.ndarray) -> np.ndarray:
        """Bucket rank of each (category, cell index), -1 when no company is there."""
        keys = cat * self._n_cells + cell_idx
        if self._btable is not None:
            return self._btable[keys]
        b = np.searchsorted(self._bkeys, keys)
        np.minimum(b, len(self._bkeys) - 1, out=b)
        return np.where(self._bkeys[b] == keys, b, -1)

    def _disk(self, cell: int, k: int) -> tuple[np.ndarray, np.ndarray, float]:
        """Indexed cells in grid_disk(cell, k): (cell indices, centre distance km, ρ(cell))."""
        cx, cy, cz, rho = _cell_geometry(cell)
        disk = h3n.grid_disk(cell, k)
        pos = np.searchsorted(self._ucells, disk)
        np.minimum(pos, len(self._ucells) - 1, out=pos)
        hit = pos[self._ucells[pos] == disk]
        d = _chord2_to_km((self._cx[hit] - cx) ** 2 + (self._cy[hit] - cy) ** 2 + (self._cz[hit] - cz) ** 2)
        return hit.astype(np.int64), d, rho

    def _disks(self, cells: np.ndarray, radius_km: np.ndarray):
        """``_disk`` for many cells at once: flat (cell index, owner position, centre distance)
        plus ρ of every input cell."""
        geo = np.array([_cell_geometry(int(c)) for c in cells]).reshape(-1, 4)
        disks = [h3n.grid_disk(int(c), self.k_for(r)) for c, r in zip(cells, radius_km)]
        lens = np.array([len(d) for d in disks], dtype=np.int64)
        flat = np.concatenate(disks) if disks else np.empty(0, np.uint64)
        owner = np.repeat(np.arange(len(cells)), lens)
        pos = np.searchsorted(self._ucells, flat)
        np.minimum(pos, len(self._ucells) - 1, out=pos)
        found = self._ucells[pos] == flat
        hit, owner = pos[found].astype(np.int64), owner[found]
        dist = _chord2_to_km((self._cx[hit] - geo[owner, 0]) ** 2 + (self._cy[hit] - geo[owner, 1]) ** 2
                             + (self._cz[hit] - geo[owner, 2]) ** 2)
        return hit, owner, dist, geo[:, 3]

    def _bucket_ranges(self, cat: np.ndarray, hit: np.ndarray, dist: np.ndarray, rho_y: np.ndarray, cap_km):
        """For (category, cell, centre distance) rows: (start, length) of the entries that may reach."""
        ok = dist <= self._cat_rmax[cat] + self._crho[hit] + rho_y + _EPS_KM
        if cap_km is not None:
            ok &= dist <= cap_km + self._crho[hit] + rho_y + _EPS_KM
        keys = cat[ok] * self._n_cells + hit[ok]
        b = np.searchsorted(self._bkeys, keys)
        np.minimum(b, max(len(self._bkeys) - 1, 0), out=b)
        present = self._bkeys[b] == keys
        b = b[present]
        thr = np.clip(dist[ok][present] - rho_y[ok][present] - _EPS_KM, 0.0, _BUCKET_STRIDE - 1.0)
        starts = np.searchsorted(self._bsearch, b * _BUCKET_STRIDE + thr, side="left")
        lens = np.maximum(self._bstop[b] - starts, 0)
        return starts, lens, ok, present

    def _eligible(self, request: RequestSnapshot, max_radius_km: float | None = None):
        """Entry indices of eligible companies and their squared chord distance."""
        empty = (np.empty(0, np.int64), np.empty(0))
        cat = self._cat_index.get(request.category_id)
        if cat is None or not len(self._bkeys):
            return empty
        r = self._cat_rmax[cat] if max_radius_km is None else min(max_radius_km, self._cat_rmax[cat])
        cell = h3i.latlng_to_cell(request.lat, request.lng, self.resolution)
        hit, dist, rho = self._disk(cell, self.k_for(r))
        if not hit.size:
            return empty
        starts, lens, _, _ = self._bucket_ranges(
            np.full(hit.size, cat, dtype=np.int64), hit, dist, np.full(hit.size, rho), max_radius_km
        )
        idx = _expand_ranges(starts, lens)
        if not idx.size:
            return empty
        qx, qy, qz = _unit_xyz(request.lat, request.lng)
        chord2 = (self._ex[idx] - qx) ** 2 + (self._ey[idx] - qy) ** 2 + (self._ez[idx] - qz) ** 2
        reach2 = self._ereach2[idx]
        if max_radius_km is not None:
            reach2 = np.minimum(reach2, _km_to_chord2(max_radius_km))
        ok = chord2 <= reach2
        ok &= (request.minute_of_day - self._eopen[idx]) % MINUTES_PER_DAY < self._edur[idx]
        if request.excluded_company_ids:
            ok &= ~np.isin(self._eid[idx], np.fromiter(request.excluded_company_ids, dtype=np.int64))
        return idx[ok], chord2[ok]

    # -- public ----------------------------------------------------------------------

    def candidates(self, request: RequestSnapshot, max_radius_km: float | None = None) -> list[tuple[int, float]]:
        """Eligible companies for ``request`` as (company_id, distance_km), nearest first.

        ``max_radius_km`` (default: the largest radius in the request's category) sizes the
        grid disk; when given it also caps the distance (companies further away are dropped
        even if their own radius would reach).
        """
        idx, chord2 = self._eligible(request, max_radius_km)
        d = _chord2_to_km(chord2)
        ids = self._eid[idx]
        order = np.lexsort((ids, d))
        return [(int(i), float(x)) for i, x in zip(ids[order], d[order])]


def rank(index: SpatialIndex, request: RequestSnapshot, limit: int = 10, weights: Weights | None = None) -> list[Candidate]:
    """The ``limit`` eligible companies with the lowest cost, sorted by (cost, company id)."""
    w = weights or DEFAULT_WEIGHTS
    if limit <= 0:
        return []
    idx, chord2 = index._eligible(request)
    if not idx.size:
        return []
    d = _chord2_to_km(chord2)
    cost = w.distance * d / w.distance_scale_km + index._static(w)[idx]
    sel = _lowest(cost, limit)
    ids = index._eid[idx[sel]]
    order = np.lexsort((ids, cost[sel]))[:limit]
    return [_candidate(index._indexed[index._comp_rows[idx[sel[o]]]], request, float(d[sel[o]]), w) for o in order]


def _lowest(cost: np.ndarray, limit: int) -> np.ndarray:
    """Positions of every value <= the limit-th smallest (ties at the boundary kept)."""
    if cost.size <= limit:
        return np.arange(cost.size)
    kth = np.partition(cost, limit - 1)[limit - 1]
    return np.flatnonzero(cost <= kth)


# --------------------------------------------------------------------------- batch assignment


@dataclass
class BatchProblem:
    """Sparse assignment problem for a batch of requests.

    Rows = requests (in the given order). Columns = company *slots* then one dummy column
    per request. A company with spare capacity s that appears in the top-N of d requests
    gets m = min(s, d) slot columns; slot j costs what the request costs at slot 0 plus
    ``w_load * j / capacity`` (the load part as if j more jobs were already taken), so
    cheaper slots are filled first and at most m requests go to that company. The dummy
    column of request i (cost ``unassigned_cost``) only connects to row i, so a full
    matching always exists.
    """

    request_ids: list[int]
    rows: np.ndarray  # edge arrays (real edges + dummy edges)
    cols: np.ndarray
    costs: np.ndarray
    n_slots: int
    slot_company: np.ndarray  # company id of each slot column
    unassigned_cost: float
    top: list[list[Candidate]] = field(repr=False, default_factory=list)  # only if asked for
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.request_ids), self.n_slots + len(self.request_ids)

    def matrix(self, offset: float = 0.0) -> sparse.csr_array:
        return sparse.csr_array((self.costs + offset, (self.rows, self.cols)), shape=self.shape)

    def dense(self) -> np.ndarray:
        """The same costs as a dense matrix, ``inf`` where there is no edge."""
        m = np.full(self.shape, np.inf)
        m[self.rows, self.cols] = self.costs
        return m


@dataclass
class BatchResult:
    assignment: dict[int, int | None]
    objective: float  # sum of the matrix entries used (dummies included)
    assigned_cost: float  # sum over assigned requests only
    n_assigned: int


#: Rounds of the batch search (km): round i opens the cells whose nearest possible point is
#: within (ROUNDS[i-1], ROUNDS[i]] of the request and whose lower bound can still win.
_ROUNDS_KM = (0.5, 2.0, 4.0, math.inf)


def _batch_top(index: SpatialIndex, requests: Sequence[RequestSnapshot], limit: int, w: Weights):
    """Top-``limit`` eligible entries of every request, vectorised over the whole batch.

    Same result as ``rank(index, r, limit)`` for every request (ties broken by company id),
    organised for thousands of requests at once. Rows are (request, cell of its grid disk
    holding a bucket of its category); gap = dist(request, cell centre) − ρ(cell) is a lower
    bound on the distance to any company of the cell. Rows are opened in expanding rounds
    (``_ROUNDS_KM``); after each round bound[r] = the ``limit``-th best cost found so far, and a
    row is opened later only if its lower bound
    ``w_distance·gap/scale + lowest static part of the bucket`` is <= bound[r]. A row above the
    bound cannot contain a top-``limit`` company, so the result is exact while most far cells
    are never opened.

    Returns (request row, entry index, distance km, cost) arrays sorted by (row, cost, id).
    """
    n = len(requests)
    none = (np.empty(0, np.int64),) * 2 + (np.empty(0),) * 2
    if n == 0 or not len(index._bkeys) or limit <= 0:
        return none
    res = index.resolution
    cat = np.fromiter((index._cat_index.get(r.category_id, -1) for r in requests), dtype=np.int64, count=n)
    live = np.flatnonzero(cat >= 0)
    if not live.size:
        return none
    cell = np.fromiter((h3i.latlng_to_cell(requests[i].lat, requests[i].lng, res) for i in live),
                       dtype=np.uint64, count=live.size)
    qlat = np.fromiter((r.lat for r in requests), dtype=np.float64, count=n)
    qlng = np.fromiter((r.lng for r in requests), dtype=np.float64, count=n)
    qminute = np.fromiter((r.minute_of_day for r in requests), dtype=np.int32, count=n)
    qx, qy, qz = _unit_xyz(qlat, qlng)
    cat_rmax = index._cat_rmax[cat[live]]
    static = index._static(w)
    bmin_static = index._bmin_static(w)
    s_min = float(bmin_static.min())
    excl_keys = _exclusion_keys(index, requests)

    # one grid disk per distinct request cell u, flattened (u-major): indexed cell f_hit at
    # centre distance f_dist; f_lo/f_hi bound the gap of any request in u. Disks are first
    # sized for the early rounds and grown only for the cells whose requests need more.
    ucell, uinv = np.unique(cell, return_inverse=True)
    u_rmax = np.zeros(len(ucell))
    np.maximum.at(u_rmax, uinv, cat_rmax)
    u_rho = np.array([_cell_geometry(int(c))[3] for c in ucell])
    disk = {"radius": np.full(len(ucell), -np.inf), "hit": np.empty(0, np.int64),
            "u": np.empty(0, np.int64), "dist": np.empty(0)}

    def grow_disks(need: np.ndarray) -> None:
        grow = np.flatnonzero(need > disk["radius"])
        if not grow.size:
            return
        radius = np.maximum(need[grow], np.minimum(u_rmax[grow], _ROUNDS_KM[-2]))
        hit, owner, dist, _ = index._disks(ucell[grow], radius)
        regrown = np.zeros(len(ucell), dtype=bool)
        regrown[grow] = True
        old = ~regrown[disk["u"]]
        u = np.concatenate([disk["u"][old], grow[owner]])
        order = np.argsort(u, kind="stable")
        disk["u"] = u[order]
        disk["hit"] = np.concatenate([disk["hit"][old], hit])[order]
        disk["dist"] = np.concatenate([disk["dist"][old], dist])[order]
        disk["radius"][grow] = radius
        disk["lo"] = disk["dist"] - index._crho[disk["hit"]] - u_rho[disk["u"]]
        disk["hi"] = disk["dist"] - index._crho[disk["hit"]] + u_rho[disk["u"]]

    def rows_within(sel: np.ndarray, radius: np.ndarray, inner: float):
        """Rows (request, bucket, gap) of live requests ``sel`` with inner < gap <= radius whose
        bucket has a company able to reach that far."""
        rmax = np.full(len(ucell), -np.inf)
        np.maximum.at(rmax, uinv[sel], radius)
        grow_disks(rmax)
        f_hit, f_u = disk["hit"], disk["u"]
        pick = np.flatnonzero((disk["lo"] <= rmax[f_u] + _EPS_KM) & (disk["hi"] > inner))
        cnt = np.bincount(f_u[pick], minlength=len(ucell))
        off = np.cumsum(cnt) - cnt
        lens = cnt[uinv[sel]]
        rr = np.repeat(live[sel], lens)
        rad = np.repeat(radius, lens)
        rx = f_hit[pick[_expand_ranges(off[uinv[sel]], lens)]]
        b = index._bucket_of(cat[rr], rx)
        keep = b >= 0
        rr, rx, b, rad = rr[keep], rx[keep], b[keep], rad[keep]
        gap = _chord2_to_km((index._cx[rx] - qx[rr]) ** 2 + (index._cy[rx] - qy[rr]) ** 2 + (index._cz[rx] - qz[rr]) ** 2)
        gap -= index._crho[rx]
        keep = (gap > inner) & (gap <= rad + _EPS_KM) & (gap <= index._bmax_reach[b] - index._crho[rx] + _EPS_KM)
        return rr[keep], b[keep], gap[keep]

    perm, skey, stride = index._static_order(w)

    def evaluate(rr: np.ndarray, b: np.ndarray, gap: np.ndarray):
        """Exact eligibility and cost of the companies in the given rows' buckets whose static
        part can still beat bound[r] at that distance (a prefix of the static-sorted bucket)."""
        starts = index._bstart[b]
        room = bound[rr] - w.distance * np.maximum(gap, 0.0) / w.distance_scale_km
        limited = np.isfinite(room)
        stops = index._bstop[b]
        if limited.any():
            key = b[limited] * stride + np.clip(room[limited], -1.0, stride - 1.0) + 1e-9
            stops = stops.copy()
            stops[limited] = np.maximum(np.searchsorted(skey, key, side="right"), starts[limited])
        counts = stops - starts
        pe = perm[_expand_ranges(starts, counts)]
        pr = np.repeat(rr, counts)
        chord2 = (index._ex[pe] - qx[pr]) ** 2
        chord2 += (index._ey[pe] - qy[pr]) ** 2
        chord2 += (index._ez[pe] - qz[pr]) ** 2
        ok = chord2 <= index._ereach2[pe]
        ok &= (qminute[pr] - index._eopen[pe]) % MINUTES_PER_DAY < index._edur[pe]
        pr, pe, chord2 = pr[ok], pe[ok], chord2[ok]
        if excl_keys.size:
            keys = pr * len(index._indexed) + index._comp_rows[pe]
            pos = np.minimum(np.searchsorted(excl_keys, keys), excl_keys.size - 1)
            ok = excl_keys[pos] != keys
            pr, pe, chord2 = pr[ok], pe[ok], chord2[ok]
        dist = _chord2_to_km(chord2)
        return pr, pe, dist, w.distance * dist / w.distance_scale_km + static[pe]

    bound = np.full(n, np.inf)
    found = none
    inner = -np.inf
    for outer in _ROUNDS_KM:
        reach = np.minimum(cat_rmax, outer)
        if w.distance > 0:
            reach = np.minimum(reach, (bound[live] - s_min) * w.distance_scale_km / w.distance)
        sel = np.flatnonzero(reach > inner)
        if not sel.size:
            break
        rr, b, gap = rows_within(sel, reach[sel], inner)
        lower = w.distance * np.maximum(gap, 0.0) / w.distance_scale_km + bmin_static[b]
        todo = lower <= bound[rr]
        new = evaluate(rr[todo], b[todo], gap[todo])
        pr, pe, dist, cost = (np.concatenate([a, x]) for a, x in zip(found, new))
        found = (pr, pe, dist, cost)
        if pr.size and outer != _ROUNDS_KM[-1]:
            # limit-th smallest cost per request: one sort on request + cost/span
            span = float(cost.max()) + 1.0
            srt = np.sort(pr * span + cost)
            counts = np.bincount(pr, minlength=n)
            full = np.flatnonzero(counts >= limit)
            kth = srt[(np.cumsum(counts) - counts)[full] + limit - 1] - full * span
            bound[full] = np.minimum(bound[full], kth + 1e-9 * (1.0 + np.abs(kth)))
            keep = cost <= bound[pr]
            found = (pr[keep], pe[keep], dist[keep], cost[keep])
        inner = outer

    pr, pe, dist, cost = found
    keep = cost <= bound[pr]
    pr, pe, dist, cost = pr[keep], pe[keep], dist[keep], cost[keep]
    order = np.lexsort((index._eid[pe], cost, pr))
    pr, pe, dist, cost = pr[order], pe[order], dist[order], cost[order]
    counts = np.bincount(pr, minlength=n)
    rank_in_row = np.arange(pr.size) - np.repeat(np.cumsum(counts) - counts, counts)
    keep = rank_in_row < limit
    return pr[keep], pe[keep], dist[keep], cost[keep]


def _exclusion_keys(index: SpatialIndex, requests: Sequence[RequestSnapshot]) -> np.ndarray:
    """Sorted keys request_row * n_indexed + company_row of every (request, declined company)."""
    n_rows = len(index._indexed)
    keys = [
        i * n_rows + index._row_of_id[cid]
        for i, r in enumerate(requests)
        for cid in r.excluded_company_ids
        if cid in index._row_of_id
    ]
    return np.unique(np.asarray(keys, dtype=np.int64))


def build_batch_problem(
    index: SpatialIndex,
    requests: Sequence[RequestSnapshot],
    per_request_limit: int = 10,
    weights: Weights | None = None,
    unassigned_cost: float | None = None,
    keep_candidates: bool = False,
) -> BatchProblem:
    """Sparse cost matrix over each request's top-``per_request_limit`` candidates.

    ``unassigned_cost`` defaults to n·(c_max − c_min) + c_max + 1 over the real edges: then
    any augmenting path is cheaper than leaving a request unassigned, so the optimum serves
    as many requests as possible and, among those, has the lowest total cost.
    """
    w = weights or DEFAULT_WEIGHTS
    ids = [r.id for r in requests]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate request ids in batch")
    n = len(requests)
    t0 = time.perf_counter()
    pr, pe, dist, cost = _batch_top(index, requests, per_request_limit, w)
    t1 = time.perf_counter()

    comp_row = index._comp_rows[pe]
    ucomp, inv, demand = np.unique(comp_row, return_inverse=True, return_counts=True)
    spare = (index._cap[ucomp] - index._active[ucomp]).astype(np.int64)
    slots = np.minimum(spare, demand)
    slot_off = np.cumsum(slots) - slots
    n_slots = int(slots.sum())
    e_slots = slots[inv]
    rows = np.repeat(pr, e_slots)
    j = _expand_ranges(np.zeros(pr.size, dtype=np.int64), e_slots)
    cols = np.repeat(slot_off[inv], e_slots) + j
    step = (w.load / index._cap[ucomp])[inv]
    costs = np.repeat(cost, e_slots) + np.repeat(step, e_slots) * j
    if unassigned_cost is None:
        if costs.size:
            unassigned_cost = float(n * (costs.max() - costs.min()) + costs.max() + 1.0)
        else:
            unassigned_cost = 1.0
    rows = np.concatenate([rows, np.arange(n)])
    cols = np.concatenate([cols, n_slots + np.arange(n)])
    costs = np.concatenate([costs, np.full(n, float(unassigned_cost))])
    slot_company = np.repeat(index._row_id[ucomp], slots)
    top: list[list[Candidate]] = []
    if keep_candidates:
        top = [[] for _ in range(n)]
        for r, e, d in zip(pr.tolist(), pe.tolist(), dist.tolist()):
            top[r].append(_candidate(index._indexed[index._comp_rows[e]], requests[r], d, w))
    t2 = time.perf_counter()
    return BatchProblem(
        request_ids=ids, rows=rows, cols=cols, costs=costs, n_slots=n_slots, slot_company=slot_company,
        unassigned_cost=float(unassigned_cost), top=top,
        timings_ms={"candidates": (t1 - t0) * 1e3, "matrix": (t2 - t1) * 1e3},
    )


def _result(problem: BatchProblem, col_of_row: np.ndarray) -> BatchResult:
    """Assignment and objective of a full matching given as the column of every row."""
    used = problem.cols == col_of_row[problem.rows]  # the one edge of each row in the matching
    values = np.zeros(len(problem.request_ids))
    values[problem.rows[used]] = problem.costs[used]
    real = col_of_row < problem.n_slots
    company = np.full(len(col_of_row), -1, dtype=np.int64)
    company[real] = problem.slot_company[col_of_row[real]]
    assignment = {rid: (int(c) if ok else None)
                  for rid, c, ok in zip(problem.request_ids, company.tolist(), real.tolist())}
    return BatchResult(assignment=assignment, objective=float(values.sum()),
                       assigned_cost=float(values[real].sum()), n_assigned=int(real.sum()))


def _dominance_reduce(problem: BatchProblem, max_rounds: int = 8):
    """Drop edges no optimal matching uses; returns (rows, cols, costs) of the reduced graph.

    If column c is *private* to row r (no other row has an edge to it) then in every optimal
    matching r costs at most cost(r, c): otherwise moving r to the free column c would be
    cheaper. So every edge of r dearer than r's cheapest private column can go (each row's
    dummy column is private, so this also applies with c = dummy). Dropping edges makes more
    columns private; repeat until nothing changes. The optimum value is unchanged; the solver,
    whose cost grows with rows × columns for rectangular problems, gets far fewer columns.
    """
    n, n_cols = problem.shape
    rows, cols, costs = problem.rows, problem.cols, problem.costs
    for _ in range(max_rounds):
        degree = np.bincount(cols, minlength=n_cols)
        private = degree[cols] == 1
        best_private = np.full(n, np.inf)
        np.minimum.at(best_private, rows[private], costs[private])
        keep = costs <= best_private[rows]
        if keep.all():
            break
        rows, cols, costs = rows[keep], cols[keep], costs[keep]
    return rows, cols, costs


def _renumber(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values ascending, position of each value among them) for ints in [0, size)."""
    present = np.zeros(size, dtype=bool)
    present[values] = True
    distinct = np.flatnonzero(present)
    local = np.cumsum(present) - 1
    return distinct, local[values]


def solve_batch(problem: BatchProblem, reduce: bool = True) -> BatchResult:
    """Minimum-cost full matching with ``scipy.sparse.csgraph.min_weight_full_bipartite_matching``.

    The graph is first shrunk by ``_dominance_reduce`` (exact); rows left with nothing but
    private columns take their cheapest one directly; the remaining rows and columns are
    renumbered and solved. All costs are shifted by +1 (the solver drops stored zeros); every
    row is matched exactly once, so the shift adds the same n to every matching.
    ``reduce=False`` solves the unreduced matrix (used by the tests to check the reduction).
    """
    n = len(problem.request_ids)
    if not n:
        return BatchResult({}, 0.0, 0.0, 0)
    col_of_row = np.full(n, -1, dtype=np.int64)
    if reduce:
        rows, cols, costs = _dominance_reduce(problem)
        # rows whose every remaining column is private to them: no competition, take the cheapest
        private = np.bincount(cols, minlength=problem.shape[1])[cols] == 1
        alone = np.bincount(rows[~private], minlength=n) == 0
        order = np.lexsort((cols, costs, rows))
        first = order[np.r_[True, rows[order][1:] != rows[order][:-1]]]
        solo = first[alone[rows[first]]]
        col_of_row[rows[solo]] = cols[solo]
        rest = ~alone[rows]
        rows, cols, costs = rows[rest], cols[rest], costs[rest]
    else:
        rows, cols, costs = problem.rows, problem.cols, problem.costs
    if rows.size:
        urows, lrows = _renumber(rows, n)
        ucols, lcols = _renumber(cols, problem.shape[1])
        matrix = sparse.csr_array((costs + 1.0, (lrows, lcols)), shape=(len(urows), len(ucols)))
        row_ind, col_ind = min_weight_full_bipartite_matching(matrix)
        col_of_row[urows[row_ind]] = ucols[col_ind]
    return _result(problem, col_of_row)


def solve_exact_dense(problem: BatchProblem) -> BatchResult:
    """Same problem, dense, with ``scipy.optimize.linear_sum_assignment`` (the benchmark oracle)."""
    if not problem.request_ids:
        return BatchResult({}, 0.0, 0.0, 0)
    row_ind, col_ind = linear_sum_assignment(problem.dense())
    col_of_row = np.empty(len(problem.request_ids), dtype=np.int64)
    col_of_row[row_ind] = col_ind
    return _result(problem, col_of_row)


def solve_greedy(problem: BatchProblem) -> BatchResult:
    """Arrival order: each request takes its cheapest column still free (a slot or its dummy).

    Slots of a company are used in order, so this is "best company with spare capacity, at its
    current load" — what a one-at-a-time dispatcher would do.
    """
    n = len(problem.request_ids)
    if not n:
        return BatchResult({}, 0.0, 0.0, 0)
    order = np.lexsort((problem.cols, problem.rows))
    rows, cols, costs = problem.rows[order], problem.cols[order], problem.costs[order]
    bounds = np.searchsorted(rows, np.arange(n + 1))
    taken = np.zeros(problem.n_slots + n, dtype=bool)
    col_of_row = np.empty(n, dtype=np.int64)
    for r in range(n):
        lo, hi = bounds[r], bounds[r + 1]
        c, v = cols[lo:hi], costs[lo:hi]
        free = ~taken[c]
        best = c[free][np.argmin(v[free])]
        taken[best] = True
        col_of_row[r] = best
    return _result(problem, col_of_row)


def assign_batch(
    index: SpatialIndex,
    requests: Sequence[RequestSnapshot],
    per_request_limit: int = 10,
    weights: Weights | None = None,
    unassigned_cost: float | None = None,
) -> dict[int, int | None]:
    """Optimal assignment of a batch: request id -> company id, or None when unassigned.

    Maximises the number of requests served, then minimises the total cost (see
    ``build_batch_problem``), over each request's ``per_request_limit`` best candidates; a
    company never gets more requests than its spare capacity.
    """
    problem = build_batch_problem(index, requests, per_request_limit, weights, unassigned_cost)
    return solve_batch(problem).assignment


def greedy_assign(
    index: SpatialIndex,
    requests: Sequence[RequestSnapshot],
    per_request_limit: int = 10,
    weights: Weights | None = None,
    unassigned_cost: float | None = None,
) -> dict[int, int | None]:
    """Arrival-order greedy on the same candidates and costs as ``assign_batch``."""
    problem = build_batch_problem(index, requests, per_request_limit, weights, unassigned_cost)
    return solve_greedy(problem).assignment
