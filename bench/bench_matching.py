"""Matching speed: 10,000 leads x 1 and x 200 properties, beside a lean pure-Python floor.

Run: .venv/bin/python bench/bench_matching.py. Prints figures (best of a few runs); the floor is
the lean loop of perf-baselines.md section 4 (days precomputed, score only), timed in the same run.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from app.matching.lead_matrix import (
    LeadMatrix,
    breakdowns_for_properties,
    match_columns,
    score_properties,
    score_property,
)
from app.matching.scoring import (
    LeadFacts,
    ListingOperation,
    Operation,
    PropertyFacts,
    location_keys,
)

LEADS = 10_000
PROPERTIES = 200
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
NEIGHBOURHOODS = [
    "Chamberí",
    "Salamanca",
    "Retiro",
    "Malasaña",
    "Lavapiés",
    "Chueca",
    "Tetuán",
    "Arganzuela",
    "Usera",
    "Moncloa",
    "Gràcia",
    "Eixample",
    "Sants",
    "Poblenou",
    "El Born",
    "Sarrià",
    "Triana",
    "Nervión",
    "Los Remedios",
    "Alameda",
    "Ruzafa",
    "El Carmen",
    "Benimaclet",
    "Cabanyal",
    "Albaicín",
    "Realejo",
    "Zaidín",
    "Pedregalejo",
    "El Palo",
    "Soho Málaga",
]
CITIES = ["Madrid", "Barcelona", "Sevilla", "Valencia", "Granada", "Málaga"]
T = TypeVar("T")


def make_leads(rng: random.Random) -> list[LeadFacts]:
    leads = []
    for lead_id in range(1, LEADS + 1):
        operation = rng.choices(list(Operation), weights=(50, 20, 30))[0]
        renting = operation is Operation.RENT
        low = rng.randrange(500, 2000, 50) if renting else rng.randrange(100_000, 600_000, 5000)
        places = rng.sample(NEIGHBOURHOODS, rng.randint(1, 3))
        if rng.random() < 0.1:
            places.append(rng.choice(CITIES).upper())  # some leads name a whole city
        age = timedelta(days=rng.uniform(0, 720))
        leads.append(
            LeadFacts(
                id=lead_id,
                location_keys=location_keys(places),
                min_budget=low if rng.random() < 0.8 else None,
                max_budget=int(low * rng.uniform(1.2, 1.6)) if rng.random() < 0.9 else None,
                bedrooms=rng.choice([1, 2, 2, 3, 3, 4, None]),
                last_contact_at=NOW - age if rng.random() < 0.9 else None,
                qualification_score=rng.randint(0, 100),
                operation=operation,
                opted_out=rng.random() < 0.03,
            )
        )
    return leads


def make_properties(rng: random.Random) -> list[PropertyFacts]:
    props = []
    for prop_id in range(1, PROPERTIES + 1):
        rental = rng.random() < 0.2
        props.append(
            PropertyFacts(
                id=prop_id,
                location_key=location_keys([rng.choice(NEIGHBOURHOODS)])[0],
                city_key=location_keys([rng.choice(CITIES)])[0],
                price=rng.randrange(600, 3000, 50)
                if rental
                else rng.randrange(80_000, 900_000, 1000),
                bedrooms=rng.randint(1, 4),
                operation=ListingOperation.RENT if rental else ListingOperation.SALE,
            )
        )
    return props


LeanRow = tuple[frozenset[str], float, float, int, int, float, bool, bool]


def lean_rows(leads: list[LeadFacts]) -> list[LeanRow]:
    """The floor's input: plain tuples with days since contact precomputed (not timed)."""
    rows = []
    for lead in leads:
        if lead.opted_out:
            continue
        budgeted = lead.min_budget is not None or lead.max_budget is not None
        low = float(lead.min_budget or 0) if budgeted else math.inf
        high = math.inf if lead.max_budget is None else float(lead.max_budget)
        days = 10**6 if lead.last_contact_at is None else (NOW - lead.last_contact_at).days
        rows.append(
            (
                frozenset(lead.location_keys),
                low,
                high,
                -1 if lead.bedrooms is None else lead.bedrooms,
                days,
                float(lead.qualification_score or 0),
                lead.operation is not Operation.RENT,
                lead.operation is not Operation.BUY,
            )
        )
    return rows


