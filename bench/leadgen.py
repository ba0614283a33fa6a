"""A realistic, deterministic lead export for the import benchmark (`python -m bench.leadgen`).

Excel-like headers, QUOTE_MINIMAL, multi-line notes with quotes and CRLF, mixed US/MX/ES phone
formats, about 3% junk phones and invalid emails, budgets as brokers write them, repeated people.
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

HEADERS = [
    "Record ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone Number",
    "Last Activity Date",
    "Lead Status",
    "Notes",
    "Budget",
    "Location",
    "Bedrooms",
    "Contact owner",
]
FIRST = ["Ana", "Bob", "Carla", "Diego", "Eve", "Fer", "Gina", "Hugo", "Iris", "José", "María"]
LAST = ["Smith", "García", "Núñez", "Lopez", "Adams", "Peña", "Brown", "Ruiz", "Hill", "Ortega"]
PLACES = ["Miami", "Brickell", "Polanco", "Condesa", "Roma Norte", "Coral Gables", "Del Valle"]
STATUSES = ["New", "Open", "Attempted", "Nurture", "Cold", "Hot"]
NOTES = [
    "Looking in {place}, {beds}BR, rent only",
    'She said "call me"\r\nafter 5pm\r\nwants to buy in {place}',
    "Busca en {place}, {beds} recámaras; presupuesto flexible",
    "",
    "Interested in {place}, budget around {budget}",
]


def _phone(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.03:
        return rng.choice(["12345", "n/a", "000", "call me"])
    if kind < 0.40:
        n = rng.randrange(2000000, 9999999)
        return rng.choice(["({a}) {b}-{c}", "{a}-{b}-{c}", "+1 {a} {b} {c}"]).format(
            a=rng.choice([305, 786, 212, 415]), b=str(n)[:3], c=str(n)[3:]
        )
    if kind < 0.80:
        return f"+52 55 {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}"
    return f"+34 6{rng.randrange(10, 99)} {rng.randrange(100, 999)} {rng.randrange(100, 999)}"


def _budget(rng: random.Random) -> str:
    low = rng.randrange(2, 9)
    return rng.choice(
        [
            f"${rng.randrange(200, 990)},000",
            f"{low}-{low + 2}M",
            f"${low}M - ${low + 1}M",
            f"{low} a {low + 2} millones",
            f"{rng.randrange(300, 900)}k",
            "",
        ]
    )


def rows(count: int, seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    people: list[list[str]] = []
    today = date(2026, 11, 25)
    for index in range(count):
        if people and rng.random() < 0.05:  # the same person exported twice
            again = list(rng.choice(people))
            again[0] = str(100000 + index)
            people.append(again)
            continue
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first.lower()}.{last.lower()}{index}@example.com"
        if rng.random() < 0.03:
            email = rng.choice([f"{first}@", f"{first}.{last}@example", "no email"])
        place, beds, budget = rng.choice(PLACES), rng.randrange(1, 5), _budget(rng)
        contacted = today - timedelta(days=rng.randrange(0, 700))
        people.append(
            [
                str(100000 + index),
                first,
                last,
                email,
                _phone(rng),
                contacted.strftime(rng.choice(["%m/%d/%Y", "%m/%d/%Y"])),
                rng.choice(STATUSES),
                rng.choice(NOTES).format(place=place, beds=beds, budget=budget or "$1M"),
                budget,
                rng.choice([place, f"{place}, {rng.choice(PLACES)}", ""]),
                rng.choice([str(beds), f"{beds} bed", ""]),
                "owner@broker.com",
            ]
        )
    return people


def write(path: Path, count: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(HEADERS)
        writer.writerows(rows(count))
    return path


if __name__ == "__main__":
    target = write(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
    print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB)")
