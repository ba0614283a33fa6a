"""Leads, their preferences and the imports that brought them in."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigId, TimestampMixin, str_enum, utcnow
from app.core.text import fold
from app.core.vocabulary import Operation as Operation


class LeadStatus(enum.Enum):
    """Whether the lead is still in the market: only ACTIVE leads are matched and reached."""

    ACTIVE = "ACTIVE"
    BOUGHT_ELSEWHERE = "BOUGHT_ELSEWHERE"
    STOPPED_LOOKING = "STOPPED_LOOKING"
    # Referred by another lead: not reached until the broker has their consent (ACTIVE).
    REFERRED = "REFERRED"


class ImportStatus(enum.Enum):
    PREVIEW = "PREVIEW"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


class Lead(TimestampMixin, Base):
    __tablename__ = "leads"
    __table_args__ = (
        UniqueConstraint("brokerage_id", "email", name="uq_leads_brokerage_email"),
        UniqueConstraint("brokerage_id", "phone", name="uq_leads_brokerage_phone"),
        Index("ix_leads_brokerage_last_contact", "brokerage_id", "last_contact_at"),
        Index("ix_leads_brokerage_external", "brokerage_id", "external_source", "external_id"),
        Index("ix_leads_keyset", "brokerage_id", "id"),  # the list's keyset order
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(ForeignKey("brokerages.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300), default="")
    # fold(name): what search compares, so "sanchez" and "Sánchez" find each other on both
    # databases (set by the repository's writes and, for ORM writes, by the listener below).
    name_key: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32))
    # Every other address the lead is known by: a merge never drops one.
    other_emails: Mapped[list] = mapped_column(default=list)
    other_phones: Mapped[list] = mapped_column(default=list)
    last_contact_at: Mapped[datetime | None] = mapped_column()
    qualification_score: Mapped[int] = mapped_column(Integer, default=0)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    opted_out_at: Mapped[datetime | None] = mapped_column()
    # Channels stopped one by one ("no SMS, email me"); `opted_out` is the stop of everything.
    opted_out_channels: Mapped[list] = mapped_column(default=list)
    # Bought or rented elsewhere, or stopped looking: out of matching and campaigns until the
    # broker (or the lead, writing again) puts them back.
    status: Mapped[LeadStatus] = mapped_column(str_enum(LeadStatus), default=LeadStatus.ACTIVE)
    source: Mapped[str] = mapped_column(String(40), default="MANUAL")
    external_source: Mapped[str | None] = mapped_column(String(40))
    external_id: Mapped[str | None] = mapped_column(String(200))
    crm_status: Mapped[str | None] = mapped_column(String(100))
    owner: Mapped[str | None] = mapped_column(String(200))
    # The agent working this lead (routing, or assignLead); None: unassigned.
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    tags: Mapped[list] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(2))
    # The language the lead asked for ("I prefer English", "en español por favor"): every later
    # message to them is in it, whatever language a reply seems written in, until they ask again.
    chosen_language: Mapped[str | None] = mapped_column(String(2))
    locations: Mapped[list] = mapped_column(default=list)
    # fold()-ed copies of `locations`, what matching compares.
    location_keys: Mapped[list] = mapped_column(default=list)
    # A purchase budget and a monthly rent budget, both in `currency`: one never stands for the
    # other (a rent is scored only against RENT listings, a purchase budget against SALE ones).
    min_budget: Mapped[int | None] = mapped_column(BigId)
    max_budget: Mapped[int | None] = mapped_column(BigId)
    rent_min_budget: Mapped[int | None] = mapped_column(BigId)
    rent_max_budget: Mapped[int | None] = mapped_column(BigId)
    currency: Mapped[str | None] = mapped_column(String(3))
    bedrooms: Mapped[int | None] = mapped_column(Integer)
    operation: Mapped[Operation] = mapped_column(str_enum(Operation), default=Operation.ANY)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class LeadImport(TimestampMixin, Base):
    __tablename__ = "lead_imports"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(
        ForeignKey("brokerages.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[ImportStatus] = mapped_column(str_enum(ImportStatus))
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    # Leads that already existed and that their row left as they were (a file imported again).
    unchanged: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Problems reported so far (rows of `lead_import_errors`): rejected rows and unusable values.
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    mapping: Mapped[dict] = mapped_column(default=dict)
    preview: Mapped[list] = mapped_column(default=list)
    # A dry run: everything an import would do, rolled back; the record keeps the counts.
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    # Columns not used, each {column, samples, suggestion: {field, confidence, reason} | None}.
    unrecognized: Mapped[list] = mapped_column(default=list)
    # A few rows that merge with another row of the file or an existing lead (dry runs).
    merges: Mapped[list] = mapped_column(default=list)
    failure: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column()


class ImportRowError(Base):
    """A rejected row (`column` None) or a value an import could not use, with its file line.

    Written with each batch, so an import keeps none of them in memory."""

    __tablename__ = "lead_import_errors"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("lead_imports.id", ondelete="CASCADE"), index=True
    )
    line: Mapped[int] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(Text)
    cell: Mapped[str | None] = mapped_column(String(16))  # "B12", for a workbook's sheet
    message: Mapped[str] = mapped_column(Text)


class Suppression(Base):
    """A person who must never be imported into outreach again (an erased lead): only a hash of
    a normalised email or phone, so the entry does not keep the personal data it protects."""

    __tablename__ = "lead_suppressions"
    __table_args__ = (UniqueConstraint("brokerage_id", "digest", name="uq_suppressions_digest"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(ForeignKey("brokerages.id", ondelete="CASCADE"))
    digest: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(Lead, "before_insert")
@event.listens_for(Lead, "before_update")
def _fold_name(_mapper: object, _connection: object, lead: Lead) -> None:
    lead.name_key = fold(lead.name or "")


class LeadChange(Base):
    """Every change to a lead with its source, so a conflict between CRM and AI is visible."""

    __tablename__ = "lead_changes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(ForeignKey("brokerages.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    # Set when the change settled a field changed on both sides: {crm, local, kept}.
    conflict: Mapped[dict | None] = mapped_column()
    at: Mapped[datetime] = mapped_column(default=utcnow)
