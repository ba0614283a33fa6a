"""What the offline model says: first message, follow-ups and answers, in Spanish and English.

Plain functions over the lead's and property's facts; short, personal and never inventing what
the listing does not say (the broker confirms that).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from app.conversations.intents import Intent, Language, classify_intent
from app.core.text import fold

DEFAULT_TIMEZONE = "America/Mexico_City"
VIEWING_HOURS = (time(10), time(13), time(17))


@dataclass(frozen=True)
class LeadFacts:
    name: str = ""
    email: str | None = None
    phone: str | None = None
    locations: tuple[str, ...] = ()
    min_budget: int | None = None
    max_budget: int | None = None
    bedrooms: int | None = None
    timezone: str = DEFAULT_TIMEZONE

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
    """'$4,500,000 MXN', and for a rental '$25,000 MXN al mes' / '$25,000 MXN a month'."""
    symbol = _CURRENCY_SYMBOL.get(prop.currency.upper(), "")
    amount = f"{symbol}{prop.price:,} {prop.currency.upper()}"
    if prop.operation == "RENT":
        amount += " al mes" if language == "es" else " a month"
    return amount


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
    if language == "es":
        return f"{count} recámara" if count == 1 else f"{count} recámaras"
    return f"{count} bedroom" if count == 1 else f"{count} bedrooms"


def _bathrooms(count: float, language: Language) -> str:
    shown = f"{count:g}"
    if language == "es":
        return f"{shown} baño" if count == 1 else f"{shown} baños"
    return f"{shown} bathroom" if count == 1 else f"{shown} bathrooms"


def _hello(lead: LeadFacts, language: Language) -> str:
    name = lead.first_name
    if language == "es":
        return f"Hola, {name}" if name else "Hola"
    return f"Hi {name}" if name else "Hi there"


def _signature(sender_name: str | None, language: Language) -> str:
    if not sender_name:
        return ""
    return f"\n\n{'Saludos' if language == 'es' else 'Best'},\n{sender_name}"


def as_text_message(body: str) -> str:
    """The SMS/WhatsApp version of a message: the sign-off folded into one short last line and
    no blank lines, so a text costs fewer segments."""
    for closing in ("Saludos", "Best"):
        text, marker, sender = body.rpartition(f"\n\n{closing},\n")
        if marker:
            body = f"{text}\n– {sender}"
            break
    return body.replace("\n\n", "\n")


def _broker(sender_name: str | None, language: Language) -> str:
    if sender_name:
        return sender_name
    return "tu asesor" if language == "es" else "your agent"


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


def first_message(
    lead: LeadFacts,
    prop: PropertyFacts,
    breakdown: Mapping[str, float],
    language: Language,
    sender_name: str | None = None,
) -> Draft:
    """The opening message: the property, and in plain words why it fits this lead."""
    where = format_location(prop)
    price = format_price(prop, language)
    in_area = _matched(breakdown, "location")
    in_budget = _matched(breakdown, "price")
    right_size = _matched(breakdown, "bedrooms") and prop.bedrooms is not None
    if language == "es":
        kind = "en renta" if prop.operation == "RENT" else "en venta"
        place = f"en {where}" + (", la zona que buscabas" if in_area else "")
        lines = [f"{_hello(lead, language)}. Tengo una propiedad {kind} que me hizo pensar en ti: "]
        lines.append(f"{prop.title}, {place}.")
        facts = []
        if prop.bedrooms is not None:
            count = _bedrooms(prop.bedrooms, language)
            facts.append(f"tiene las {count} que querías" if right_size else f"tiene {count}")
        cost = ("la renta es de " if prop.operation == "RENT" else "el precio es de ") + price
        facts.append(cost + (", dentro de tu presupuesto" if in_budget else ""))
        sentence = _join(facts, language)
        body = "".join(lines) + f" {sentence[0].upper()}{sentence[1:]}."
        body += "\n\n¿Te gustaría que te mande más detalles o prefieres ir a verla?"
        subject = f"{prop.title} en {where}"
    else:
        kind = "for rent" if prop.operation == "RENT" else "for sale"
        place = f"in {where}" + (", where you were looking" if in_area else "")
        body = (
            f"{_hello(lead, language)}, a place {kind} made me think of you: {prop.title}, {place}."
        )
        facts = []
        if prop.bedrooms is not None:
            count = _bedrooms(prop.bedrooms, language)
            facts.append(f"it has the {count} you wanted" if right_size else f"it has {count}")
        cost = ("it rents for " if prop.operation == "RENT" else "it is listed at ") + price
        facts.append(cost + (", within your budget" if in_budget else ""))
        sentence = _join(facts, language)
        body += f" {sentence[0].upper()}{sentence[1:]}."
        body += "\n\nWould you like more details, or would you rather go and see it?"
        subject = f"{prop.title} in {where}"
    return Draft(subject=subject, body=body + _signature(sender_name, language))


def follow_up_message(
    lead: LeadFacts,
    prop: PropertyFacts,
    language: Language,
    number: int,
    sender_name: str | None = None,
) -> Draft:
    """The first (number=1) or second and last (number=2) gentle follow-up."""
    hello = _hello(lead, language)
    if language == "es":
        subject = f"{prop.title} en {format_location(prop)}"
        if number == 1:
            body = (
                f"{hello}. ¿Pudiste ver lo de {prop.title}? Si quieres, te mando fotos o te "
                "propongo un par de horarios para conocerla."
            )
        else:
            body = (
                f"{hello}. No quiero llenarte de mensajes: si {prop.title} no es lo que buscas, "
                "no pasa nada. Si cambian tus planes, aquí estoy."
            )
    else:
        subject = f"{prop.title} in {format_location(prop)}"
        if number == 1:
            body = (
                f"{hello}, did you get a chance to look at {prop.title}? I can send photos or "
                "suggest a couple of times to see it."
            )
        else:
            body = (
                f"{hello}, I don't want to crowd your inbox: if {prop.title} isn't right for "
                "you, no problem at all. If your plans change, I'm here."
            )
    return Draft(subject=subject, body=body + _signature(sender_name, language))


# --- answers ----------------------------------------------------------------------------------

_TOPICS: dict[str, tuple[str, ...]] = {
    "parking": ("estacionamiento", "cajon", "cochera", "parking", "garage"),
    "pets": ("mascota", "perro", "gato", "pet", "dog", "cat"),
    "garden": ("jardin", "terraza", "balcon", "garden", "yard", "terrace", "balcony"),
    "fees": ("mantenimiento", "cuota", "predial", "hoa", "maintenance", "fee", "tax"),
    "size": ("metros", "m2", "m²", "terreno", "mide", "tamano", "sq", "square", "size"),
    "amenities": (
        "alberca",
        "gimnasio",
        "gym",
        "pool",
        "elevador",
        "elevator",
        "amenidad",
        "amenit",
        "seguridad",
        "vigilancia",
        "security",
    ),
    "furnished": ("amueblad", "furnished"),
    "photos": ("foto", "video", "plano", "photo", "picture", "pics", "floor plan"),
    "bedrooms": ("recamara", "habitacion", "cuarto", "bedroom"),
    "bathrooms": ("bano", "bathroom", "bath"),
    "location": ("direccion", "ubicacion", "donde", "address", "where", "location"),
    "availability": ("disponible", "available"),
}
_TOPIC_NAMES = {
    "es": {
        "parking": "el estacionamiento",
        "pets": "las mascotas",
        "garden": "los exteriores",
        "fees": "el mantenimiento",
        "size": "los metros",
        "amenities": "las amenidades",
        "furnished": "si está amueblada",
        "photos": "fotos y planos",
    },
    "en": {
        "parking": "parking",
        "pets": "pets",
        "garden": "outdoor space",
        "fees": "the fees",
        "size": "the size",
        "amenities": "amenities",
        "furnished": "whether it is furnished",
        "photos": "photos and floor plans",
    },
}
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


def _topics(question: str) -> list[str]:
    folded = fold(question)
    return [name for name, words in _TOPICS.items() if any(word in folded for word in words)]


def _from_description(description: str, topic: str) -> str | None:
    """The listing's own sentence about a topic, when it has one."""
    for sentence in _SENTENCE.findall(description):
        if any(word in fold(sentence) for word in _TOPICS[topic]):
            return sentence.strip().rstrip(".") + "."
    return None


