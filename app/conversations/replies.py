"""What the offline model says: first message, follow-ups and answers, in Spanish and English.

Plain functions over the lead's and property's facts; short, personal and never inventing what
the listing does not say (the broker confirms that).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from app.conversations import facts, qualification
from app.conversations.broker_text import BROKER_TEXT, broker_language, broker_text
from app.conversations.intents import (
    Intent,
    Language,
    classify_intent,
    detect_language,
    question_clauses,
    rule_acts,
)
from app.conversations.templates import FIRST_VARIANTS, TEMPLATES, say, say_as, voice
from app.core.text import fold
from app.viewings.reading import names_a_time

if TYPE_CHECKING:
    from app.accounts.models import Brokerage
    from app.leads.models import Lead
    from app.properties.models import Property

DEFAULT_TIMEZONE = "America/Mexico_City"
VIEWING_HOURS = (time(10), time(13), time(17))


@dataclass(frozen=True)
class LeadFacts:
    name: str = ""
    email: str | None = None
    phone: str | None = None
    locations: tuple[str, ...] = ()
    # A purchase budget and a monthly rent budget, in `currency` (None: the listing's).
    min_budget: int | None = None
    max_budget: int | None = None
    bedrooms: int | None = None
    timezone: str = DEFAULT_TIMEZONE
    last_contact_at: datetime | None = None
    rent_min_budget: int | None = None
    rent_max_budget: int | None = None
    currency: str | None = None

    def budget_for(self, operation: str) -> tuple[int | None, int | None]:
        """The budget a listing of this kind is priced against: the purchase budget for a
        SALE, the monthly rent budget for a RENT (one never stands for the other)."""
        if operation == "RENT":
            return self.rent_min_budget, self.rent_max_budget
        return self.min_budget, self.max_budget

    @property
    def first_name(self) -> str | None:
        parts = self.name.split()
        return parts[0].capitalize() if parts and "@" not in parts[0] else None


@dataclass(frozen=True)
class PropertyFacts:
    title: str
    location: str
    price: int
    city: str = ""
    currency: str = "MXN"
    bedrooms: int | None = None
    bathrooms: float | None = None
    operation: Literal["SALE", "RENT"] = "SALE"
    description: str = ""
    parking_spaces: int | None = None
    built_area_m2: float | None = None
    lot_area_m2: float | None = None
    amenities: tuple[str, ...] = ()
    pets_allowed: bool | None = None
    maintenance_fee: int | None = None
    deposit: int | None = None
    available_from: date | None = None
    photos: tuple[str, ...] = ()
    listing_url: str | None = None
    address: str | None = None
    # Still on the market: "¿todavía lo tienes?" is answered from this, never guessed.
    active: bool = True


def lead_facts(lead: Lead, brokerage: Brokerage) -> LeadFacts:
    """The lead as the pure modules (replies, the guard) read them."""
    return LeadFacts(
        name=lead.name,
        email=lead.email,
        phone=lead.phone,
        locations=tuple(lead.locations or ()),
        min_budget=lead.min_budget,
        max_budget=lead.max_budget,
        bedrooms=lead.bedrooms,
        timezone=brokerage.timezone,
        last_contact_at=lead.last_contact_at,
        rent_min_budget=lead.rent_min_budget,
        rent_max_budget=lead.rent_max_budget,
        currency=lead.currency,
    )


def property_facts(listing: Property) -> PropertyFacts:
    """The listing's facts, field by field: what the agent may state."""
    return PropertyFacts(
        title=listing.title,
        location=listing.location,
        price=listing.price,
        city=listing.city,
        currency=listing.currency,
        bedrooms=listing.bedrooms,
        bathrooms=listing.bathrooms,
        operation="RENT" if listing.operation.value == "RENT" else "SALE",
        description=listing.description,
        parking_spaces=listing.parking_spaces,
        built_area_m2=listing.built_area_m2,
        lot_area_m2=listing.lot_area_m2,
        amenities=tuple(listing.amenities or ()),
        pets_allowed=listing.pets_allowed,
        maintenance_fee=listing.maintenance_fee,
        deposit=listing.deposit,
        available_from=listing.available_from,
        photos=tuple(listing.photos or ()),
        listing_url=listing.listing_url,
        address=listing.address,
        active=listing.active,
    )


@dataclass(frozen=True)
class Turn:
    """One message of the conversation so far; `intent` is set on the lead's messages."""

    direction: Literal["INBOUND", "OUTBOUND"]
    body: str
    intent: Intent | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str


@dataclass(frozen=True)
class Answer:
    text: str | None
    viewing_slots: tuple[datetime, ...] = field(default=())
    # The answer told the lead the broker will get back to them: a task must keep that promise.
    promise: Literal["QUESTION", "HANDOFF", "CALL"] | None = None
    # What the listing could not answer (topic keys, e.g. "deposit"), for the broker's task.
    unanswered: tuple[str, ...] = ()
    # What a HANDOFF promise leaves the broker to do about the price: "price" (offers and
    # payment terms), "offer" (answer the lead's offer), "negotiate" (is the price negotiable)
    # or "negotiate_terms" (the deposit, the fees or the terms).
    about: Literal["price", "offer", "negotiate", "negotiate_terms"] | None = None
    # A CALL promise: the number the lead asked to be called at (theirs on file, or the one they
    # wrote), for the broker's call task.
    call_at: str | None = None


# --- formatting -------------------------------------------------------------------------------

_CURRENCY_SYMBOL = {"MXN": "$", "USD": "$", "COP": "$", "CAD": "$", "EUR": "€", "GBP": "£"}


def _names(words: str) -> tuple[str, ...]:
    return tuple(words.split())


