"""Custom scalars: `Money`, whole currency units beyond GraphQL's 32-bit `Int`."""

from __future__ import annotations

from typing import NewType

import strawberry

MAX_MONEY = 2**53 - 1  # exact in every JSON parser, JavaScript included


def _parse_money(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError("Money is a whole amount, e.g. 5200000.")
    try:
        amount = int(value) if not isinstance(value, float) or value.is_integer() else None
    except ValueError:
        amount = None
    if amount is None or abs(amount) > MAX_MONEY:
        raise ValueError(f"Money is a whole amount up to {MAX_MONEY}, not {value!r}.")
    return amount


Money = strawberry.scalar(
    NewType("Money", int),
    name="Money",
    description="A whole amount of a currency (pesos, dollars...), up to 2^53 - 1: budgets and "
    "prices outgrow a 32-bit Int in many currencies.",
    serialize=int,
    parse_value=_parse_money,
)
