"""A listing's facts in the lead's words: numbers, money and dates formatted for their language
(Babel), and the answer to a question about them, topic by topic.

Pure, no I/O. Every fact comes from a field of the listing; a topic whose field is empty is
reported as unknown, so the agent promises to ask the broker instead of guessing. The
description is never read for facts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from babel.dates import format_date
from babel.numbers import format_decimal

from app.core.text import fold

if TYPE_CHECKING:
    from app.conversations.replies import PropertyFacts

_LOCALE = {"es": "es_MX", "en": "en_US"}


def locale(language: str) -> str:
    return _LOCALE.get(language, "es_MX")


# Babel's formatting costs ~70 us a call, and a campaign formats the same price and counts for
# every lead of a listing: the few distinct values are remembered.
@lru_cache(maxsize=4096)
def number(value: float, language: str) -> str:
    """2.5 stays "2.5" (never "5"), 120.0 is "120", 1250 is "1,250"."""
    shown = int(value) if float(value).is_integer() else value
    return format_decimal(shown, locale=locale(language))


_SYMBOL = {"MXN": "$", "USD": "$", "COP": "$", "CAD": "$", "EUR": "€", "GBP": "£"}


@lru_cache(maxsize=4096)
def money(amount: int, currency: str, language: str) -> str:
    """'$4,500,000 MXN': the grouping of the lead's locale, and the code because "$" alone is
    ambiguous between pesos and dollars."""
    code = currency.upper()
    return f"{_SYMBOL.get(code, '')}{format_decimal(amount, locale=locale(language))} {code}"


def per_month(text: str, language: str) -> str:
    return f"{text} al mes" if language == "es" else f"{text} per month"


def long_date(day: date, language: str) -> str:
    """'1 de febrero de 2027' / 'February 1, 2027'."""
    return format_date(day, format="long", locale=locale(language))


SQFT_PER_M2 = 10.7639


def square_feet(m2: float) -> int:
    """A listing's m² in square feet, as a US lead reads a size (rounded to the foot)."""
    return round(m2 * SQFT_PER_M2)


def area(m2: float, language: str) -> str:
    """'110 m²'; in English the square feet beside it: '110 m² (1,184 sq ft)'."""
    shown = f"{number(m2, language)} m²"
    if language == "en":
        return f"{shown} ({number(square_feet(m2), language)} sq ft)"
    return shown


