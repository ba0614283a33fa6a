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
    """The property's facts, already formatted for a prompt."""

    title: str
    location: str
    price: str
    operation: str
    bedrooms: int | None = None
    bathrooms: float | None = None
    description: str = ""


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


@dataclass(frozen=True)
class ReplyRequest:
    first_name: str | None
    listing: ListingBrief
    message: str
    language: LanguageCode
    transcript: tuple[ChatLine, ...] = ()
    viewing_slots: tuple[str, ...] = ()
    broker: str = "the broker"


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
