"""Listings: create, edit, pause. Creating one, or changing what matching reads, starts matching
and outreach."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadUserInput
from app.core.tenancy import get_scoped
from app.core.text import fold
from app.properties.models import ListingOperation, Property
from app.properties.triggers import property_changed

CURRENCIES = {"MXN", "USD", "EUR", "COP", "CAD", "GBP"}
# What matching reads: a change to one of these re-matches the listing.
MATCHED_FIELDS = ("price", "location_key", "city_key", "bedrooms", "operation")
# Fields a listing cannot do without: an update may change them, never clear them.
REQUIRED = ("title", "location", "price", "operation", "city", "currency", "description")


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
    parking_spaces: int | None = None
    built_area_m2: float | None = None
    lot_area_m2: float | None = None
    amenities: list[str] = field(default_factory=list)
    pets_allowed: bool | None = None
    maintenance_fee: int | None = None
    deposit: int | None = None
    available_from: date | None = None
    photos: list[str] = field(default_factory=list)
    listing_url: str | None = None
    address: str | None = None


def _clean_list(values: list[str] | None) -> list[str]:
    seen: list[str] = []
    for value in values or []:
        value = value.strip()
        if value and value not in seen:
            seen.append(value)
    return seen


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def _validated(values: dict[str, Any]) -> dict[str, Any]:
    """Checked and normalised column values for the fields given (all of them on create)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in REQUIRED and value is None:
            raise BadUserInput(f"{key} cannot be cleared.")
        if key == "title":
            if not value.strip():
                raise BadUserInput("A property needs a title.")
            out["title"] = value.strip()
        elif key == "location":
            if not value.strip():
                raise BadUserInput("A property needs a location (neighbourhood).")
            out["location"] = value.strip()
            out["location_key"] = fold(value)
        elif key == "city":
            out["city"] = value.strip()
            out["city_key"] = fold(value)
        elif key == "price":
            if value <= 0:
                raise BadUserInput("The price must be a positive amount.")
            out["price"] = value
        elif key == "currency":
            currency = value.strip().upper()
            if currency not in CURRENCIES:
                raise BadUserInput(
                    f"Unknown currency '{value}'; use one of {', '.join(sorted(CURRENCIES))}."
                )
            out["currency"] = currency
        elif key == "bedrooms":
            if value is not None and not 0 <= value <= 50:
                raise BadUserInput("bedrooms must be between 0 and 50.")
            out["bedrooms"] = value
        elif key == "bathrooms":
            if value is not None and not (0 <= value <= 50 and float(value * 2).is_integer()):
                raise BadUserInput("bathrooms must be between 0 and 50, in halves (2.5).")
            out["bathrooms"] = value
        elif key == "parking_spaces":
            if value is not None and not 0 <= value <= 100:
                raise BadUserInput("parkingSpaces must be between 0 and 100.")
            out[key] = value
        elif key in ("built_area_m2", "lot_area_m2"):
            if value is not None and value <= 0:
                raise BadUserInput(f"{key} must be a positive area in square metres.")
            out[key] = value
        elif key in ("maintenance_fee", "deposit"):
            if value is not None and value < 0:
                raise BadUserInput(f"{key} cannot be negative.")
            out[key] = value
        elif key in ("amenities", "photos"):
            out[key] = _clean_list(value)
        elif key == "listing_url":
            url = _text(value)
            if url is not None and not url.lower().startswith(("https://", "http://")):
                raise BadUserInput("listingUrl must be an http(s) address.")
            out[key] = url
        elif key == "address":
            out[key] = _text(value)
        elif key == "description":
            out[key] = value.strip()
        else:
            out[key] = value
    return out


async def create_property(
    session: AsyncSession, brokerage_id: int, fields_: PropertyFields
) -> Property:
    values = {f.name: getattr(fields_, f.name) for f in fields(PropertyFields)}
    listing = Property(brokerage_id=brokerage_id, **_validated(values))
    session.add(listing)
    await session.flush()
    property_changed(session, brokerage_id, listing.id)
    return listing


async def update_property(
    session: AsyncSession, brokerage_id: int, property_id: int, changes: dict[str, Any]
) -> Property:
    """Patch a listing: only the fields given change (None clears an optional one); a change to
    what matching reads (price, place, bedrooms, operation) re-matches it."""
    listing = await get_scoped(session, Property, brokerage_id, property_id, what="Property")
    unknown = set(changes) - {f.name for f in fields(PropertyFields)}
    if unknown:
        raise BadUserInput(f"Unknown property fields: {', '.join(sorted(unknown))}.")
    values = _validated(changes)
    rematch = any(k in values and getattr(listing, k) != values[k] for k in MATCHED_FIELDS)
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