def lean_floor(rows: list[LeanRow], props: list[PropertyFacts]) -> tuple[int, float]:
    """Score only, default weights: the count and sum of scores above 30."""
    count, total = 0, 0.0
    for prop in props:
        neighbourhood, city, price, bedrooms = (
            prop.location_key,
            prop.city_key,
            prop.price,
            prop.bedrooms,
        )
        sale = prop.operation is ListingOperation.SALE
        for keys, low, high, beds, days, quality, takes_sale, takes_rent in rows:
            if not (takes_sale if sale else takes_rent):
                continue
            score = 0.0
            if neighbourhood in keys or city in keys:
                score += 30
            if low <= price <= high:
                score += 25
            if beds == bedrooms:
                score += 15
            if days < 30:
                score += 20
            elif days < 60:
                score += 10
            elif days < 90:
                score += 5
            score += quality * 0.1
            if score > 100:
                score = 100.0
            if score > 30:
                count += 1
                total += score
    return count, total


def best_of(runs: int, work: Callable[[], T]) -> tuple[float, T]:
    """The fastest of `runs` runs in milliseconds, and the last result."""
    best, result = math.inf, None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        best = min(best, (time.perf_counter() - start) * 1000)
    return best, result  # type: ignore[return-value]


def line(label: str, ms: float, floor_ms: float, target_ms: float | None = None) -> None:
    verdict = ""
    if target_ms is not None:
        verdict = f"  target < {target_ms:,.0f} ms: {'met' if ms < target_ms else 'MISSED'}"
    print(f"  {label:<46} {ms:9.2f} ms  {ms / floor_ms:6.3f}x floor{verdict}")


def main() -> None:
    rng = random.Random(20261125)
    leads = make_leads(rng)
    props = make_properties(rng)
    rows = lean_rows(leads)
    one = props[:1]

    build_ms, matrix = best_of(5, lambda: LeadMatrix.from_facts(leads))
    one_ms, scored_one = best_of(20, lambda: score_property(matrix, one[0], now=NOW))
    one_why_ms, _ = best_of(10, lambda: breakdowns_for_properties(matrix, one, now=NOW))
    many_ms, scored_many = best_of(5, lambda: score_properties(matrix, props, now=NOW))
    many_columns_ms, _ = best_of(3, lambda: match_columns(matrix, props, now=NOW))
    many_why_ms, explained = best_of(2, lambda: breakdowns_for_properties(matrix, props, now=NOW))
    floor_one_ms, floor_one = best_of(10, lambda: lean_floor(rows, one))
    floor_many_ms, floor_many = best_of(2, lambda: lean_floor(rows, props))

    # Cross-check: engine and floor agree on the count and the sum of scores above 30.
    for scored, (count, total) in ((scored_one, floor_one), ([*scored_many], floor_many)):
        results = scored if isinstance(scored, list) else [scored]
        assert sum(len(r.totals) for r in results) == count
        assert math.isclose(math.fsum(float(r.totals.sum()) for r in results), total, rel_tol=1e-9)
    assert sum(map(len, explained)) == floor_many[0]

    print(f"Matching: {LEADS:,} leads ({len(matrix):,} not opted out), {PROPERTIES} properties")
    print(f"  build the lead matrix from LeadFacts: {build_ms:.2f} ms")
    print(f"10k x 1 property ({floor_one[0]:,} matches); floor (lean Python) {floor_one_ms:.2f} ms")
    line("engine, matrix built", one_ms, floor_one_ms)
    line("engine, matrix built, with breakdowns", one_why_ms, floor_one_ms)
    line("engine including the matrix build", build_ms + one_ms, floor_one_ms, 50)
    line("engine incl. build, with breakdowns", build_ms + one_why_ms, floor_one_ms, 50)
    print(
        f"10k x {PROPERTIES} properties ({floor_many[0]:,} matches); "
        f"floor (lean Python) {floor_many_ms:.1f} ms"
    )
    line("engine, matrix built", many_ms, floor_many_ms)
    line("engine, matrix built, breakdown columns", many_columns_ms, floor_many_ms)
    line("engine, matrix built, with breakdowns", many_why_ms, floor_many_ms)
    line("engine including the matrix build", build_ms + many_ms, floor_many_ms, 3000)
    line("engine incl. build, breakdown columns", build_ms + many_columns_ms, floor_many_ms, 3000)
    line("engine incl. build, with breakdowns", build_ms + many_why_ms, floor_many_ms, 3000)


if __name__ == "__main__":
    main()