_WEEKDAYS = {
    "es": _names("lunes martes miércoles jueves viernes sábado domingo"),
    "en": _names("Monday Tuesday Wednesday Thursday Friday Saturday Sunday"),
}
_MONTHS = {
    "es": _names(
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
    ),
    "en": _names(
        "January February March April May June July August September October November December"
    ),
}


def format_price(prop: PropertyFacts, language: Language) -> str:
    """'$4,500,000 MXN', and for a rental '$25,000 MXN al mes' / '$25,000 MXN per month'."""
    return facts.price(prop, language)


def format_location(prop: PropertyFacts) -> str:
    if prop.city and fold(prop.city) != fold(prop.location):
        return f"{prop.location}, {prop.city}"
    return prop.location or prop.city


def format_slot(slot: datetime, language: Language) -> str:
    """'el martes 14 de mayo a las 10:00' / 'Tuesday, May 14 at 10:00 AM'."""
    weekday = _WEEKDAYS[language][slot.weekday()]
    month = _MONTHS[language][slot.month - 1]
    if language == "es":
        return f"el {weekday} {slot.day} de {month} a las {slot:%H:%M}"
    hour = slot.hour % 12 or 12
    return f"{weekday}, {month} {slot.day} at {hour}:{slot:%M} {'AM' if slot.hour < 12 else 'PM'}"


def _join(items: Sequence[str], language: Language) -> str:
    if len(items) <= 1:
        return "".join(items)
    conjunction = " y " if language == "es" else " and "
    return ", ".join(items[:-1]) + conjunction + items[-1]


def _bedrooms(count: int, language: Language) -> str:
    return facts.bedrooms(count, language)


def _bathrooms(count: float, language: Language) -> str:
    return facts.bathrooms(count, language)


def _hello(lead: LeadFacts, language: Language) -> str:
    name = lead.first_name
    key = "hello" if name else "hello.anonymous"
    return say(language, key, name=name)


def _signature(sender_name: str | None, language: Language) -> str:
    if not sender_name:
        return ""
    return f"\n\n{'Saludos' if language == 'es' else 'Best'},\n{sender_name}"


def sender_name(brokerage: Brokerage) -> str:
    """How e-mails are signed (the block that closes them, never a name inside a sentence):
    the brokerage's signature when it set one, else the agent's name and the brokerage."""
    if brokerage.signature.strip():
        return brokerage.signature.strip()
    if brokerage.agent_name.strip():
        return f"{brokerage.agent_name.strip()}\n{brokerage.name}"
    return brokerage.name


def signed(body: str, sender_name: str | None, language: str | None) -> str:
    """An e-mail reply closed like every e-mail the lead got from us: the sign-off and the
    signature (a text keeps only its body)."""
    return body + _signature(sender_name, "en" if language == "en" else "es")


def as_text_message(body: str) -> str:
    """The SMS/WhatsApp version of a message: the sign-off folded into one short last line and
    no blank lines, so a text costs fewer segments."""
    for closing in ("Saludos", "Best"):
        text, marker, sender = body.rpartition(f"\n\n{closing},\n")
        if marker:
            body = f"{text}\n– {sender}"
            break
    return body.replace("\n\n", "\n")


def broker_name(agent: str | None, language: Language) -> str:
    """Whom the agent speaks for: a name, never a signature block ("mi colega" without one)."""
    return _broker(agent, language)


def _broker(agent: str | None, language: Language) -> str:
    """Whom the agent speaks for: a name, never a signature block."""
    if agent and agent.strip():
        return agent.strip().splitlines()[0].split(" · ")[0].strip()
    return "mi colega" if language == "es" else "my colleague"


def own_voice(agent: str | None, sender_name: str | None) -> bool:
    """Whether the messages are signed by the person they would pass the lead on to (Jorge's
    assistant signing as Jorge): then the promises are Jorge's own ("lo reviso y te aviso"),
    never "se lo pregunto a Jorge" above Jorge's name."""
    if not (agent and agent.strip() and sender_name and sender_name.strip()):
        return False
    spoken, signed = fold(_broker(agent, "es")), fold(_broker(sender_name, "es"))
    return signed == spoken or signed.startswith(f"{spoken} ")  # "Jorge" signs "Jorge Ramírez"


def _say(tone: str, key: str, own: bool, **names: object) -> str:
    """`say`, in the first person when the agent signs as themself and the voice has it."""
    return say_as(tone, key, own, **names)


# --- viewing slots ----------------------------------------------------------------------------


_WEEKDAY_NUMBERS = {
    "lunes": 0, "monday": 0, "martes": 1, "tuesday": 1, "miercoles": 2, "wednesday": 2,
    "jueves": 3, "thursday": 3, "viernes": 4, "friday": 4, "sabado": 5, "saturday": 5,
    "domingo": 6, "sunday": 6,
}  # fmt: skip
_DAY_WORD = re.compile(r"\b(" + "|".join([*_WEEKDAY_NUMBERS, "manana", "tomorrow"]) + r")\b")


def requested_day(message: str, local_today: date) -> date | None:
    """The day a lead asks for ("el sábado", "tomorrow"), if any; never today or earlier."""
    found = _DAY_WORD.search(fold(message))
    if found is None:
        return None
    word = found[1]
    if word in ("manana", "tomorrow"):
        # "mañana" alone is tomorrow; "el sábado en la mañana" named its day first.
        return local_today + timedelta(days=1)
    ahead = (_WEEKDAY_NUMBERS[word] - local_today.weekday()) % 7 or 7
    return local_today + timedelta(days=ahead)


