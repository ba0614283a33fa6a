"""A lead's budget is of a kind: a rental is told about (and summarised with) the monthly rent
budget, a sale the purchase budget; one never stands for the other."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from app.conversations.agent import _hot_lead_card
from app.conversations.replies import LeadFacts, PropertyFacts, handoff_summary
from app.properties.models import ListingOperation

LEAD = LeadFacts(name="Ana Martínez", max_budget=6_000_000, rent_max_budget=40_000, currency="MXN")
RENTAL = PropertyFacts(title="Depa en Roma", location="Roma", price=38_000, operation="RENT")
SALE = PropertyFacts(title="Casa en Coyoacán", location="Coyoacán", price=5_900_000)


def test_the_budget_of_the_listings_kind() -> None:
    assert LEAD.budget_for("RENT") == (None, 40_000)
    assert LEAD.budget_for("SALE") == (None, 6_000_000)
    assert "budget up to 40,000 MXN a month" in handoff_summary(LEAD, RENTAL, (), 80)
    assert "6,000,000" not in handoff_summary(LEAD, RENTAL, (), 80)
    assert "budget up to 6,000,000 MXN." in handoff_summary(LEAD, SALE, (), 80)


def test_the_hot_lead_card_of_a_rental_shows_the_rent_budget() -> None:
    def loaded(operation: str) -> Any:
        return SimpleNamespace(
            lead=SimpleNamespace(
                name="Ana Martínez",
                email="ana@example.com",
                phone=None,
                locations=["Roma"],
                max_budget=6_000_000,
                rent_max_budget=40_000,
                currency="MXN",
                bedrooms=None,
            ),
            match=SimpleNamespace(breakdown={"price": 25.0}, score=80),
            brokerage=SimpleNamespace(language="es"),
            listing=SimpleNamespace(
                title="Depa en Roma", currency="MXN", operation=ListingOperation(operation)
            ),
        )

    assert "hasta 40,000 MXN al mes" in _hot_lead_card(loaded("RENT"))
    assert "6,000,000" not in _hot_lead_card(loaded("RENT"))
    assert "hasta 6,000,000 MXN." in _hot_lead_card(loaded("SALE"))
    assert "al mes" not in _hot_lead_card(loaded("SALE"))