def _property_answer(message: str, prop: PropertyFacts, language: Language, broker: str) -> str:
    es = language == "es"
    known: list[str] = []
    unknown: list[str] = []
    for topic in _topics(message) or ["bedrooms", "bathrooms", "location"]:
        if topic == "bedrooms" and prop.bedrooms is not None:
            known.append(("Tiene " if es else "It has ") + _bedrooms(prop.bedrooms, language) + ".")
        elif topic == "bathrooms" and prop.bathrooms is not None:
            known.append(
                ("Tiene " if es else "It has ") + _bathrooms(prop.bathrooms, language) + "."
            )
        elif topic == "location":
            known.append(("Está en " if es else "It is in ") + format_location(prop) + ".")
        elif topic == "availability":
            known.append("Sí, sigue disponible." if es else "Yes, it is still available.")
        elif quoted := _from_description(prop.description, topic):
            if not any(quoted in line for line in known):  # one sentence may answer two topics
                known.append(("Según la ficha: " if es else "The listing says: ") + quoted)
        elif topic in _TOPIC_NAMES[language]:
            unknown.append(_TOPIC_NAMES[language][topic])
    if es:
        text = " ".join(known) if known else f"Buena pregunta sobre {prop.title}."
        if unknown:
            text += (
                f" Lo de {_join(unknown, language)} no viene en la ficha: {broker} te lo confirma."
            )
        else:
            text += f" Cualquier otro detalle, {broker} te lo confirma."
        return text + " ¿Te gustaría verla?"
    text = " ".join(known) if known else f"Good question about {prop.title}."
    if unknown:
        text += f" The listing doesn't mention {_join(unknown, language)}: {broker} will confirm."
    else:
        text += f" {broker[0].upper()}{broker[1:]} can confirm any other detail."
    return text + " Would you like to see it?"


