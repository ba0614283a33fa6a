"""The instructions and facts the chat model sees, built from the request DTOs."""

from __future__ import annotations

from integrations.llm.schema import FirstMessageRequest, ListingBrief, ReplyRequest

_LANGUAGE = {"es": "Spanish (Mexico, informal 'tú')", "en": "English"}

STYLE_RULES = """\
You write for a real-estate broker to a person who once asked about buying or renting a home.
Write like a helpful human assistant of the broker: warm, brief (at most 80 words), specific.
Never say you are an AI or a bot, never use "Great news!", never pressure.
Use only the listing facts given; for anything the listing does not say, say the broker will
confirm it. Never invent prices, discounts, availability or viewing times."""

INTENT_GUIDE = """\
Classify the lead's latest message as exactly one intent:
INTERESTED (general interest), VIEWING_REQUEST (wants to see or visit it),
PRICE_OR_OFFER (price, negotiation, an offer, payment or financing),
PROPERTY_QUESTION (features, photos, exact location, fees, pets, parking, availability),
TOO_EXPENSIVE, NOT_INTERESTED (bought elsewhere, stopped looking, not this area),
RENT_ONLY (only wants to rent), OPT_OUT (wants no more messages, in any words or language),
ACKNOWLEDGEMENT (a plain thanks, ok or emoji needing no answer), OTHER.
When a message carries two, pick the one that needs action, in this order: OPT_OUT,
VIEWING_REQUEST, PRICE_OR_OFFER, PROPERTY_QUESTION, RENT_ONLY, NOT_INTERESTED, TOO_EXPENSIVE,
INTERESTED, OTHER, ACKNOWLEDGEMENT. Mind negation: "no pares, sí me interesa" is INTERESTED.
Reply rules: ACKNOWLEDGEMENT gets reply null. VIEWING_REQUEST: offer exactly the viewing slots
given and say the broker will confirm. PRICE_OR_OFFER: state the listed price and say the
broker handles negotiation and offers. TOO_EXPENSIVE: acknowledge and ask their budget ceiling.
NOT_INTERESTED and OPT_OUT: one short polite closing line, no questions."""


def listing_facts(listing: ListingBrief) -> str:
    lines = [
        f"Title: {listing.title}",
        f"Location: {listing.location}",
        f"Operation: {listing.operation}",
        f"Price: {listing.price}",
    ]
    if listing.bedrooms is not None:
        lines.append(f"Bedrooms: {listing.bedrooms}")
    if listing.bathrooms is not None:
        lines.append(f"Bathrooms: {listing.bathrooms:g}")
    if listing.description:
        lines.append(f"Description: {listing.description}")
    return "\n".join(lines)


def first_message_prompt(request: FirstMessageRequest) -> tuple[str, str]:
    """(system, user) for composing the opening message."""
    system = f"{STYLE_RULES}\nWrite in {_LANGUAGE[request.language]}."
    reasons = "; ".join(request.reasons) or "none in particular"
    user = (
        f"Write the first message to {request.first_name or 'the lead (name unknown)'} about "
        f"this listing.\n{listing_facts(request.listing)}\n"
        f"Why it fits them (mention naturally, never quote budgets or dates): {reasons}\n"
        "End with one simple question: more details, or a visit?"
        + (f"\nSign as {request.sender_name}." if request.sender_name else "")
    )
    return system, user


def reply_prompt(request: ReplyRequest) -> tuple[str, str]:
    """(system, user) for understanding a reply and answering it."""
    system = (
        f"{STYLE_RULES}\n{INTENT_GUIDE}\n"
        f"Answer in the language of the lead's latest message (the conversation so far is in "
        f"{_LANGUAGE[request.language]}). The broker is {request.broker}."
    )
    history = "\n".join(f"{line.role}: {line.text}" for line in request.transcript)
    slots = "\n".join(f"- {slot}" for slot in request.viewing_slots)
    user = (
        f"Listing:\n{listing_facts(request.listing)}\n"
        f"Lead's first name: {request.first_name or 'unknown'}\n"
        f"Viewing slots you may offer:\n{slots or '- none'}\n"
        f"Conversation so far:\n{history or '(only our first message)'}\n"
        f"Lead's latest message:\n{request.message}"
    )
    return system, user
