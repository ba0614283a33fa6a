"""Other listings for a lead who declined one for its area ("no me gusta la zona, busco en
Polanco"), its price ("está muy cara") or its size ("necesito más recámaras"): the broker's other
active listings that fit the lead by the matching formula, offered in one message: for the
area, a place the reply names counts as wanted; for the price, cheaper ones (within the lead's
budget when known); for the size, bigger ones; for both, the declined listing's area counts as
wanted. The lead's choice opens a conversation about it, in its own thread."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage
from app.conversations import facts, repository
from app.conversations.intents import DeclineReason, Intent, Language
from app.conversations.models import Conversation, ConversationStatus, thread_id_for
from app.conversations.replies import PropertyFacts, format_location
from app.conversations.templates import say_as, voice
from app.conversations.understanding import understand
from app.core.db import dialect_insert, utcnow
from app.core.jobs import enqueue
from app.core.text import fold
from app.core.vocabulary import MatchGate
from app.leads.models import Lead
from app.matching import scoring
from app.matching import service as matching
from app.messaging.optout import stopped_channels
from app.properties.models import Property

MAX_OFFERS = 3
_ORDINALS = {0: r"primer[oa]?|first|1st", 1: r"segund[oa]|second|2nd", 2: r"tercer[oa]?|third|3rd"}
# "2", "la 2", "opción 2", "#2": a number alone or after a word that points at an option.
_WORDS = re.compile(r"\w+")
_NUMBERED = r"(?:^|(?<!\w)(?:la|el|opcion|numero|option|number|no\.?|#)\s*){n}(?!\w)"


def _names(text: str, key: str | None) -> bool:
    return bool(key) and re.search(rf"(?<!\w){re.escape(key or '')}(?!\w)", text) is not None


_ASKED_BEDROOMS = re.compile(
    r"\b(\d{1,2}|dos|tres|cuatro|cinco|two|three|four|five) ?(?:recamaras|habitaciones|cuartos"
    r"|dormitorios|bedrooms|beds|rooms|br)\b"
)
_COUNT_WORDS = {"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "two": 2, "three": 3}
_COUNT_WORDS |= {"four": 4, "five": 5}


def asked_bedrooms(said: str) -> int | None:
    """The bedrooms a lead says they need ("necesito 3 recámaras", "we need four bedrooms")."""
    found = _ASKED_BEDROOMS.search(fold(said))
    if found is None:
        return None
    word = found.group(1)
    return int(word) if word.isdigit() else _COUNT_WORDS[word]


def fits_reason(
    listing: Property, declined: Property, lead: Lead, reason: DeclineReason, said: str
) -> bool:
    """Whether `listing` answers the lead's reason for declining `declined`: another area;
    a lower price of the same kind and currency (within the lead's budget of that kind when
    known); more bedrooms than declined (or than asked for), or as many and more space."""
    if reason is DeclineReason.NOT_THIS_AREA:
        return not (declined.location_key and listing.location_key == declined.location_key)
    if listing.operation != declined.operation or listing.currency != declined.currency:
        return False
    if reason is DeclineReason.PRICE:
        rent = declined.operation.value == "RENT"
        budget = lead.rent_max_budget if rent else lead.max_budget
        in_currency = lead.currency is None or lead.currency.upper() == listing.currency.upper()
        within = budget is None or not in_currency or listing.price <= budget
        return listing.price < declined.price and within
    # SIZE
    wanted = asked_bedrooms(said)
    if listing.bedrooms is not None and wanted is not None:
        return listing.bedrooms >= wanted and listing.bedrooms > (declined.bedrooms or 0)
    if None not in (listing.bedrooms, declined.bedrooms) and listing.bedrooms != declined.bedrooms:
        return (listing.bedrooms or 0) > (declined.bedrooms or 0)
    return bool(
        listing.built_area_m2
        and declined.built_area_m2
        and listing.built_area_m2 > declined.built_area_m2
    )


async def other_listings(
    session: AsyncSession,
    lead: Lead,
    declined: Property,
    said: str,
    now: datetime,
    reason: DeclineReason = DeclineReason.NOT_THIS_AREA,
    *,
    asked: bool = False,
) -> list[Property]:
    """Up to three other active listings of the brokerage that fit the lead and answer why
    they declined (`fits_reason`), best first: those in a place the reply names, then by match
    score; none the lead is already talking about."""
    candidates = await repository.other_active_listings(session, lead, declined.id)
    said_folded = fold(said)
    named = {p.id for p in candidates if _names(said_folded, p.location_key)}
    config = matching.ScoringConfig.for_brokerage(await session.get(Brokerage, lead.brokerage_id))
    wanted = scoring.LeadFacts(
        id=lead.id,
        location_keys=(
            *(lead.location_keys or ()),
            *(p.location_key for p in candidates if p.id in named and p.location_key),
            # Too expensive or too small, not the wrong place: its area is still wanted.
            *(
                (declined.location_key,)
                if reason is not DeclineReason.NOT_THIS_AREA and declined.location_key
                else ()
            ),
        ),
        min_budget=lead.min_budget,
        max_budget=lead.max_budget,
        rent_min_budget=lead.rent_min_budget,
        rent_max_budget=lead.rent_max_budget,
        currency=lead.currency,
        bedrooms=lead.bedrooms,
        last_contact_at=lead.last_contact_at,
        qualification_score=lead.qualification_score,
        operation=lead.operation,
    )
    # The lead asked for cheaper or bigger in this conversation: a listing that answers it is
    # offered in a place they want or, elsewhere, within their budget (their places still rank
    # first); unasked matching keeps the brokerage's gate (a Polanco-only lead is not e-mailed
    # about Coyoacán).
    # `asked`: the lead described a new search ("ahora busco..."), which is asking too.
    gate = config.gate if reason is DeclineReason.NOT_THIS_AREA and not asked else MatchGate.NONE
    ranked = []
    for listing in candidates:
        if not fits_reason(listing, declined, lead, reason, said):
            continue  # the area the lead said no to, not cheaper, not bigger
        fit = scoring.score_match(
            wanted, matching.property_facts(listing), config.weights, now, gate
        )
        if fit is not None and gate is MatchGate.NONE and not (fit.location or fit.price):
            continue  # nowhere they want and over their budget: no fit for them
        if fit is not None:
            ranked.append((listing.id not in named, -fit.total, listing.id, listing))
    ranked.sort(key=lambda item: item[:3])
    return [listing for *_, listing in ranked[:MAX_OFFERS]]


# The offer's opening says why these: another area, a lower price, more room.
_OFFER_KEY = {
    DeclineReason.NOT_THIS_AREA: "offer.others",
    DeclineReason.PRICE: "offer.cheaper",
    DeclineReason.SIZE: "offer.bigger",
}


def option_line(
    number: int, listing: PropertyFacts, language: Language, *, size: bool = False
) -> str:
    """ "1. Loft en Roma Norte, Roma Norte, Ciudad de México: 2 recámaras, $45,000 MXN al mes":
    only the listing's own fields (and its built area when the lead wants more room)."""
    shown = _facts(listing, language, size=size)
    return f"{number}. {listing.title}, {format_location(listing)}: {shown}"