def viewing_slots(
    now: datetime, tz: str | ZoneInfo = DEFAULT_TIMEZONE, message: str = ""
) -> tuple[datetime, ...]:
    """Three slots at 10:00, 13:00 and 17:00 local time: on the day the lead asked for, or on
    the next three business days.

    Tomorrow at the earliest, so the broker has time to confirm; a naive `now` is taken as UTC.
    """
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    local_now = (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(zone)
    asked = requested_day(message, local_now.date())
    if asked is not None:
        return tuple(datetime.combine(asked, hour, tzinfo=zone) for hour in VIEWING_HOURS)
    slots: list[datetime] = []
    day = local_now.date()
    while len(slots) < len(VIEWING_HOURS):
        day += timedelta(days=1)
        if day.weekday() < 5:
            slots.append(datetime.combine(day, VIEWING_HOURS[len(slots)], tzinfo=zone))
    return tuple(slots)


# --- first message and follow-ups -------------------------------------------------------------


def _matched(breakdown: Mapping[str, float], component: str) -> bool:
    return float(breakdown.get(component, 0) or 0) > 0


UNTOUCHED_FOR = timedelta(days=60)
# A title that already says what kind of listing it is ("Depa en renta", "Casa en venta").
_KIND_WORDS = {"sale": ("venta", "for sale"), "rent": ("renta", "rent")}


def pick_variant(key: str) -> str:
    """A first-message variant, spread evenly and at random over conversations but stable for
    one (a campaign batch run again writes the same message)."""
    digest = hashlib.sha256(key.encode()).digest()
    return FIRST_VARIANTS[digest[0] % len(FIRST_VARIANTS)]


def first_message(
    lead: LeadFacts,
    prop: PropertyFacts,
    breakdown: Mapping[str, float],
    language: Language,
    sender_name: str | None = None,
    *,
    formality: str = "TU",
    agent: str | None = None,
    brokerage: str | None = None,
    variant: str = "a",
    now: datetime | None = None,
) -> Draft:
    """The opening message: who writes and why, the listing, in plain words why it fits this
    lead (only what the match says fits), one highlight, a link, one question."""
    tone = voice(language, formality)
    where = format_location(prop)
    brokerage_name = brokerage or sender_name or ""
    if agent:
        me = say(
            tone,
            f"me.named.{variant}" if f"me.named.{variant}" in TEMPLATES[tone] else "me.named",
            agent=_broker(agent, language),
            brokerage=brokerage_name,
        )
    else:
        me = say(tone, "me.team", brokerage=brokerage_name) if brokerage_name else ""
    # No one named: the brokerage writes, in the plural ("Te escribimos de…", "this is…").
    team = ".team" if not agent and brokerage_name else ""
    why = ""
    if lead.last_contact_at is not None and now is not None:
        last = (
            lead.last_contact_at
            if lead.last_contact_at.tzinfo
            else lead.last_contact_at.replace(tzinfo=UTC)
        )
        if (now if now.tzinfo else now.replace(tzinfo=UTC)) - last > UNTOUCHED_FOR:
            wanted = (
                say(tone, "looking_in", places=facts.join(list(lead.locations), language))
                if lead.locations
                else say(tone, "looking")
            )
            why = say(tone, f"why.returning{team}", wanted=wanted)
    parts = []
    if prop.bedrooms is not None:
        rooms = _bedrooms(prop.bedrooms, language)
        right_size = _matched(breakdown, "bedrooms")
        parts.append(
            say(tone, "rooms_fit", rooms=rooms)
            if right_size
            else ("tiene " if language == "es" else "it has ") + rooms
        )
    cost = say(tone, f"price.{prop.operation.lower()}", price=format_price(prop, language))
    parts.append(cost + (say(tone, "budget_fit") if _matched(breakdown, "price") else ""))
    sentence = facts.join(parts, language)
    link = prop.listing_url or (prop.photos[0] if prop.photos else None)
    # What the title already says is not said again (the place, the kind, or both), and the
    # listing is a noun phrase of the lead's language ("un departamento en renta en la
    # Condesa", "una casa en Coral Gables" for an English title), never a bare pasted title.
    named = facts.listing_phrase(prop, language, definite=False)
    title = fold(named)
    kind = say(tone, prop.operation.lower())
    says_kind = any(word in title for word in _KIND_WORDS[prop.operation.lower()])
    at = "en" if language == "es" else "in"
    # Each place once: the parts of the location the title already says are not said again.
    unsaid = [part.strip() for part in where.split(",") if part.strip()]
    unsaid = [part for part in unsaid if fold(part) not in title]
    place = f", {at} {', '.join(unsaid)}" if unsaid else ""
    kind_place = place if says_kind else f", {kind}{place[1:]}" if place else f", {kind}"
    highlight = _highlight(prop, language)
    body = say(
        tone,
        f"first.{variant}{team}",
        hello=_hello(lead, language),
        me=me,
        why=why,
        kind_a="" if says_kind else f"{kind} ",
        title=named,
        Title=named[:1].upper() + named[1:],
        place=place,
        kind_place=kind_place,
        area_fit=say(tone, "area_fit") if _matched(breakdown, "location") else "",
        facts=f"{sentence[0].upper()}{sentence[1:]}.",
        highlight=say(tone, "highlight", highlight=highlight) if highlight else "",
        link=say(tone, "link", link=link) if link else "",
    )
    body = facts.agree(
        " ".join(body.split(" ")).replace(" \n", "\n").replace("  ", " "), prop, language
    )
    shown_title = prop.title
    if detect_language(prop.title) not in (None, language):  # an English title, a Spanish lead
        shown_title = named[:1].upper() + named[1:]
    subject = f"{shown_title}{place}".replace(f", {at} ", f" {at} ", 1)
    return Draft(subject=subject, body=body + _signature(sender_name, language))


def _highlight(prop: PropertyFacts, language: Language) -> str | None:
    """The listing's first amenity its title does not already say ("Departamento con balcón"
    is not told "Destaca: balcón"), in the listing's own word ("rooftop" stays "the rooftop");
    a Spanish word shown to an English reader is said in English ("Alberca": "a pool")."""
    title = fold(prop.title)
    for amenity in prop.amenities:
        name = facts.canonical_amenity(amenity)
        words = {fold(amenity), *facts.AMENITY_WORDS.get(name, (name,))}
        if any(re.search(rf"(?<!\w){re.escape(word)}", title) for word in words if word):
            continue
        own = amenity.strip()
        if language != "en":
            return own  # as the listing writes it
        own = own[:1].lower() + own[1:]
        spanish = facts.AMENITY_WORDS.get(name, ())[:1]
        if spanish and spanish[0] in fold(own) and name != "roof garden":
            return facts.AMENITY_SHOWN["en"].get(name, own)
        return f"the {own}"
    return None


def follow_up_message(
    lead: LeadFacts,
    prop: PropertyFacts,
    language: Language,
    number: int,
    sender_name: str | None = None,
    *,
    formality: str = "TU",
) -> Draft:
    """The first (number=1) or second and last (number=2) gentle follow-up."""
    tone = voice(language, formality)
    subject = f"{prop.title} {'en' if language == 'es' else 'in'} {format_location(prop)}"
    # The listing inside a sentence: "¿Pudiste ver lo del departamento en Polanco?"
    the = facts.listing_phrase(prop, language, definite=True)
    body = say(tone, f"followup.{min(number, 2)}", hello=_hello(lead, language), title=the)
    body = facts.agree(body, prop, language)
    return Draft(subject=subject, body=body + _signature(sender_name, language))


# --- answers ----------------------------------------------------------------------------------


# "cuéntame más", "more info": a wish for the listing's summary, not a question it can't answer.
_MORE_INFO = re.compile(
    r"\b(?:mas|more) (?:info|informacion|detalles|details|datos)\b|\bcuentame\b|\bcuenteme\b"
    r"|\btell me more\b|\bdetalles\b|\bdetails\b|\binfo\b"
    # "¿qué más me puedes contar (de la casa)?", "what else can you tell me?", "dime más"
    r"|\bque mas (?:me )?(?:puedes|puede|podrias|podria|pueden|sabes|sabe)?\s*"
    r"(?:contar|decir|platicar|compartir)\b|\b(?:dime|digame|platicame|platiqueme) mas\b"
    r"|\bwhat else (?:can|could) you (?:tell|share)\b|\btell me (?:about it|a bit more)\b"
)


# Acts whose own answer takes a question clause up: a viewing asked, a price, a refusal.
_ANSWERED_ELSEWHERE = frozenset(
    {
        Intent.VIEWING_REQUEST,
        Intent.PRICE_OR_OFFER,
        Intent.NOT_INTERESTED,
        Intent.RENT_ONLY,
        Intent.TOO_EXPENSIVE,
        Intent.OPT_OUT,
    }
)


def open_questions(message: str, prop: PropertyFacts | None = None) -> list[str]:
    """The questions of a reply that no listing field, amenity, price or viewing answer takes
    up ("doorman?", "¿tiene estudio?"): the broker's to answer, never dropped. "¿Se puede?"
    after a viewing asked, or "can Tom call me?", asks nothing of the listing."""
    return [
        clause
        for clause in question_clauses(message)
        if not facts.topics(clause)
        and not (rule_acts(clause) & _ANSWERED_ELSEWHERE)
        and not _NO_CONTENT.fullmatch(clause)
        and not _MORE_INFO.search(fold(clause))  # "¿qué más me puedes contar?": the summary
        and not asks_call(clause)
        and not facts.asked_amenities(clause)
        and not (prop is not None and facts.named_amenities(clause, prop))
        # "is the price negotiable?": the price answer says who decides and the task asks them
        and not _NEGOTIATION.search(fold(clause))
        and not names_a_time(clause)  # "¿podría verla el viernes a las 12:30?": the viewing's
    ]


# A question that only leans on what the reply said before it ("quisiera verla el miércoles,
# ¿se puede?", "would that work?").
_NO_CONTENT = re.compile(
    r"(?:(?:y|and|entonces|so|pues)\s+)?(?:se puede|se podra|se podria|puede ser|podria ser"
    r"|es posible|seria posible|esta bien|te parece|le parece|les parece|is that (?:ok|okay"
    r"|possible|alright|fine)|(?:would|does|will|could) that work|is it possible|possible"
    r"|ok|okay|no|verdad|cierto|si|right|yes|sale|va|vale|como ves|como la ves|que dices"
    r"|what do you think)(?:\s+(?:o no|or not|please|porfa|por favor))?"
)
# "¿me puede llamar?", "can Tom call me?", "llámame al 55...": a call asked for, the broker's.
CALL_ME = re.compile(
    r"\b(?:llam\w*me|me (?:puede|puedes|pueden|podria|podrias|podrian)?\s*(?:llama\w*|marca\w*)"
    r"|(?:marcame|marqueme|hablame|hableme)"
    r"|call me|give me a (?:call|ring)|(?:call|phone|ring) me\b"
    r"|(?<![\w'])(?!(?:no|not|dont|don't|never)\b)\w+ (?:call|phone|ring) me)\b"
)
_NOT_BEFORE = re.compile(r"\b(?:no|ni|not|don't|dont|never|nunca|pls don't)\s+(?:\w+\s+)?$")


def asks_call(folded: str) -> bool:
    """A call asked for, not refused ("no me llames, mejor escríbeme", "don't call me")."""
    return any(
        not _NOT_BEFORE.search(folded[: found.start()]) for found in CALL_ME.finditer(folded)
    )


_PHONE = re.compile(r"\+?\(?\d[\d\s().-]{7,}\d")


def asked_thing(clause: str, language: Language) -> str | None:
    """A yes-or-no question about one thing, named for the lead ("tiene estudio" is "si tiene
    estudio", "is there a doorman" "whether there is a doorman"); None for anything else
    (the broker's task then quotes the question)."""
    found = _THING.fullmatch(clause)
    if found is None:
        return None
    thing = found["thing"].strip()
    if found["verb"] in ("hay", "is there", "are there"):
        return f"si hay {thing}" if language == "es" else f"whether there is {thing}"
    return f"si tiene {thing}" if language == "es" else f"whether it has {thing}"


_THING = re.compile(
    r"(?:(?:y|and|also|tambien|oye|oiga)[\s,]+)?(?:(?:la casa|el depa\w*|el apartamento|it|the"
    r" (?:house|place|unit|home|apartment|condo))\s+)?(?P<verb>tiene|tienen|cuenta con|hay"
    r"|does (?:it|the \w+) have|do they have|is there|are there|has it got|any)"
    r"\s+(?P<thing>(?:(?:un|una|el|la|a|an|some)\s+)?[a-z]+(?:\s+[a-z]+)?)"
)


def in_own_words(message: str, clause: str) -> str:
    """A folded clause as the lead wrote it (accents, capitals), for the broker to read."""
    words = re.findall(r"[^\s¿?¡!.,;:]+", message)
    folded = [fold(word) for word in words]
    wanted = clause.split()
    for start in range(len(words) - len(wanted) + 1):
        if folded[start : start + len(wanted)] == wanted:
            return " ".join(words[start : start + len(wanted)])
    return clause


def quoted_question(message: str, clause: str, language: Language) -> str:
    """The lead's question for the broker's task: "¿está cerca del metro?"."""
    own = in_own_words(message, clause)
    return f"¿{own}?" if language == "es" else f"{own}?"


def financing_stated(message: str) -> bool:
    """ "Tengo crédito preaprobado", "we're paying cash": financing said as a fact about the lead
    (a qualification signal), not asked of the listing ("¿acepta crédito?")."""
    if "financing" not in qualification.signals_in(message):
        return False
    return not any("financing" in facts.topics(clause) for clause in question_clauses(message))


def asked_topics(message: str) -> list[str]:
    """The listing topics a reply asks about: financing the lead states is no question."""
    asked = facts.topics(message)
    if "financing" in asked and financing_stated(message):
        asked.remove("financing")
    return asked


def asked_acts(acts: frozenset[Intent], message: str) -> frozenset[Intent]:
    """The acts a reply is answered for: a price "question" that only states financing ("Pd.
    tengo preaprobado crédito bancario") is no price question (the price is not quoted, no
    price task), and is left as the interest it shows."""
    if Intent.PRICE_OR_OFFER not in acts or asks_price(message):
        return acts
    return (acts - {Intent.PRICE_OR_OFFER}) or frozenset({Intent.INTERESTED})


def financing_noted(text: str | None, message: str, intent: Intent, language: Language,
                    formality: str) -> str | None:  # fmt: skip
    """The answer, opened by a thanks for the financing the lead stated (a signal the broker
    sees on the task card), unless the answer closes or offers times."""
    if not text or not financing_stated(message) or intent in _NO_NOTE:
        return text
    # The note thanks already: the answer's own opening thanks goes ("Gracias por contarme, lo
    # tomo en cuenta. Gracias, María. Se lo comento..." thanked twice).
    text = _OPENING_THANKS.sub("", text, count=1) or text
    return f"{say(voice(language, formality), 'financing.noted', comma_name='')} {text}"


_OPENING_THANKS = re.compile(r"^(?:¡?Gracias|Thanks|Thank you)(?:, [^.!]{1,40})?[.!]\s+")


_NO_NOTE = (Intent.VIEWING_REQUEST, Intent.OPT_OUT, Intent.NOT_INTERESTED, Intent.RENT_ONLY)


def asks_price(message: str) -> bool:
    """Whether a reply asks the price or bargains, beyond stating how the lead pays ("Pd. tengo
    preaprobado crédito bancario" asks nothing): the price is said only when asked."""
    if not financing_stated(message):
        return True
    clauses = fold(message).replace("\n", ". ").split(".")
    rest = [c for c in clauses if c.strip() and "financing" not in qualification.signals_in(c)]
    return any(Intent.PRICE_OR_OFFER in rule_acts(c) for c in rest)


def _property_answer(
    message: str,
    prop: PropertyFacts,
    language: Language,
    tone: str,
    agent: str,
    *,
    own: bool = False,
    closing: bool = True,
    exclude: frozenset[str] = frozenset(),
) -> Answer:
    """The listing's facts on every topic asked; what it doesn't say is promised from the
    broker (and the caller's task keeps that promise): a question on no topic the listing
    has a field for ("¿de qué año es el edificio?") too, never answered with facts it did not
    ask for. `own`: the agent signs as themself ("lo reviso", never "se lo pregunto a Jorge"
    under Jorge's name). `closing`: end with a question of our own (not when another answer
    follows)."""
    asked = [topic for topic in asked_topics(message) if topic not in exclude]
    if not asked and not exclude and _MORE_INFO.search(fold(message)):
        asked = ["bedrooms", "bathrooms", "location"]
    if "amenities" not in asked and (
        facts.asked_amenities(message) or facts.named_amenities(message, prop)
    ):
        asked.append("amenities")  # "¿tiene chimenea?": the listing's own amenity list answers
    where = ("Está en " if language == "es" else "It is in ") + format_location(prop) + "."
    answered = facts.answer_question(message, prop, language, asked, where)
    text = " ".join(answered.known)
    # A question no field answers ("¿tiene estudio?", "¿y estudio?"): promised as well, never
    # dropped, named for the lead when it asks about one thing, quoted on the broker's task.
    opened = open_questions(message, prop)
    things = [asked_thing(clause, language) for clause in opened]
    named = [*answered.asking, *(thing for thing in things if thing)]
    unnamed = [clause for clause, thing in zip(opened, things, strict=True) if not thing]
    unknown = (
        *answered.unknown,
        *(quoted_question(message, clause, language) for clause in opened),
    )
    if not named and not asked:
        check = _say(tone, "check.any", own, agent=agent)
        return Answer(f"{text} {check}".strip(), promise="QUESTION",
                      unanswered=unknown or ("question",))  # fmt: skip
    if unknown:
        topics = facts.join([*named, *([say(tone, "other_question")] if unnamed else [])],
                            language)  # fmt: skip
        check = _say(tone, "check", own, topics=topics, agent=agent)
        return Answer(f"{text} {check}".strip(), promise="QUESTION", unanswered=unknown)
    return Answer(f"{text} {say(tone, 'more')}".strip() if closing else text)


def answer_other_acts(
    acts: frozenset[Intent],
    intent: Intent,
    message: str,
    prop: PropertyFacts,
    language: Language,
    *,
    formality: str = "TU",
    agent: str | None = None,
    sender_name: str | None = None,
) -> Answer | None:
    """The answer to what a reply asks beside its primary act, to go before that act's answer
    in the same message: the listing's facts asked beside a viewing request or a price question
    ("¿tiene estacionamiento? ¿la puedo ver el sábado?"), and the price asked beside a viewing
    request ("how much is the rent? can I see it this week"). None when there is nothing else."""
    if intent not in (Intent.VIEWING_REQUEST, Intent.PRICE_OR_OFFER):
        return None
    tone = voice(language, formality)
    own = own_voice(agent, sender_name)
    broker = _broker(agent or sender_name, language)
    asked = [topic for topic in asked_topics(message) if topic != "price"]
    if (
        intent is Intent.VIEWING_REQUEST
        and Intent.PRICE_OR_OFFER in acts
        and not asked
        and asks_price(message)
    ):
        priced = {"title": prop.title, "price": format_price(prop, language), "agent": broker}
        return Answer(_say(tone, "price.asked", own, **priced))
    if intent is Intent.PRICE_OR_OFFER and set(asked) & _TERMS:
        return None  # the price answer takes up every topic of the reply itself
    amenities = facts.asked_amenities(message) or facts.named_amenities(message, prop)
    if not asked and not open_questions(message, prop) and not amenities:
        return None
    return _property_answer(message, prop, language, tone, broker, own=own, closing=False)


# The deposit, the fees, the lease terms and financing are asked, not bargained over.
_TERMS = frozenset({"deposit", "fees", "terms", "financing"})


# "¿se puede negociar?", "would they take 2.4?": an offer or a bargain, the broker's to answer.
_NEGOTIATION = re.compile(
    r"\bnegocia\w*|\brebaj\w*|\bdescuento\b|\boferta\w*|\bofrec\w*|\bofrezco\b"
    r"|\bmenos\b|\bdejan? en\b|\bnegotia\w*|\boffer\w*|\bdiscount\b|\bwould (?:they|you)"
    r" (?:take|accept)\b|\blower\b|\bbest price\b"
)
# An amount the lead names ("te ofrezco 2.5", "4.8 millones", "$30k"): their offer.
_AMOUNT = re.compile(r"\d(?:[\d.,]*\d)?\s*(?:m\b|mdp|millon\w*|mil\b|k\b|million)|\$\s*\d")
# A greeting and nothing else: answered with a question, never a task for the broker.
_GREETING = re.compile(
    r"(?:(?:hola|holi|buenas|buenos|buen|dias|dia|tardes|noches|que|tal|onda|hi|hello|hey"
    r"|good|morning|afternoon|evening|there|saludos)[\s,!.]*)+"
)

_THANKS = re.compile(r"\b(?:gracias|mil gracias|thanks|thank you|thx|ty)\b")


def answer(
    intent: Intent,
    message: str,
    lead: LeadFacts,
    prop: PropertyFacts,
    language: Language,
    now: datetime,
    sender_name: str | None = None,
    *,
    formality: str = "TU",
    agent: str | None = None,
) -> Answer:
    """The reply to one lead message of this intent; `text` is None when none is needed."""
    said = _answer(
        intent, message, lead, prop, language, now, sender_name, formality=formality, agent=agent
    )
    if said.text is None:
        return said
    return replace(said, text=facts.agree(said.text, prop, language))


def _answer(
    intent: Intent,
    message: str,
    lead: LeadFacts,
    prop: PropertyFacts,
    language: Language,
    now: datetime,
    sender_name: str | None,
    *,
    formality: str,
    agent: str | None,
) -> Answer:
    tone = voice(language, formality)
    name = lead.first_name
    names = {
        "comma_name": f", {name}" if name else "",
        "agent": _broker(agent or sender_name, language),
        # The listing inside a sentence: "para ver la casa en venta en Coyoacán".
        "title": (the := facts.listing_phrase(prop, language, definite=True)),
        "Title": the[:1].upper() + the[1:],
        "price": format_price(prop, language),
    }
    if intent == Intent.OPT_OUT:
        return Answer(say(tone, "optout.done"))
    own = own_voice(agent, sender_name)
    if intent == Intent.VIEWING_REQUEST:
        slots = viewing_slots(now, lead.timezone, message)
        options = "\n".join(f"- {format_slot(slot, language)}" for slot in slots)
        agent_ = names["agent"]
        agent_ = agent_[0].upper() + agent_[1:]
        return Answer(_say(tone, "viewing", own, options=options, Agent=agent_, **names), slots)
    asked = asked_topics(message)
    folded = fold(message)
    about_terms = set(asked) & _TERMS
    questions = bool(asked) or bool(open_questions(message, prop))
    if intent == Intent.ACKNOWLEDGEMENT and not questions:
        return Answer(None)  # "gracias", "ok": no answer; a question inside a thanks gets one
    if intent == Intent.PRICE_OR_OFFER and (_NEGOTIATION.search(folded) or not about_terms):
        key = "price.offer" if _AMOUNT.search(folded) else "price"
        if about_terms:  # "¿se puede negociar el depósito?": the fact, then the broker
            stated = _property_answer(message, prop, language, tone, names["agent"], own=own)
            return Answer(
                f"{stated.text} {_say(tone, 'negotiate', own, **names)}",
                promise="HANDOFF",
                unanswered=stated.unanswered,
                about="negotiate_terms",
            )
        about: Literal["price", "offer", "negotiate"] = (
            "offer"
            if key == "price.offer"
            else "negotiate"
            if _NEGOTIATION.search(folded)
            else "price"
        )
        if about == "negotiate":  # "¿se puede negociar?": the price, and who decides; no promise
            key = "price.negotiate"  # of flexibility the broker never made
        return Answer(_say(tone, key, own, **names), promise="HANDOFF", about=about)
    if asks_call(folded) and intent in _CALL_BESIDE:
        return _call_back(message, lead, prop, language, tone, names, own=own)
    if intent in (Intent.PROPERTY_QUESTION, Intent.PRICE_OR_OFFER) or (
        questions and intent in (Intent.OTHER, Intent.INTERESTED, Intent.ACKNOWLEDGEMENT)
    ):
        facts_answer = _property_answer(message, prop, language, tone, names["agent"], own=own)
        if _THANKS.search(folded) and facts_answer.text:  # a thanks and a question
            text = f"{say(tone, 'thanks', **names)} {facts_answer.text}"
            return replace(facts_answer, text=text)
        return facts_answer
    if intent == Intent.INTERESTED and financing_stated(message):
        return Answer(say(tone, "more"))  # the financing is thanked for, nothing recapped
    if intent == Intent.INTERESTED:
        shown = [format_location(prop)]
        if prop.bedrooms is not None:
            shown.append(_bedrooms(prop.bedrooms, language))
        if prop.bathrooms is not None:
            shown.append(_bathrooms(prop.bathrooms, language))
        return Answer(say(tone, "interested", summary=", ".join(shown), **names))
    if intent == Intent.TOO_EXPENSIVE:
        return Answer(say(tone, f"too_expensive.{prop.operation.lower()}", **names))
    if intent == Intent.RENT_ONLY:
        return Answer(say(tone, "rent_only", **names))
    if intent == Intent.NOT_INTERESTED:
        return Answer(say(tone, "not_interested", **names))
    if _GREETING.fullmatch(folded.strip(" !.,?¡¿:)(")):  # "Hola": the conversation goes on
        return Answer(say(tone, "greeting", **names))
    # OTHER: nothing the facts can answer, so a person picks it up (and a task says so).
    return Answer(_say(tone, "other", own, **names), promise="HANDOFF")


# What a call asked for may come with and still be answered by the call (and its task).
_CALL_BESIDE = (Intent.OTHER, Intent.INTERESTED, Intent.ACKNOWLEDGEMENT, Intent.PROPERTY_QUESTION)


def _call_back(
    message: str,
    lead: LeadFacts,
    prop: PropertyFacts,
    language: Language,
    tone: str,
    names: dict[str, str],
    *,
    own: bool,
) -> Answer:
    """ "Can Tom call me? 512 555 0199": the broker calls (a CALL task with the number), and
    what else the reply asks is answered first; with no number to call, the lead is asked
    for one, nothing promised. The number is never read back (it is the lead's own)."""
    written = _PHONE.search(message)
    number = written.group(0).strip() if written else lead.phone
    stated = None
    if asked_topics(message) or open_questions(message, prop):
        stated = _property_answer(message, prop, language, tone, names["agent"], own=own,
                                  closing=False)  # fmt: skip
    agent = names["agent"]
    if number is None:
        text = _say(tone, "call.number", own, comma_name=names["comma_name"], agent=agent)
        return Answer(f"{stated.text} {text}" if stated and stated.text else text,
                      promise=stated.promise if stated else None,
                      unanswered=stated.unanswered if stated else ())  # fmt: skip
    key = "call.written" if written else "call"
    text = _say(tone, key, own, comma_name=names["comma_name"], Agent=agent[:1].upper() + agent[1:])
    return Answer(
        f"{stated.text} {text}" if stated and stated.text else text,
        promise="CALL",
        unanswered=stated.unanswered if stated else (),
        call_at=number,
    )


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[¡¿A-ZÁÉÍÓÚÑ])")


