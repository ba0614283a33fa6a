"""The instructions and facts the chat model sees, built from the request DTOs."""

from __future__ import annotations

from integrations.llm.schema import (
    FirstMessageRequest,
    LeadBrief,
    ListingBrief,
    ReplyRequest,
    Voice,
)

_LANGUAGE = {"es": "Spanish (Mexico)", "en": "English"}
_ADDRESS = {
    "TU": "Address the lead as 'tú' (te, tu, puedes, ¿te gustaría...?).",
    "USTED": (
        "Address the lead as 'usted' in every sentence (le, su, puede, ¿le gustaría...?); never"
        " 'te', 'tu', 'puedes' or '¿te gustaría...?'."
    ),
}

STYLE_RULES = (
    "You write for a real-estate broker to a person who once asked about buying or renting a "
    "home.\n"
    """Write like a helpful human assistant of the broker: warm, brief (at most 80 words), specific.
Never say you are an AI or a bot, never use "Great news!", never pressure; at most one emoji,
and only if the lead used one.
FACTS: every number, date, amount, feature, amenity, pet rule, fee, link and address you write
must come from the LISTING FACTS or the LEAD lines below, written exactly as given there
("2.5" bathrooms stays 2.5; money with its currency; a rent per month). The description is
background only: never quote numbers or features from it. For anything marked "not stated"
or not listed, say plainly that you will check with the broker; never guess, round, convert
units, or invent prices, discounts, financing, availability or viewing times. Say "within your
budget" only if the LEAD line says the price fits."""
)

INTENT_GUIDE = """Classify the lead's latest message as exactly one intent:
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
broker handles negotiation and offers. PROPERTY_QUESTION: answer each thing asked from the
facts; for what is not stated, say you will ask the broker. TOO_EXPENSIVE: acknowledge and
ask their budget ceiling. NOT_INTERESTED and OPT_OUT: one short polite closing line, no
questions."""


def _or_not_stated(value: str | None) -> str:
    return value if value else "not stated (say you will check with the broker)"


def listing_facts(listing: ListingBrief) -> str:
    """The listing as labelled lines: every field, "not stated" where the listing is silent."""
    lines = [
        f"Title: {listing.title}",
        f"Location: {listing.location}",
        f"Address: {_or_not_stated(listing.address)}",
        f"Operation: {listing.operation}",
        f"Price: {listing.price}",
        f"Bedrooms: {_or_not_stated(listing.bedrooms)}",
        f"Bathrooms: {_or_not_stated(listing.bathrooms)}",
        f"Parking spaces: {_or_not_stated(listing.parking)}",
        f"Built area: {_or_not_stated(listing.built_area)}",
        f"Lot area: {_or_not_stated(listing.lot_area)}",
        "Amenities: "
        + (
            ", ".join(listing.amenities) + " (nothing else is listed)"
            if listing.amenities
            else "none listed (say you will check with the broker)"
        ),
        f"Pets: {_or_not_stated(listing.pets)}",
        f"Maintenance fee: {_or_not_stated(listing.maintenance_fee)}",
        f"Deposit: {_or_not_stated(listing.deposit)}",
        f"Available from: {listing.available_from or 'now (it is on the market)'}",
        f"Listing link: {listing.listing_url or 'none'}",
    ]
    if listing.photos:
        lines.append("Photos: " + " ".join(listing.photos))
    if listing.description:
        lines.append(f"Description (background, not facts to quote): {listing.description}")
    return "\n".join(lines)


def lead_facts(lead: LeadBrief) -> str:
    lines = [f"Lead's first name: {lead.first_name or 'unknown'}"]
    if lead.areas:
        lines.append("Lead was looking in: " + ", ".join(lead.areas))
    if lead.bedrooms is not None:
        lines.append(f"Lead wanted bedrooms: {lead.bedrooms}")
    lines.append(f"Lead's budget: {lead.budget or 'unknown (never say it fits their budget)'}")
    return "\n".join(lines)


def voice_rules(voice: Voice | None, language: str) -> str:
    """Who writes, in which language and form of address."""
    if voice is None:
        return f"Write in {_LANGUAGE.get(language, 'Spanish (Mexico)')}. {_ADDRESS['TU']}"
    parts = [f"Write in {_LANGUAGE[voice.language]}."]
    if voice.language == "es":
        parts.append(_ADDRESS[voice.formality])
    if voice.agent_name:
        where = f" of {voice.brokerage}" if voice.brokerage else ""
        parts.append(
            f"You write on behalf of {voice.agent_name}{where}; call them by that name only"
            " (never a title, office or phone inside a sentence)."
        )
    elif voice.brokerage:
        parts.append(f"You write on behalf of the team at {voice.brokerage}.")
    return " ".join(parts)


def first_message_prompt(request: FirstMessageRequest) -> tuple[str, str]:
    """(system, user) for composing the opening message."""
    voice = request.voice
    system = f"{STYLE_RULES}\n{voice_rules(voice, request.language)}"
    reasons = "; ".join(request.reasons) or "none in particular"
    user = (
        f"Write the first message to {request.first_name or 'the lead (name unknown)'} about "
        f"this listing.\nLISTING FACTS:\n{listing_facts(request.listing)}\n"
        f"LEAD:\n{lead_facts(request.lead)}\n"
        f"Why it fits them (mention naturally, never quote budgets or dates): {reasons}\n"
        + (f"Say who writes and why now: {request.returning}\n" if request.returning else "")
        + "Mention one highlight from the amenities if any, and the listing link if there is"
        " one. End with one simple question: more details, or a visit?"
        + (f"\nSign as {request.sender_name}." if request.sender_name else "")
    )
    return system, user


def reply_prompt(request: ReplyRequest) -> tuple[str, str]:
    """(system, user) for understanding a reply and answering it."""
    system = (
        f"{STYLE_RULES}\n{INTENT_GUIDE}\n{voice_rules(request.voice, request.language)}\n"
        f"Answer in the language of the lead's latest message (the conversation so far is in "
        f"{_LANGUAGE[request.language]}). The broker is {request.broker}."
        + (
            f" Your messages are signed by {request.broker}: write as them, in the first person"
            ' ("I\'ll check and get back to you"), never about them in the third person.'
            if request.signed_by_broker
            else ""
        )
    )
    history = "\n".join(f"{line.role}: {line.text}" for line in request.transcript)
    slots = "\n".join(f"- {slot}" for slot in request.viewing_slots)
    user = (
        f"LISTING FACTS:\n{listing_facts(request.listing)}\n"
        f"LEAD:\n{lead_facts(request.lead)}\n"
        f"Viewing slots you may offer:\n{slots or '- none'}\n"
        f"Conversation so far:\n{history or '(only our first message)'}\n"
        f"Lead's latest message:\n{request.message}"
    )
    return system, user