def offer_text(
    listings: list[PropertyFacts],
    language: Language,
    *,
    formality: str,
    agent: str,
    declined: str,
    first_name: str | None,
    reason: DeclineReason = DeclineReason.NOT_THIS_AREA,
    own: bool = False,
) -> str:
    """ "Entiendo, Ana: ... Jorge también tiene: 1. ... ¿Te interesa alguno?", in the voice of
    the brokerage, or "También tengo: ..." when Jorge signs (`own`); with no listing to offer,
    says so ("por ahora Jorge no tiene otra opción más económica") and keeps in touch."""
    tone = voice(language, formality)
    names = {
        "comma_name": f", {first_name}" if first_name else "",
        "title": declined,
        "Agent": agent[0].upper() + agent[1:] if agent else agent,
    }
    if not listings:
        return say_as(tone, f"{_OFFER_KEY[reason]}.none", own, **names)
    options = "\n".join(
        option_line(number, listing, language, size=reason is DeclineReason.SIZE)
        for number, listing in enumerate(listings, start=1)
    )
    return say_as(tone, _OFFER_KEY[reason], own, options=options, **names)


def _facts(listing: PropertyFacts, language: Language, *, size: bool) -> str:
    parts = []
    if listing.bedrooms is not None:
        parts.append(facts.bedrooms(listing.bedrooms, language))
    if size and listing.built_area_m2:
        parts.append(facts.area(listing.built_area_m2, language))
    parts.append(facts.price(listing, language))
    return ", ".join(parts)


async def chosen(session: AsyncSession, conversation: Conversation, said: str) -> Property | None:
    """The offered listing the reply picks: by its number ("la 2", "the first one"), its place or
    its title, or the only one offered when the reply says yes to it."""
    offered_ids = [int(i) for i in conversation.offered_property_ids or ()]
    if not offered_ids:
        return None
    rows = await repository.active_listings_among(session, conversation.brokerage_id, offered_ids)
    by_id = {listing.id: listing for listing in rows}
    offered = [by_id[i] for i in offered_ids if i in by_id]
    if not offered:
        return None
    folded = fold(said)
    for index, words in _ORDINALS.items():
        if index >= len(offered):
            break
        numbered = _NUMBERED.format(n=index + 1)
        if re.search(rf"(?<!\w)(?:{words})(?!\w)", folded) or re.search(numbered, folded.strip()):
            return offered[index]
    for listing in offered:
        if _names(folded, fold(listing.title)) or _names(folded, listing.location_key):
            return listing
    # "the one in Roma": a word of one listing's place or title that no other offered has.
    named_by = {
        listing.id: _WORDS.findall(fold(f"{listing.title} {listing.location}"))
        for listing in offered
    }
    for listing in offered:
        own = {w for w in named_by[listing.id] if len(w) >= 4} - {
            w for other in offered if other.id != listing.id for w in named_by[other.id]
        }
        if any(_names(folded, word) for word in own):
            return listing
    wants = understand(said).acts & {
        Intent.INTERESTED,
        Intent.VIEWING_REQUEST,
        Intent.PROPERTY_QUESTION,
        Intent.PRICE_OR_OFFER,
    }
    if len(offered) == 1 and wants:
        return offered[0]
    return None


async def open_chosen(
    session: AsyncSession, declined: Conversation, lead: Lead, listing: Property
) -> None:
    """A conversation about the chosen listing, in its own thread, started after the commit
    (its first message says what the listing is)."""
    channels = [c for c in declined.channels or () if c not in stopped_channels(lead)]
    now = utcnow()
    inserted = await session.execute(
        dialect_insert(session, Conversation)
        .values(
            brokerage_id=lead.brokerage_id,
            lead_id=lead.id,
            property_id=listing.id,
            thread_id=thread_id_for(lead.id, listing.id),
            status=ConversationStatus.RESPONDING,
            channels=channels,
            language=declined.language,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["lead_id", "property_id"])
        .returning(Conversation.id)
    )
    conversation_id = inserted.scalar_one_or_none()
    if conversation_id is not None:
        enqueue(
            session,
            "run_conversations",
            lead.brokerage_id,
            listing.id,
            [conversation_id],
            job_id=f"conversations:{listing.id}:{conversation_id}",
        )
