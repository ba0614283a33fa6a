"""Listings: create, reprice, pause. Creating or repricing one starts matching and outreach."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadUserInput
from app.core.tenancy import get_scoped
from app.core.text import fold
from app.matching.triggers import property_changed
from app.properties.models import ListingOperation, Property

CURRENCIES = {"MXN", "USD", "EUR", "COP", "CAD", "GBP"}


@dataclass(frozen=True)
class PropertyFields:
    title: str
    location: str
    price: int
    operation: ListingOperation
    city: str = ""
    currency: str = "MXN"
    bedrooms: int | None = None
    bathrooms: float | None = None
    description: str = ""


def _validated(fields: PropertyFields) -> dict[str, Any]:
    if not fields.title.strip():
        raise BadUserInput("A property needs a title.")
    if not fields.location.strip():
        raise BadUserInput("A property needs a location (neighbourhood).")
    if fields.price <= 0:
        raise BadUserInput("The price must be a positive amount.")
    currency = fields.currency.strip().upper()
    if currency not in CURRENCIES:
        raise BadUserInput(
            f"Unknown currency '{fields.currency}'; use one of {', '.join(sorted(CURRENCIES))}."
        )
    if fields.bedrooms is not None and not 0 <= fields.bedrooms <= 50:
        raise BadUserInput("bedrooms must be between 0 and 50.")
    return {
        "title": fields.title.strip(),
        "location": fields.location.strip(),
        "location_key": fold(fields.location),
        "city": fields.city.strip(),
        "city_key": fold(fields.city),
        "price": fields.price,
        "currency": currency,
        "bedrooms": fields.bedrooms,
        "bathrooms": fields.bathrooms,
        "operation": fields.operation,
        "description": fields.description.strip(),
    }


async def create_property(
    session: AsyncSession, brokerage_id: int, fields: PropertyFields
) -> Property:
    listing = Property(brokerage_id=brokerage_id, **_validated(fields))
    session.add(listing)
    await session.flush()
    property_changed(session, brokerage_id, listing.id)
    return listing


async def update_property(
    session: AsyncSession, brokerage_id: int, property_id: int, fields: PropertyFields
) -> Property:
    """Edit a listing; a change to what matching reads (price, place, bedrooms...) re-matches it."""
    listing = await get_scoped(session, Property, brokerage_id, property_id, what="Property")
    values = _validated(fields)
    rematch = any(
        getattr(listing, k) != values[k]
        for k in ("price", "location_key", "city_key", "bedrooms", "operation")
    )
    for key, value in values.items():
        setattr(listing, key, value)
    await session.flush()
    if rematch:
        property_changed(session, brokerage_id, listing.id)
    return listing


async def set_campaign_paused(
    session: AsyncSession, brokerage_id: int, property_id: int, paused: bool
) -> Property:
    listing = await get_scoped(session, Property, brokerage_id, property_id, what="Property")
    listing.campaign_paused = paused
    await session.flush()
    return listing