def join(items: Sequence[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    conjunction = " y " if language == "es" else " and "
    return ", ".join(items[:-1]) + conjunction + items[-1]


def counted(count: float, one: str, many: str, language: str) -> str:
    return f"{number(count, language)} {one if count == 1 else many}"


def bedrooms(count: int, language: str) -> str:
    if language == "es":
        return counted(count, "recámara", "recámaras", language)
    return counted(count, "bedroom", "bedrooms", language)


def bathrooms(count: float, language: str) -> str:
    if language == "es":
        return counted(count, "baño", "baños", language)
    return counted(count, "bathroom", "bathrooms", language)


def parking(count: int, language: str) -> str:
    if language == "es":
        return counted(count, "lugar de estacionamiento", "lugares de estacionamiento", language)
    return counted(count, "parking space", "parking spaces", language)


# The kinds of listing a title opens with, their gender in Spanish, and their name in the other
# language (a title in English named in a Spanish message, or the other way round).
_KINDS_ES = {
    "casa": ("f", "house"), "residencia": ("f", "house"), "departamento": ("m", "apartment"),
    "depa": ("m", "apartment"), "depto": ("m", "apartment"), "penthouse": ("m", "penthouse"),
    "loft": ("m", "loft"), "estudio": ("m", "studio"), "condominio": ("m", "condo"),
    "terreno": ("m", "lot"), "oficina": ("f", "office"), "local": ("m", "commercial space"),
    "bodega": ("f", "warehouse"), "villa": ("f", "villa"), "cabana": ("f", "cabin"),
    "townhouse": ("m", "townhouse"), "duplex": ("m", "duplex"),
    # elsewhere in Latin America and Spain
    "apartamento": ("m", "apartment"), "apto": ("m", "apartment"),
    "apartaestudio": ("m", "studio apartment"), "monoambiente": ("m", "studio apartment"),
    "piso": ("m", "apartment"), "chalet": ("m", "house"), "finca": ("f", "estate"),
    "quinta": ("f", "estate"), "lote": ("m", "lot"), "parcela": ("f", "lot"),
    "habitacion": ("f", "room"), "cuarto": ("m", "room"),
}  # fmt: skip
_KINDS_EN = {
    "house": ("casa", "f"), "home": ("casa", "f"), "townhouse": ("casa", "f"),
    "villa": ("casa", "f"), "bungalow": ("casa", "f"), "cottage": ("casa", "f"),
    "apartment": ("departamento", "m"), "apt": ("departamento", "m"),
    "condo": ("departamento", "m"), "flat": ("departamento", "m"), "unit": ("departamento", "m"),
    "penthouse": ("penthouse", "m"), "loft": ("loft", "m"), "studio": ("estudio", "m"),
    "duplex": ("dúplex", "m"), "lot": ("terreno", "m"), "land": ("terreno", "m"),
    "office": ("oficina", "f"),
}  # fmt: skip
_ARTICLES = {("m", True): "el", ("f", True): "la", ("m", False): "un", ("f", False): "una"}


def listing_phrase(prop: PropertyFacts, language: str, *, definite: bool) -> str:
    """The listing named inside a sentence of the lead's language: its title as a noun phrase
    with its article ("una casa en venta en Coyoacán", "the 3BR house in Coral Gables"), or,
    when the title is in the other language, its kind and place in this one ("una casa en
    Coral Gables"). A title that names no kind (a building's name) stays as written."""
    from app.conversations.intents import detect_language  # intents reads no facts

    title = prop.title.strip()
    words = title.split()
    folded = [fold(word).strip(",.") for word in words]
    in_title = detect_language(title)
    where = prop.location or prop.city
    if language == "es":
        for index, word in enumerate(folded[:4]):
            if word in _KINDS_ES:
                gender = _KINDS_ES[word][0]
                lowered = [w.lower() if i <= index else w for i, w in enumerate(words)]
                return f"{_ARTICLES[(gender, definite)]} {' '.join(lowered)}"
        if in_title == "en":
            for word in folded:
                kind = _KINDS_EN.get(word.rstrip("s"))
                if kind is not None:
                    place = f" en {where}" if where else ""
                    return f"{_ARTICLES[(kind[1], definite)]} {kind[0]}{place}"
            return f"{'la' if definite else 'una'} propiedad en {where}" if where else title
        return title
    for index, word in enumerate(folded[:4]):
        if word.rstrip("s") in _KINDS_EN:
            lowered = [w.lower() if i <= index and not w[:1].isdigit() else w
                       for i, w in enumerate(words)]  # fmt: skip
            phrase = " ".join(lowered)
            article = "the" if definite else ("an" if phrase[:1] in "aeiou" else "a")
            return f"{article} {phrase}"
    if in_title == "es" or folded[0] in _KINDS_ES:
        for word in folded:
            if word in _KINDS_ES:
                english = _KINDS_ES[word][1]
                article = "the" if definite else ("an" if english[:1] in "aeiou" else "a")
                return f"{article} {english}" + (f" in {where}" if where else "")
        return f"{'the' if definite else 'a'} property in {where}" if where else title
    return title


def listing_gender(prop: PropertyFacts) -> str:
    """The Spanish gender the listing is spoken of in: its kind's ("el departamento" m, "la
    casa" f), else "la propiedad"'s."""
    for word in (fold(w).strip(",.") for w in prop.title.split()[:4]):
        if word in _KINDS_ES:
            return _KINDS_ES[word][0]
        if word.rstrip("s") in _KINDS_EN:
            return _KINDS_EN[word.rstrip("s")][1]
    return "f"


# The listing as the object of a verb in our Spanish sentences ("¿te gustaría verla?").
_LISTING_PRONOUN = re.compile(r"\b(ver|conocer|visitar|mostrar)la\b")


def agree(text: str, prop: PropertyFacts, language: str) -> str:
    """Our Spanish sentence with the listing's pronoun agreeing with its kind: "¿Te gustaría
    verlo?" of a departamento, "verla" of a casa (templates say "la", for "la propiedad")."""
    if language != "es" or listing_gender(prop) != "m":
        return text
    return _LISTING_PRONOUN.sub(r"\1lo", text)


def kind_phrase(prop: PropertyFacts, language: str) -> str | None:
    """The listing's kind and first place, the shortest way to name it ("una casa en Del
    Carmen", "a house in Coral Gables"); None when its title names no kind."""
    place = (prop.location or prop.city).split(",")[0].strip()
    for word in (fold(w).strip(",.") for w in prop.title.split()):
        if word in _KINDS_ES:
            gender, english = _KINDS_ES[word]
            spanish = word
        elif word.rstrip("s") in _KINDS_EN:
            english = word.rstrip("s")
            spanish, gender = _KINDS_EN[english]
        else:
            continue
        if language == "es":
            return f"{_ARTICLES[(gender, False)]} {spanish}" + (f" en {place}" if place else "")
        article = "an" if english[:1] in "aeiou" else "a"
        return f"{article} {english}" + (f" in {place}" if place else "")
    return None


def price(prop: PropertyFacts, language: str) -> str:
    """The price with its currency and, for a rental, per month."""
    shown = money(prop.price, prop.currency, language)
    return per_month(shown, language) if prop.operation == "RENT" else shown


# --- questions about the listing ----------------------------------------------------------------

# Topic -> the words (folded) that ask about it. Order matters only for the answer's order.
TOPICS: dict[str, tuple[str, ...]] = {
    "bedrooms": ("recamara", "habitacion", "cuartos", "bedroom"),
    "bathrooms": ("bano", "bathroom", "bath"),
    "size": ("metros", "m2", "m²", "mide", "tamano", "superficie", "construccion", "terreno",
             "sq", "square", "size", "big is", "how big", "lot"),
    # Mexico, Colombia, Argentina and the US name a parking space differently.
    "parking": ("estacionamiento", "cajon", "cochera", "parqueadero", "parqueo", "garaje",
                "parking", "garage"),
    "pets": ("mascota", "perr", "gato", "gatit", "michi", "lomito", "pet", "dog", "cat",
             "puppy", "kitten"),
    # Colombia's "administración", Argentina's "expensas", the US "HOA": the maintenance fee.
    "fees": ("mantenimiento", "cuota", "administracion", "expensas", "hoa", "maintenance",
             "fee"),
    "deposit": ("deposito", "garantia", "deposit"),
    "availability": ("disponible", "cuando se puede", "a partir de", "available", "move in",
                     "mudar"),
    # Filled in below from AMENITY_WORDS: any amenity named is an amenity question.
    "amenities": ("amenidad", "amenit"),
    "photos": ("foto", "video", "imagen", "photo", "picture", "pics", "link", "liga"),
    "location": ("direccion", "ubicacion", "donde esta", "donde queda", "address", "where is",
                 "location"),
    # No listing field holds these: asked, they are always the broker's to answer.
    "terms": ("aval", "fiador", "poliza juridica", "contrato", "plazo minimo", "lease",
              "cosigner", "co-signer", "guarantor", "minimo de meses", "months minimum",
              "minimum term"),
    "financing": ("credito", "infonavit", "fovissste", "hipoteca", "financiamiento", "mortgage",
                  "financing", "bank loan"),
}  # fmt: skip

# Amenity questions name amenities: the answer says which of those the listing lists, and the
# ones it does not list are the broker's to confirm (a list is rarely complete).
# Each amenity's words in Mexico, Colombia and the US ("piscina", "alberca", "pool"); an amenity
# the table does not know is still matched against the listing's own list (`named_amenities`).
AMENITY_WORDS: dict[str, tuple[str, ...]] = {
    "alberca": ("alberca", "piscina", "pool"),
    "gimnasio": ("gimnasio", "gym"),
    "elevador": ("elevador", "ascensor", "elevator"),
    "seguridad": ("seguridad", "vigilancia", "security"),
    "portero": ("portero", "porteria", "conserje", "doorman", "concierge"),
    "roof garden": ("rooftop", "roof top", "roof deck", "azotea"),
    "terraza": ("terraza", "terrace"),
    "jardín": ("jardin", "garden", "yard"),
    "balcón": ("balcon", "balcony"),
    "amueblado": ("amueblad", "furnished"),
    "chimenea": ("chimenea", "fireplace"),
    "paneles solares": ("paneles solares", "panel solar", "solar"),
    "aire acondicionado": ("aire acondicionado", "air conditioning", "a/c", "clima"),
    "calefacción": ("calefaccion", "heating"),
    "lavandería": ("lavanderia", "zona de ropas", "laundry"),
    "asador": ("asador", "parrilla", "bbq", "grill"),
    "jacuzzi": ("jacuzzi", "hot tub"),
    "área de juegos": ("area de juegos", "juegos infantiles", "playground"),
    "salón de eventos": ("salon de eventos", "salon social", "salon comunal", "party room"),
    "cuarto de servicio": ("cuarto de servicio", "service room"),
}
TOPICS["amenities"] = (
    *TOPICS["amenities"],
    *(word for words in AMENITY_WORDS.values() for word in words),
)

# Questions no listing field answers, named for the lead and the broker ("si está cerca del
# metro" is "el transporte cercano"): always the broker's to answer, never dropped.
ASKED_ONLY: dict[str, re.Pattern[str]] = {
    "transit": re.compile(
        r"\b(?:metro|metrobus|transmilenio|tren|estacion|transporte|subway|train|transit"
        r"|bus stop|light rail)\b"
    ),
    "schools": re.compile(r"\b(?:escuelas?|colegios?|schools?|school district)\b"),
    "age": re.compile(
        r"\b(?:cuantos anos tiene|antiguedad|de que ano|que ano es|year built|how old"
        r"|when was it built)\b"
    ),
    "utilities": re.compile(
        r"\b(?:utilities|servicios (?:incluidos|publicos)|incluye (?:los )?servicios"
        r"|luz y agua|agua y luz)\b"
    ),
    "estrato": re.compile(r"\bestrato\b"),
    "taxes": re.compile(r"\b(?:predial|property tax(?:es)?|impuestos?)\b"),
    "floor": re.compile(r"\b(?:que|cual|en que) piso\b|\b(?:what|which) floor\b"),
}

# Where the broker's task names a topic otherwise than the lead is told it.
BROKER_TOPIC_NAMES = {
    "es": {"question": "una pregunta que la ficha no responde"},
    "en": {"question": "a question the listing doesn't answer"},
}

# How an amenity the listing does not list is named when the broker is asked about it.
AMENITY_NAMES = {
    "es": {
        "alberca": "la alberca",
        "gimnasio": "el gimnasio",
        "elevador": "el elevador",
        "seguridad": "la seguridad",
        "roof garden": "el roof garden",
        "terraza": "la terraza",
        "jardín": "el jardín",
        "balcón": "el balcón",
        "amueblado": "si está amueblado",
        "portero": "si tiene portería",
        "chimenea": "la chimenea",
        "paneles solares": "los paneles solares",
        "aire acondicionado": "el aire acondicionado",
        "calefacción": "la calefacción",
        "lavandería": "la lavandería",
        "asador": "el asador",
        "jacuzzi": "el jacuzzi",
        "área de juegos": "el área de juegos",
        "salón de eventos": "el salón de eventos",
        "cuarto de servicio": "el cuarto de servicio",
    },
    "en": {
        "alberca": "a pool",
        "gimnasio": "a gym",
        "elevador": "an elevator",
        "seguridad": "security",
        "roof garden": "a roof garden",
        "terraza": "a terrace",
        "jardín": "a garden",
        "balcón": "a balcony",
        "amueblado": "whether it is furnished",
        "portero": "a doorman",
        "chimenea": "a fireplace",
        "paneles solares": "solar panels",
        "aire acondicionado": "air conditioning",
        "calefacción": "heating",
        "lavandería": "a laundry room",
        "asador": "a grill",
        "jacuzzi": "a hot tub",
        "área de juegos": "a playground",
        "salón de eventos": "a party room",
        "cuarto de servicio": "a service room",
    },
}

# How an amenity the listing has is said ("Sí, tiene alberca", "Yes, it has a pool"): as it is
# asked about, but furniture is had, not asked "whether".
AMENITY_SHOWN: dict[str, dict[str, str]] = {
    "es": {},
    "en": {**AMENITY_NAMES["en"], "amueblado": "furniture"},
}

# "un labrador de 35 kg", "dos perros", "big dog": what a "pets allowed" alone does not settle.
_PETS_DETAIL = re.compile(
    r"\b(?:grande|grandes|enorme|big|large|huge|kg|kilos|raza|breed|labrador|pastor|golden"
    r"|husky|pitbull|rottweiler|gran danes)\b"
    r"|\b(?:[2-9]|dos|tres|cuatro|varios|varias|two|three|four|several) (?:\w+ )?"
    r"(?:perr|gat|mascot|michi|lomit|dog|cat|pet)"
)

TOPIC_NAMES = {
    "es": {
        "bedrooms": "las recámaras",
        "bathrooms": "los baños",
        "size": "los metros",
        "parking": "el estacionamiento",
        "pets": "las mascotas",
        "fees": "el mantenimiento",
        "deposit": "el depósito",
        "availability": "la fecha de entrega",
        "amenities": "las amenidades",
        "photos": "las fotos",
        "location": "la dirección",
        "terms": "las condiciones del contrato",
        "financing": "si acepta crédito",
        "pets_detail": "el tamaño o el número de mascotas",
        "transit": "el transporte cercano",
        "schools": "los colegios de la zona",
        "age": "la antigüedad",
        "utilities": "los servicios incluidos",
        "estrato": "el estrato",
        "taxes": "el predial",
        "floor": "el piso",
        "question": "tu pregunta",
    },
    "en": {
        "bedrooms": "the bedrooms",
        "bathrooms": "the bathrooms",
        "size": "the size",
        "parking": "parking",
        "pets": "pets",
        "fees": "the maintenance fee",
        "deposit": "the deposit",
        "availability": "the move-in date",
        "amenities": "the amenities",
        "photos": "photos",
        "location": "the address",
        "terms": "the lease terms",
        "financing": "financing",
        "pets_detail": "the size or number of pets",
        "transit": "public transit nearby",
        "schools": "the schools nearby",
        "age": "how old it is",
        "utilities": "which utilities are included",
        "estrato": "the estrato",
        "taxes": "the property taxes",
        "floor": "which floor it is on",
        "question": "your question",
    },
}


# Words that name one topic together, read before the single keywords: a "security deposit" is
# the deposit (never the building's security), an "HOA fee" the maintenance fee.
_ONE_TOPIC = (
    (re.compile(r"\b(?:security|damage|rental|rent|refundable) deposits?\b"), " deposit "),
    (re.compile(r"\bdeposito (?:en|de) garantia\b"), " deposito "),
    (re.compile(r"\b(?:hoa|maintenance|condo|association) (?:fees?|dues)\b"), " hoa "),
    (re.compile(r"\bcuota de mantenimiento\b"), " mantenimiento "),
)
# Where a fact is asked to be ("included in the lease", "incluido en la renta"): context of the
# question, not a question about the lease itself.
_CONTEXT = re.compile(
    r"\b(?:included |incluid[oa]s? |part of |parte de )?(?:in|with|en|con|de) (?:the |el |la |my"
    r" |mi )?(?:lease|rent|renta|contrato|precio|price)\b"
)


def topics(question: str) -> list[str]:
    """The listing topics a message asks about, in a stable order."""
    folded = fold(question)
    for phrase, topic in _ONE_TOPIC:
        folded = phrase.sub(topic, folded)
    if _CONTEXT.search(folded):
        bare = _CONTEXT.sub(" ", folded)
        if _topics_in(bare):  # "is parking included in the lease?": parking, not the lease
            folded = bare
    return _topics_in(folded)


def _topics_in(folded: str) -> list[str]:
    folded = _LEADS_OWN.sub(" ", folded)
    found = [name for name, words in TOPICS.items() if any(_has_word(folded, w) for w in words)]
    if "availability" not in found and _STILL_THERE.search(folded):
        found.append("availability")
    return found + [name for name, pattern in ASKED_ONLY.items() if pattern.search(folded)]


# The lead's own availability ("estoy disponible el sábado", "I'm available after 5") is no
# question about the listing's.
_LEADS_OWN = re.compile(
    r"\b(?:estoy|estamos|ando|andamos|i'm|im|i am|we're|we are)(?: \w+){0,2}"
    r" (?:disponibles?|available|libres?|free)\b"
)
# "¿todavía tienes el apartaestudio?", "do you still have it?": whether it is still for sale.
_STILL_THERE = re.compile(
    r"\b(?:todavia|aun|sigue|siguen)(?: la| lo| el)? (?:la |lo )?(?:tienes|tienen|tiene|hay"
    r"|esta|estan)\b(?! (?:\w+ )?(?:metros|recamaras|habitaciones|banos|parq|estac|cochera"
    r"|mascota|piscina|alberca))"
    r"|\bstill (?:have|got|on the market|for sale|for rent|up)\b"
)


def _has_word(folded: str, word: str) -> bool:
    """`word` (a stem: "perr", "amueblad") opens a word of the text: "lease" is not in
    "please", nor "cat" in "location"."""
    return re.search(rf"(?<![a-z]){re.escape(word)}", folded) is not None


def asked_amenities(question: str) -> list[str]:
    """The amenities of the table a question names, a typo allowed ("chimnea", "gimnacio")."""
    folded = fold(question).replace("roof garden", "rooftop")
    for phrase, topic in _ONE_TOPIC:  # a "security deposit" names no security
        folded = phrase.sub(topic, folded)
    tokens = [t for t in _TOKEN.findall(folded) if len(t) >= 5]
    return [
        name
        for name, words in AMENITY_WORDS.items()
        if any(_has_word(folded, w) for w in words)
        or any(_close(w, t) for w in words if " " not in w and len(w) >= 5 for t in tokens)
    ]


def canonical_amenity(amenity: str) -> str:
    """Which amenity a listing's own word names: "Roof garden" is a roof garden, never a
    garden; a word the table does not know stands for itself."""
    folded = fold(amenity).replace("roof garden", "rooftop")
    for name, words in AMENITY_WORDS.items():  # "roof garden" is tried before "jardín"
        if any(word in folded for word in words):
            return name
    return folded


_NOT_BEFORE = re.compile(r"\b(?:sin|no|without|non|ni)\s+$")


def title_amenities(title: str) -> tuple[str, ...]:
    """The amenities a listing's own title names ("Casa con jardín en Coyoacán"): the broker
    wrote them, so they may be confirmed; one named as missing ("sin elevador") is not had.
    The description is never read for facts."""
    folded = fold(title).replace("roof garden", "rooftop")
    named = []
    for name, words in AMENITY_WORDS.items():
        for word in words:
            found = re.search(rf"\b{re.escape(word)}", folded)
            if found and not _NOT_BEFORE.search(folded[: found.start()]):
                named.append(name)
                break
    return tuple(named)


def listed_amenities(prop: PropertyFacts) -> tuple[str, ...]:
    """The listing's amenities: its list, and those its title names."""
    return (*prop.amenities, *title_amenities(prop.title))


# Words of an amenity's name that say nothing by themselves ("área de juegos": "juegos").
_GENERIC = frozenset(
    {"area", "zona", "cuarto", "sala", "espacio", "room", "space", "with", "con", "para", "for",
     "the", "los", "las", "del", "una", "uno"}
)  # fmt: skip
_TOKEN = re.compile(r"[a-z0-9]+")


def _close(own: str, asked: str) -> bool:
    """Whether the lead's word names the listing's ("chimnea" is "chimenea", "solares" is
    "solar"): the same stem, or a typo away for words long enough to tell apart."""
    if own == asked:
        return True
    short, long_ = sorted((own, asked), key=len)
    if len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 3:
        return True
    if len(short) < 5:
        return False
    from rapidfuzz import fuzz

    return fuzz.ratio(own, asked) >= 85


def named_amenities(question: str, prop: PropertyFacts) -> list[str]:
    """The listing's own amenities a question names that the amenity table does not know
    ("¿tiene chimenea?" for a listed "Chimenea de leña", "solar?" for "Solar panels"), as the
    listing writes them: what the broker listed is confirmed in the broker's words."""
    from app.conversations.intents import question_clauses  # intents reads no facts

    clauses = question_clauses(question) or [fold(question)]
    topic_words = tuple(w for name, ws in TOPICS.items() if name != "amenities" for w in ws)
    asked = {
        token
        for clause in clauses
        for token in _TOKEN.findall(clause)
        if len(token) >= 4 and not token.startswith(topic_words)
    }
    known = {word for words in AMENITY_WORDS.values() for word in words}
    found = []
    for amenity in listed_amenities(prop):
        if canonical_amenity(amenity) in AMENITY_WORDS:
            continue  # a known amenity is answered by its name (`asked_amenities`)
        own = [t for t in _TOKEN.findall(fold(amenity)) if len(t) >= 4 and t not in _GENERIC]
        if any(_close(o, a) for o in own for a in asked if a not in known):
            found.append(amenity.strip())
    return found


_ENGLISH_AMENITY_WORDS = frozenset(
    {"pool", "gym", "elevator", "security", "doorman", "concierge", "roof", "terrace", "garden",
     "yard", "balcony", "furnished", "fireplace", "solar", "heating", "laundry", "bbq", "grill",
     "playground"}
)  # fmt: skip


def _shown(prop: PropertyFacts, wanted: str, language: str) -> str:
    """How a listed amenity is confirmed: in the listing's own words when they are the lead's
    language ("a fenced yard", "piscina climatizada"), else by its name in that language."""
    for amenity in listed_amenities(prop):
        if canonical_amenity(amenity) != wanted:
            continue
        words = set(_TOKEN.findall(fold(amenity)))
        english = bool(words & _ENGLISH_AMENITY_WORDS)
        if english == (language == "en") and wanted != "roof garden":
            return _own_words(amenity, language)
    return AMENITY_SHOWN[language].get(wanted, wanted)


def _own_words(amenity: str, language: str) -> str:
    """A listed amenity inside "tiene …" / "it has …": "chimenea", "a wine cellar"."""
    own = amenity.strip()
    if language == "en":
        plural = own.endswith("s") and not own.endswith("ss")
        article = "" if plural else "an " if own[:1].lower() in "aeiou" else "a "
        return f"{article}{own.lower()}"
    return own[:1].lower() + own[1:]


def _has_amenity(prop: PropertyFacts, wanted: str) -> bool:
    return wanted in {canonical_amenity(amenity) for amenity in listed_amenities(prop)}


def answer_topic(topic: str, question: str, prop: PropertyFacts, language: str) -> str | None:
    """One sentence stating the listing's fact on `topic`, or None when the listing doesn't
    say (the caller promises to ask)."""
    es = language == "es"
    if topic == "bedrooms" and prop.bedrooms is not None:
        return f"{'Tiene' if es else 'It has'} {bedrooms(prop.bedrooms, language)}."
    if topic == "bathrooms" and prop.bathrooms is not None:
        return f"{'Tiene' if es else 'It has'} {bathrooms(prop.bathrooms, language)}."
    if topic == "size":
        parts = []
        if prop.built_area_m2:
            built = area(prop.built_area_m2, language)
            parts.append(f"{built} de construcción" if es else f"{built} of floor area")
        if prop.lot_area_m2:
            lot = area(prop.lot_area_m2, language)
            parts.append(f"{lot} de terreno" if es else f"a {lot} lot")
        if parts:
            return f"{'Tiene' if es else 'It has'} {join(parts, language)}."
        return None
    if topic == "parking" and prop.parking_spaces is not None:
        folded = fold(question)
        # Said in the lead's word: a Colombian's "parqueadero" is not told "estacionamiento".
        word = next((w for w in ("parqueadero", "garaje", "cochera") if w in folded), None)
        if prop.parking_spaces == 0:
            if es:
                return f"No tiene {word or 'estacionamiento'}."
            return "It has no parking."
        if es and word == "parqueadero":
            return f"Tiene {counted(prop.parking_spaces, 'parqueadero', 'parqueaderos', 'es')}."
        return f"{'Tiene' if es else 'It has'} {parking(prop.parking_spaces, language)}."
    if topic == "pets" and prop.pets_allowed is not None:
        if prop.pets_allowed:
            return "Sí, se aceptan mascotas." if es else "Yes, pets are allowed."
        return "No se aceptan mascotas." if es else "Pets are not allowed."
    if topic == "fees" and prop.maintenance_fee is not None:
        if prop.maintenance_fee == 0:
            return "No paga mantenimiento." if es else "There is no maintenance fee."
        fee = per_month(money(prop.maintenance_fee, prop.currency, language), language)
        if es:
            # Asked as "la administración" (Colombia): said in the lead's word.
            colombian = "administracion" in fold(question)
            return f"{'La administración' if colombian else 'El mantenimiento'} es de {fee}."
        named = "HOA fee" if re.search(r"\bhoa\b", fold(question)) else "maintenance fee"
        return f"The {named} is {fee}."  # asked as the HOA fee: said in the lead's words
    if topic == "deposit" and prop.deposit is not None:
        if prop.deposit == 0:
            return "No pide depósito." if es else "No deposit is required."
        amount = money(prop.deposit, prop.currency, language)
        return f"El depósito es de {amount}." if es else f"The deposit is {amount}."
    if topic == "availability":
        if not prop.active:
            return "Ya no está disponible." if es else "It is no longer available."
        if prop.available_from is not None:
            day = long_date(prop.available_from, language)
            return f"Está disponible a partir del {day}." if es else f"It is available from {day}."
        return "Sí, sigue disponible." if es else "Yes, it is still available."
    if topic == "amenities":
        asked = asked_amenities(question)
        has = [a for a in asked if _has_amenity(prop, a)]
        own = [_own_words(a, language) for a in named_amenities(question, prop)]
        if has or own:
            said = []
            shown = [_shown(prop, a, language) for a in has if a != "amueblado"]
            if others := list(dict.fromkeys([*shown, *own])):
                listed = join(others, language)
                said.append(f"tiene {listed}" if es else f"has {listed}")
            if "amueblado" in has:
                said.append("está amueblado" if es else "is furnished")
            return f"Sí, {join(said, language)}." if es else f"Yes, it {join(said, language)}."
        if not asked and not own and prop.amenities:
            listed = join(list(prop.amenities), language)
            return f"Tiene {listed}." if es else f"It has {listed}."
        return None
    if topic == "photos":
        link = prop.listing_url or (prop.photos[0] if prop.photos else None)
        if link:
            return f"Aquí están las fotos: {link}" if es else f"Here are the photos: {link}"
        return None
    if topic == "location":
        where = prop.address or None
        if where:
            return f"La dirección es {where}." if es else f"The address is {where}."
        return None
    return None


@dataclass
class Answered:
    """What the listing says to a question (`known`, sentences in the lead's language) and
    what it leaves to the broker: `unknown`, topic keys for the broker's task, and `asking`,
    the same named for the lead ("si está amueblado", "el gimnasio")."""

    known: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    asking: list[str] = field(default_factory=list)

    def state(self, sentence: str) -> None:
        if sentence not in self.known:
            self.known.append(sentence)

    def leave(self, topic: str, named: str) -> None:
        if topic not in self.unknown:
            self.unknown.append(topic)
        if named not in self.asking:
            self.asking.append(named)


def answer_question(
    question: str, prop: PropertyFacts, language: str, asked: Sequence[str], where: str
) -> Answered:
    """The listing's facts on each of the `asked` topics; `where` is said for a location
    question when the listing has no address (its area, never a guessed street). Amenities
    are answered one by one: those listed are confirmed, the others left to the broker; "pets
    allowed" does not settle a big dog or three cats, so that part is left to the broker too."""
    lang = "es" if language == "es" else "en"
    answered = Answered()
    for topic in asked:
        if topic == "location" and not prop.address:
            answered.state(where)
            continue
        stated = answer_topic(topic, question, prop, language)
        if stated is not None:
            answered.state(stated)
        if topic == "amenities":
            for amenity in asked_amenities(question):
                if not _has_amenity(prop, amenity):
                    answered.leave(f"amenity:{amenity}", AMENITY_NAMES[lang][amenity])
            if stated is None and not asked_amenities(question):
                answered.leave("amenities", TOPIC_NAMES[lang]["amenities"])
        elif topic == "pets" and prop.pets_allowed and _PETS_DETAIL.search(fold(question)):
            answered.leave("pets", TOPIC_NAMES[lang]["pets_detail"])
        elif stated is None:
            answered.leave(topic, TOPIC_NAMES[lang][topic])
    return answered