def answer(
    intent: Intent,
    message: str,
    lead: LeadFacts,
    prop: PropertyFacts,
    language: Language,
    now: datetime,
    sender_name: str | None = None,
) -> Answer:
    """The reply to one lead message of this intent; `text` is None when none is needed."""
    es = language == "es"
    name = lead.first_name
    comma_name = f", {name}" if name else ""
    broker = _broker(sender_name, language)
    price = format_price(prop, language)
    if intent == Intent.ACKNOWLEDGEMENT:
        return Answer(None)
    if intent == Intent.OPT_OUT:
        return Answer(
            "Listo, no recibirás más mensajes nuestros."
            if es
            else "Done. You won't receive more messages from us."
        )
    if intent == Intent.VIEWING_REQUEST:
        slots = viewing_slots(now, lead.timezone, message)
        options = "\n".join(f"- {format_slot(slot, language)}" for slot in slots)
        if es:
            text = (
                f"¡Claro{comma_name}! Para ver {prop.title} te propongo:\n{options}\n"
                f"¿Cuál te acomoda? {broker[0].upper()}{broker[1:]} te confirma la cita."
            )
        else:
            text = (
                f"Of course{comma_name}! To see {prop.title} I can offer:\n{options}\n"
                f"Which one suits you? {broker[0].upper()}{broker[1:]} will confirm the visit."
            )
        return Answer(text, slots)
    if intent == Intent.PRICE_OR_OFFER:
        if es:
            text = (
                f"El precio de {prop.title} es {price}. Si es negociable, las ofertas y las "
                f"formas de pago las ve directamente {broker}: le paso tu mensaje para que te "
                "contacte."
            )
        else:
            text = (
                f"{prop.title} is listed at {price}. Whether it's negotiable, offers and "
                f"payment terms are handled by {broker} directly: I'm passing your message on "
                "so they can get in touch."
            )
        return Answer(text)
    if intent == Intent.PROPERTY_QUESTION:
        return Answer(_property_answer(message, prop, language, broker))
    if intent == Intent.INTERESTED:
        facts = [f"{format_location(prop)}"]
        if prop.bedrooms is not None:
            facts.append(_bedrooms(prop.bedrooms, language))
        if prop.bathrooms is not None:
            facts.append(_bathrooms(prop.bathrooms, language))
        summary = ", ".join(facts)
        if es:
            text = (
                f"¡Qué gusto{comma_name}! {prop.title}: {summary}, por {price}. "
                "¿Quieres que te proponga horarios para ir a verla?"
            )
        else:
            text = (
                f"Great to hear{comma_name}! {prop.title}: {summary}, at {price}. "
                "Shall I suggest a few times to go and see it?"
            )
        return Answer(text)
    if intent == Intent.TOO_EXPENSIVE:
        if es:
            ceiling = "pagar de renta al mes" if prop.operation == "RENT" else "invertir"
            text = (
                f"Entiendo{comma_name}. ¿Hasta cuánto te gustaría {ceiling}? Así te aviso si "
                "aparece algo que te acomode."
            )
        else:
            ceiling = "spend a month in rent" if prop.operation == "RENT" else "spend"
            text = (
                f"Understood{comma_name}. What's the most you'd like to {ceiling}? I'll let you "
                "know if something comes up in that range."
            )
        return Answer(text)
    if intent == Intent.RENT_ONLY:
        if es:
            text = (
                f"Entendido{comma_name}: buscas rentar. Se lo comento a {broker} para avisarte "
                "si aparece algo en renta que te acomode."
            )
        else:
            text = (
                f"Got it{comma_name}: you're looking to rent. I'll let {broker} know so you "
                "hear about rentals that fit."
            )
        return Answer(text)
    if intent == Intent.NOT_INTERESTED:
        if es:
            text = (
                f"Gracias por avisarme{comma_name}. No te escribo más sobre {prop.title}. "
                "¡Mucho éxito!"
            )
        else:
            text = (
                f"Thanks for letting me know{comma_name}. I won't write again about "
                f"{prop.title}. All the best!"
            )
        return Answer(text)
    # OTHER: nothing the facts can answer, so a person picks it up.
    if es:
        text = f"Gracias{comma_name}. Le paso tu mensaje a {broker} para que te responda."
    else:
        text = f"Thanks{comma_name}. I'm passing your message to {broker} to get back to you."
    return Answer(text)