def once(text: str | None) -> str | None:
    """The message with no sentence said twice (two answers that state the same fact)."""
    if not text:
        return text
    lines = []
    seen: set[str] = set()
    for line in text.split("\n"):
        kept = []
        for sentence in _SENTENCE.split(line):
            key = sentence.strip()
            if len(key) > 12 and key in seen:
                continue
            seen.add(key)
            kept.append(sentence)
        lines.append(" ".join(kept))
    return "\n".join(lines)


def still_waiting(
    lead: LeadFacts,
    language: Language,
    formality: str = "TU",
    agent: str | None = None,
    sender_name: str | None = None,
) -> str:
    """What a lead who asks again what the broker has yet to answer is told: that it is on its
    way, not the same promise word for word (the open task still keeps it)."""
    tone = voice(language, formality)
    name = lead.first_name
    names = {
        "comma_name": f", {name}" if name else "",
        "agent": _broker(agent or sender_name, language),
    }
    return _say(tone, "check.again", own_voice(agent, sender_name), **names)


# Intents whose answer ends the conversation: a safe line for them promises nothing.
_CLOSING = (Intent.NOT_INTERESTED, Intent.RENT_ONLY, Intent.OPT_OUT)


def safe_answer(
    intent: Intent,
    lead: LeadFacts,
    language: Language,
    *,
    formality: str = "TU",
    agent: str | None = None,
    sender_name: str | None = None,
) -> Answer:
    """What is said instead of a reply the fact guard refused: no fact at all. The lead is told
    the broker will answer (a HANDOFF task keeps that promise), or, when they said no or stop,
    only thanked."""
    tone = voice(language, formality)
    name = lead.first_name
    names = {"comma_name": f", {name}" if name else "", "agent": _broker(agent, language)}
    if intent is Intent.OPT_OUT:
        return Answer(say(tone, "optout.done"))
    if intent in _CLOSING:
        return Answer(say(tone, "safe.closing", **names))
    if intent is Intent.ACKNOWLEDGEMENT:
        return Answer(None)
    own = own_voice(agent, sender_name)
    return Answer(_say(tone, "other", own, **names), promise="HANDOFF")


