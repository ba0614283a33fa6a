"""What the LLM client is given and what it must answer: plain data, independent of the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# The intents of API.md, as the model must spell them; the app maps them onto its own enum.
IntentName = Literal[
    "INTERESTED",
    "VIEWING_REQUEST",
    "PRICE_OR_OFFER",
    "PROPERTY_QUESTION",
    "TOO_EXPENSIVE",
    "NOT_INTERESTED",
    "RENT_ONLY",
    "OPT_OUT",
    "ACKNOWLEDGEMENT",
    "OTHER",
]
LanguageCode = Literal["es", "en"]


@dataclass(frozen=True)
class ListingBrief:
    """The property's facts, each already written as the lead should read it ("2.5",
    "$4,500 MXN al mes", "1 de febrero de 2027"); None where the listing does not say."""

    title: str
    location: str
    price: str
    operation: str
    bedrooms: str | None = None
    bathrooms: str | None = None
    description: str = ""
    parking: str | None = None
    built_area: str | None = None
    lot_area: str | None = None
    amenities: tuple[str, ...] = ()
    pets: str | None = None
    maintenance_fee: str | None = None
    deposit: str | None = None
    available_from: str | None = None
    listing_url: str | None = None
    photos: tuple[str, ...] = ()
    address: str | None = None


@dataclass(frozen=True)
class LeadBrief:
    """What the lead told the brokerage they want (the budget of this listing's kind)."""

    first_name: str | None = None
    areas: tuple[str, ...] = ()
    bedrooms: int | None = None
    budget: str | None = None


@dataclass(frozen=True)
class Voice:
    """Who writes and how: the agent's name, the brokerage, tú or usted, the language."""

    language: Literal["es", "en"]
    formality: Literal["TU", "USTED"] = "TU"
    agent_name: str | None = None
    brokerage: str | None = None


@dataclass(frozen=True)
class ChatLine:
    role: Literal["lead", "agent"]
    text: str


@dataclass(frozen=True)
class FirstMessageRequest:
    first_name: str | None
    listing: ListingBrief
    reasons: tuple[str, ...]
    language: LanguageCode
    sender_name: str | None = None
    lead: LeadBrief = LeadBrief()
    voice: Voice | None = None
    # Why we write now ("they asked about homes in Polanco months ago"), if anything.
    returning: str | None = None


@dataclass(frozen=True)
class ReplyRequest:
    first_name: str | None
    listing: ListingBrief
    message: str
    language: LanguageCode
    transcript: tuple[ChatLine, ...] = ()
    viewing_slots: tuple[str, ...] = ()
    broker: str = "the broker"
    lead: LeadBrief = LeadBrief()
    voice: Voice | None = None
    # The messages are signed by the broker themself: promises in the first person.
    signed_by_broker: bool = False


class StructuredReply(BaseModel):
    """The model's reading of a lead's reply and its answer (None when no answer is needed)."""

    model_config = ConfigDict(extra="forbid")

    intent: IntentName = Field(description="What the lead's latest message means.")
    language: LanguageCode = Field(description="The language of the lead's latest message.")
    reply: str | None = Field(
        description="The answer to send, in that language; null for a plain thanks or ok."
    )


class StructuredDraft(BaseModel):
    """A first message: an email subject and a short body."""

    model_config = ConfigDict(extra="forbid")

    subject: str = Field(description="A short email subject naming the property.")
    body: str = Field(description="The message body, under 90 words.")
