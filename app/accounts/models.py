"""Brokerages (the tenants), their users and API keys."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigId, TimestampMixin, str_enum


class Role(enum.Enum):
    """OWNER and ADMIN see and run the whole brokerage; an AGENT sees what is assigned to them."""

    OWNER = "OWNER"
    ADMIN = "ADMIN"
    AGENT = "AGENT"


class LeadRouting(enum.Enum):
    """Who gets a new lead: the next active agent in turn, the listing's agent, or nobody yet."""

    ROUND_ROBIN = "ROUND_ROBIN"
    LISTING_AGENT = "LISTING_AGENT"
    MANUAL = "MANUAL"


class Formality(enum.StrEnum):
    """How the agent addresses leads in Spanish: tú or usted (the whole message, not a word)."""

    TU = "TU"
    USTED = "USTED"


class Brokerage(TimestampMixin, Base):
    __tablename__ = "brokerages"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    default_region: Mapped[str] = mapped_column(String(2), default="MX")
    timezone: Mapped[str] = mapped_column(String(64), default="America/Mexico_City")
    language: Mapped[str] = mapped_column(String(2), default="es")
    postal_address: Mapped[str] = mapped_column(Text, default="")
    signature: Mapped[str] = mapped_column(Text, default="")
    # The name the agent speaks for ("le pregunto a Jorge"); the signature only closes emails.
    agent_name: Mapped[str] = mapped_column(String(120), default="")
    formality: Mapped[Formality] = mapped_column(str_enum(Formality), default=Formality.TU)
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # Per-brokerage overrides of the matching weights and outreach tiers (DESIGN.md section 4).
    scoring: Mapped[dict] = mapped_column(default=dict)
    # STANDALONE | CRM_ENHANCED | ENTERPRISE (app.plans.rules), set by an operator.
    plan: Mapped[str] = mapped_column(String(24), default="CRM_ENHANCED")
    # When viewings may be offered: [{"weekday": "MONDAY", "start": "10:00", "end": "14:00"}],
    # local times in `timezone`; empty means the default hours (app.accounts.availability).
    availability: Mapped[list] = mapped_column(default=list)
    lead_routing: Mapped[LeadRouting] = mapped_column(
        str_enum(LeadRouting), default=LeadRouting.ROUND_ROBIN
    )
    # How many leads round-robin has given out: the next goes to agent number turn % agents.
    routing_turn: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(
        ForeignKey("brokerages.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.AGENT)
    # In every session token; logging out or changing the password bumps it, revoking them all.
    token_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The morning digest e-mail at 8:00 local time (app.digest); the user can turn it off.
    morning_digest: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The agent's own number for task notifications by SMS (E.164), and their sign-off.
    phone: Mapped[str | None] = mapped_column(String(32))
    signature: Mapped[str] = mapped_column(Text, default="")


class ApiKey(TimestampMixin, Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(
        ForeignKey("brokerages.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list] = mapped_column(default=list)
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