# --- hand-off ---------------------------------------------------------------------------------

# Where an e-mail reply starts quoting what it answers: "El lun, 7 dic 2026, Sofía escribió:",
# "On Mon, Dec 7, Tom wrote:", a forwarded header, "> " lines, a "-- " signature separator.
_QUOTED = re.compile(
    r"^\s*(?:>|--\s*$|_{5,}|-{3,}\s*(?:original message|mensaje original)"
    r"|(?:on|el)\b.{0,200}\b(?:wrote|escribio):\s*$|(?:from|de|sent|enviado):\s)",
    re.IGNORECASE,
)
# A sign-off with the signature block after it, on its line or the next few short lines.
_SIGN_OFF = re.compile(
    r"^\s*(?:saludos(?: cordiales)?|un saludo|atentamente|cordialmente|quedo atent[oa]|best"
    r"(?: regards)?|regards|kind regards|thanks|thank you|cheers|sincerely|gracias|mil gracias)"
    r"\s*[,.!]?\s*(?P<rest>[^?¿]*)$",
    re.IGNORECASE,
)


def own_words(body: str) -> str:
    """What the lead wrote in a reply, without the e-mail it quotes nor their signature block
    (a broker's card quotes the lead, not "Saludos, Sofía Restrepo · Asesora · ...")."""
    kept: list[str] = []
    for line in body.strip().splitlines():
        if _QUOTED.match(fold(line)):
            break
        kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    for index in range(len(kept) - 1, max(0, len(kept) - 6), -1):
        after = kept[index + 1 :]
        if _SIGN_OFF.match(fold(kept[index])) and all(len(line) < 60 for line in after):
            kept = kept[:index]
            break
    return " ".join(" ".join(kept).split())


