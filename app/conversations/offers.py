"""Other listings for a lead who declined one for its area ("no me gusta la zona, busco en
Polanco"): the broker's other active listings that fit the lead by the matching formula (a
place the reply names counts as a wanted place), offered in one message; the lead's choice
opens a conversation about it, in its own thread."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage
from app.conversations import facts
from app.conversations.intents import Intent, Language
from app.conversations.models import Conversation, ConversationStatus, thread_id_for
from app.conversations.replies import PropertyFacts, format_location
from app.conversations.templates import say, voice
from app.conversations.understanding import understand
from app.core.db import dialect_insert, utcnow
from app.core.jobs import enqueue
from app.core.text import fold
from app.leads.models import Lead
from app.matching import scoring
from app.matching import service as matching
from app.messaging.optout import stopped_channels
from app.properties.models import Property

MAX_OFFERS = 3
ENDED = (ConversationStatus.OPTED_OUT, ConversationStatus.CLOSED)
_ORDINALS = {0: r"primer[oa]?|first|1st", 1: r"segund[oa]|second|2nd", 2: r"tercer[oa]?|third|3rd"}
# "2", "la 2", "opción 2", "#2": a number alone or after a word that points at an option.
_NUMBERED = r"(?:^|(?<!\w)(?:la|el|opcion|numero|option|number|no\.?|#)\s*){n}(?!\w)"


def _names(text: str, key: str | None) -> bool:
    return bool(key) and re.search(rf"(?<!\w){re.escape(key or '')}(?!\w)", text) is not None


async def other_listings(
    session: AsyncSession, lead: Lead, declined: Property, said: str, now: datetime
) -> list[Property]:
    """Up to three other active listings of the brokerage that fit the lead, best first: those
    in a place the reply names, then by match score; none in the area the lead turned down,
    none the lead is already talking about."""
    talking = select(Conversation.property_id).where(
        Conversation.lead_id == lead.id, Conversation.status.not_in(ENDED)
    )
    candidates = list(
        (
            await session.execute(
                select(Property)
                .where(
                    Property.brokerage_id == lead.brokerage_id,
                    Property.active.is_(True),
                    Property.id != declined.id,
                    Property.id.not_in(talking),
                )
                .order_by(Property.id)
            )
        ).scalars()
    )
    said_folded = fold(said)
    named = {p.id for p in candidates if _names(said_folded, p.location_key)}
    config = matching.ScoringConfig.for_brokerage(await session.get(Brokerage, lead.brokerage_id))
    wanted = scoring.LeadFacts(
        id=lead.id,
        location_keys=(
            *(lead.location_keys or ()),
            *(p.location_key for p in candidates if p.id in named and p.location_key),
        ),
        min_budget=lead.min_budget,
        max_budget=lead.max_budget,
        rent_min_budget=lead.rent_min_budget,
        rent_max_budget=lead.rent_max_budget,
        currency=lead.currency,
        bedrooms=lead.bedrooms,
        last_contact_at=lead.last_contact_at,
        qualification_score=lead.qualification_score,
        operation=scoring.LeadOperation(lead.operation.value),
    )
    ranked = []
    for listing in candidates:
        if declined.location_key and listing.location_key == declined.location_key:
            continue  # the area the lead said no to
        fit = scoring.score_match(
            wanted, matching.property_facts(listing), config.weights, now, config.gate
        )
        if fit is not None:
            ranked.append((listing.id not in named, -fit.total, listing.id, listing))
    ranked.sort(key=lambda item: item[:3])
    return [listing for *_, listing in ranked[:MAX_OFFERS]]


def offer_text(
    listings: list[PropertyFacts],
    language: Language,
    *,
    formality: str,
    agent: str,
    declined: str,
    first_name: str | None,
) -> str:
    """ "Entiendo, Ana: ... Jorge también tiene: 1. ... ¿Te interesa alguno?", in the voice of
    the brokerage."""
    tone = voice(language, formality)
    options = "\n".join(
        f"{number}. {listing.title}, {format_location(listing)}: {_facts(listing, language)}"
        for number, listing in enumerate(listings, start=1)
    )
    return say(
        tone,
        "offer.others",
        comma_name=f", {first_name}" if first_name else "",
        title=declined,
        Agent=agent[0].upper() + agent[1:] if agent else agent,
        options=options,
    )


def _facts(listing: PropertyFacts, language: Language) -> str:
    parts = []
    if listing.bedrooms is not None:
        parts.append(facts.bedrooms(listing.bedrooms, language))
    parts.append(facts.price(listing, language))
    return ", ".join(parts)


async def chosen(session: AsyncSession, conversation: Conversation, said: str) -> Property | None:
    """The offered listing the reply picks: by its number ("la 2", "the first one"), its place or
    its title, or the only one offered when the reply says yes to it."""
    offered_ids = [int(i) for i in conversation.offered_property_ids or ()]
    if not offered_ids:
        return None
    rows = (
        await session.execute(
            select(Property).where(Property.id.in_(offered_ids), Property.active.is_(True))
        )
    ).scalars()
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