# --- hand-off ---------------------------------------------------------------------------------

_INTENT_LABEL = {
    Intent.INTERESTED: "interested",
    Intent.VIEWING_REQUEST: "wants a viewing",
    Intent.PRICE_OR_OFFER: "asked about price, an offer or financing",
    Intent.PROPERTY_QUESTION: "asked about the property",
    Intent.TOO_EXPENSIVE: "finds it too expensive",
    Intent.NOT_INTERESTED: "not interested",
    Intent.RENT_ONLY: "only wants to rent",
    Intent.OPT_OUT: "asked to stop",
    Intent.ACKNOWLEDGEMENT: "acknowledged",
    Intent.OTHER: "other",
}


def handoff_summary(
    lead: LeadFacts,
    prop: PropertyFacts,
    transcript: Sequence[Turn],
    score: int,
    *,
    max_quotes: int = 3,
) -> str:
    """A card for the broker: who, which property, why now, and the lead's own words."""
    inbound = [turn for turn in transcript if turn.direction == "INBOUND"]
    intents = [turn.intent or classify_intent(turn.body) for turn in inbound]
    contact = " · ".join(part for part in (lead.name or "Lead", lead.email, lead.phone) if part)
    lines = [
        contact,
        f"Property: {prop.title}, {format_location(prop)} ({format_price(prop, 'en')})",
        f"Qualification: {score}/100",
    ]
    wants = []
    for intent in intents:
        label = _INTENT_LABEL[intent]
        if intent not in (Intent.ACKNOWLEDGEMENT, Intent.OTHER) and label not in wants:
            wants.append(label)
    if wants:
        lines.append("Lead: " + "; ".join(wants) + ".")
    preferences = []
    if lead.locations:
        preferences.append("areas " + ", ".join(lead.locations))
    if lead.max_budget:
        low = f"{lead.min_budget:,}-" if lead.min_budget else "up to "
        preferences.append(f"budget {low}{lead.max_budget:,} {prop.currency}")
    if lead.bedrooms is not None:
        preferences.append(f"{lead.bedrooms} bedrooms")
    if preferences:
        lines.append("Looking for: " + ", ".join(preferences) + ".")
    quotes = [turn.body.strip() for turn in inbound[-max_quotes:] if turn.body.strip()]
    if quotes:
        lines.append("In their words:")
        lines.extend(f'- "{quote}"' for quote in quotes)
    offered = [turn for turn in transcript if turn.direction == "OUTBOUND"]
    if offered:
        last = " ".join(offered[-1].body.split())
        lines.append(f"Last said by the assistant: {last[:280]}")
    return "\n".join(lines)