# What the lead said, for the broker's card: acknowledgements and OTHER say nothing by themselves.
_UNTOLD = (Intent.ACKNOWLEDGEMENT, Intent.OTHER)


def handoff_summary(
    lead: LeadFacts,
    prop: PropertyFacts,
    transcript: Sequence[Turn],
    score: int,
    *,
    language: str | None = "en",
    max_quotes: int = 3,
) -> str:
    """A card for the broker, in the brokerage's `language`: who, which property, why now, and
    the lead's own words."""
    inbound = [turn for turn in transcript if turn.direction == "INBOUND"]
    intents = [turn.intent or classify_intent(turn.body) for turn in inbound]
    contact = " · ".join(part for part in (lead.name or "Lead", lead.email, lead.phone) if part)
    lang = broker_language(language)
    lines = [
        contact,
        broker_text(
            lang,
            "summary.listing",
            listing=prop.title,
            place=format_location(prop),
            price=format_price(prop, lang),
        ),
        broker_text(lang, "summary.score", score=str(score)),
    ]
    wants: list[str] = []
    for intent in intents:
        key = f"intent.{intent}"  # an intent with no words for the broker says nothing here
        label = broker_text(lang, key) if key in BROKER_TEXT[lang] and intent not in _UNTOLD else ""
        if label and label not in wants:
            wants.append(label)
    if wants:
        lines.append(broker_text(lang, "summary.lead", wants="; ".join(wants)))
    preferences = []
    if lead.locations:
        preferences.append(broker_text(lang, "summary.areas", places=", ".join(lead.locations)))
    low, high = lead.budget_for(prop.operation)
    if high:
        shown = (
            broker_text(lang, "summary.budget_range", low=f"{low:,}", high=f"{high:,}")
            if low
            else broker_text(lang, "card.up_to", amount=f"{high:,}")
        )
        monthly = broker_text(lang, "summary.monthly") if prop.operation == "RENT" else ""
        currency = lead.currency or prop.currency
        preferences.append(
            broker_text(lang, "summary.budget", amount=shown, currency=f"{currency}{monthly}")
        )
    if lead.bedrooms is not None:
        preferences.append(broker_text(lang, "card.bedrooms", count=str(lead.bedrooms)))
    if preferences:
        lines.append(broker_text(lang, "summary.looking_for", wants=", ".join(preferences)))
    quotes = [said for turn in inbound[-max_quotes:] if (said := own_words(turn.body))]
    if quotes:
        lines.append(broker_text(lang, "summary.quotes"))
        lines.extend(f'- "{quote}"' for quote in quotes)
    offered = [turn for turn in transcript if turn.direction == "OUTBOUND"]
    if offered:
        last = " ".join(offered[-1].body.split())
        lines.append(broker_text(lang, "summary.last_said", text=last[:280]))
    return "\n".join(lines)
