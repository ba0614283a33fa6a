"""Listings: creating or repricing one starts matching and outreach."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigId, TimestampMixin, str_enum, utcnow
from app.core.text import fold
from app.core.vocabulary import ListingOperation as ListingOperation


class Property(TimestampMixin, Base):
    __tablename__ = "properties"
    __table_args__ = (Index("ix_properties_brokerage_created", "brokerage_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(ForeignKey("brokerages.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    location: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(200), default="")
    location_key: Mapped[str] = mapped_column(String(200))
    city_key: Mapped[str] = mapped_column(String(200), default="")
    # fold(title, location, city): what listing search compares, accent- and case-insensitive.
    search_key: Mapped[str] = mapped_column(Text, default="")
    price: Mapped[int] = mapped_column(BigId)
    currency: Mapped[str] = mapped_column(String(3), default="MXN")
    bedrooms: Mapped[int | None] = mapped_column(Integer)
    bathrooms: Mapped[float | None] = mapped_column()
    operation: Mapped[ListingOperation] = mapped_column(str_enum(ListingOperation))
    description: Mapped[str] = mapped_column(Text, default="")
    # The listing's facts: what the agent may state. Null means "not said" (the agent asks the
    # broker); the description is context, never parsed into facts.
    parking_spaces: Mapped[int | None] = mapped_column(Integer)
    built_area_m2: Mapped[float | None] = mapped_column()
    lot_area_m2: Mapped[float | None] = mapped_column()
    amenities: Mapped[list] = mapped_column(default=list)
    pets_allowed: Mapped[bool | None] = mapped_column(Boolean)
    maintenance_fee: Mapped[int | None] = mapped_column(BigId)
    deposit: Mapped[int | None] = mapped_column(BigId)
    available_from: Mapped[date | None] = mapped_column()
    photos: Mapped[list] = mapped_column(default=list)
    listing_url: Mapped[str | None] = mapped_column(String(1000))
    address: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    campaign_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # The agent who holds the listing: LISTING_AGENT routing gives them its leads.
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


@event.listens_for(Property, "before_insert")
@event.listens_for(Property, "before_update")
def _fold_search(_mapper: object, _connection: object, listing: Property) -> None:
    listing.search_key = search_key(listing.title, listing.location, listing.city)


def search_key(*parts: str | None) -> str:
    return fold(" ".join(part for part in parts if part))
