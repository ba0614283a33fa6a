"""What a lead is looking for, read from preference columns and from free-text notes (en/es)."""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable

from app.core.text import fold
from app.leads.values import InvalidValueError, MoneyRange, parse_money

# Notes are unique per row: they skip fold()'s cache, and a translate table strips the accents
# of Latin letters in C instead of a Python loop per character (the import's hot path).
_STRIP_ACCENTS = {
    code: "".join(
        c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c)
    )
    for code in range(0xC0, 0x250)
}
_SPACES = re.compile(r"\s+")


def fold_text(text: str) -> str:
    """fold() for long free text: case-folded, Latin accents stripped, spaces collapsed."""
    return _SPACES.sub(" ", text.casefold().translate(_STRIP_ACCENTS)).strip()


class Operation(enum.Enum):
    BUY = "BUY"
    RENT = "RENT"
    ANY = "ANY"


# --- locations --------------------------------------------------------------------------------

_LIST_SEPARATOR = re.compile(r"\s*(?:[,/;|&]|\s(?:y|e|o|u|and|or)\s)\s*", re.IGNORECASE)
_PLACE = r"[A-ZÁÉÍÓÚÑÜ][\w'’-]*(?:\s+(?:(?:de|del|la|las|los|el)\s+)?[A-ZÁÉÍÓÚÑÜ0-9][\w'’-]*)*"
_MENTION = re.compile(
    r"(?i:\b(?:busca(?:ndo)?|busco|buscan|interesad[oa]s? en|le interesan?|quiere vivir en|"
    r"quiere (?:comprar|rentar) en|zonas?|colonias?|barrio|looking(?: for [\w ]{1,30}?)? in|"
    r"looking at|interested in|wants to (?:live|buy|rent) in|searching in|prefers)"
    r"(?:\s+(?:en|la|el|de|del|algo|casa|depa|departamento|zona|colonia))*)\s+"
    rf"(?P<places>{_PLACE}(?:\s*(?:,|/|\s(?:y|o|or|and)\s)\s*{_PLACE})*)"
)
# Words every mention starts with: notes without any skip the mention pattern.
_MENTION_HINTS = re.compile(
    "busc|interes|zona|colonia|barrio|quiere|looking|searching|wants|prefer", re.ASCII
)
_EDGE_PUNCTUATION = " .-'’"


def split_locations(raw: str) -> list[str]:
    """'Polanco, Condesa y Roma Norte' -> ['Polanco', 'Condesa', 'Roma Norte']."""
    return [part.strip(_EDGE_PUNCTUATION) for part in _LIST_SEPARATOR.split(raw) if part.strip()]


class LocationFinder:
    """Finds places in notes: after phrases like "busca en" / "looking in", and, when the
    brokerage's property locations are known, any of them mentioned anywhere (accents and
    case do not matter)."""

    def __init__(self, known_locations: Iterable[str] = ()) -> None:
        canonical: dict[str, str] = {}
        for location in known_locations:
            key = fold(location)
            if key and key not in canonical:
                canonical[key] = location.strip()
        self._canonical = canonical
        self._known: re.Pattern[str] | None = None
        if canonical:
            alternatives = "|".join(re.escape(key) for key in sorted(canonical, key=len)[::-1])
            self._known = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def in_notes(self, notes: str, folded_notes: str) -> list[str]:
        found = (
            [
                place
                for match in _MENTION.finditer(notes)
                for place in split_locations(match["places"])
            ]
            if _MENTION_HINTS.search(folded_notes)
            else []
        )
        if self._known is not None:
            found += [self._canonical[match[0]] for match in self._known.finditer(folded_notes)]
        return found


def merge_locations(*groups: Iterable[str]) -> list[str]:
    """Keep the first spelling of each place, in order; 'Peñas' and 'penas' are one place."""
    seen: set[str] = set()
    merged: list[str] = []
    for group in groups:
        for place in group:
            key = fold(place)
            if key and key not in seen:
                seen.add(key)
                merged.append(place)
    return merged


# --- budget -----------------------------------------------------------------------------------

_NUMBER = r"\$?\s*\d[\d.,]*\s*(?:millones|millon|millions?|mdp|mm|m|k|mil)?(?![a-z0-9])"
_BUDGET = re.compile(
    r"(?:presupuesto|budget|precio|price|hasta|up to|entre|between|max(?:imo)?|desde|from)"
    rf"[^0-9$\n]{{0,20}}?(?:{_NUMBER})(?:\s*(?:-|–|a|to|y|and)\s*{_NUMBER})?"
    r"(?:\s*(?:mxn|usd|pesos|dolares|dollars|dlls|dls|eur|euros))?",
    re.ASCII,
)


_DIGIT = re.compile(r"\d")


def budget_in_notes(folded_notes: str) -> MoneyRange | None:
    """'presupuesto de 4 a 6 millones' -> 4M..6M; 'budget 500k' -> up to 500k."""
    match = _BUDGET.search(folded_notes) if _DIGIT.search(folded_notes) else None
    if match is None:
        return None
    try:
        found = parse_money(match[0])
    except InvalidValueError:
        return None
    return None if found.min is None and found.max is None else found


# --- bedrooms ---------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "uno": 1, "una": 1, "one": 1, "dos": 2, "two": 2, "tres": 3, "three": 3,
    "cuatro": 4, "four": 4, "cinco": 5, "five": 5, "seis": 6, "six": 6,
}  # fmt: skip
_COUNT = r"(?P<count>\d{1,2}|" + "|".join(_NUMBER_WORDS) + ")"
_BEDROOMS_IN_TEXT = re.compile(
    rf"\b{_COUNT}\s*\+?\s*(?:recamaras?|rec\b|habitaciones?|hab\b|cuartos?|dormitorios?|"
    r"bedrooms?|beds?\b|bd\b|br\b|bdr\b|bdrms?\b)"
)
_BEDROOMS_VALUE = re.compile(rf"^{_COUNT}\b")


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def parse_bedrooms(raw: str) -> int:
    """A bedrooms cell: '3', '3+', '2-3' (the smaller), '3 rec', 'tres'."""
    match = _BEDROOMS_VALUE.match(fold(raw))
    if match is None or not 0 <= (count := _count(match["count"])) <= 20:
        raise InvalidValueError(f'Bedrooms "{raw.strip()}" is not a number of bedrooms')
    return count


def bedrooms_in_notes(folded_notes: str) -> int | None:
    match = _BEDROOMS_IN_TEXT.search(folded_notes)
    if match is None:
        return None
    count = _count(match["count"])
    return count if count <= 20 else None


# --- operation --------------------------------------------------------------------------------

_RENT_ONLY = re.compile(
    r"\b(?:solo|solamente|unicamente|only)\s+(?:para\s+)?(?:renta|rentar|alquiler|alquilar|rent)"
    r"|\b(?:rent|renta|rental|lease)\s+only\b"
)
_BUY_ONLY = re.compile(
    r"\b(?:solo|solamente|unicamente|only)\s+(?:para\s+)?(?:compra|comprar|buy)"
    r"|\b(?:buy|purchase|compra)\s+only\b"
)
_RENT = re.compile(
    r"\b(?:renta|rentar|rento|alquiler|alquilar|arrendar|arrendamiento|rent|renting|rental|"
    r"renter|tenant|lease|leasing|inquilino)\b"
)
_BUY = re.compile(r"\b(?:compra|comprar|compro|comprador|buy|buying|buyer|purchase|purchasing)\b")
_SALE = re.compile(r"\b(?:venta|sale|for sale)\b")  # in an operation column: a home for sale
_OPERATION_HINTS = re.compile(
    "rent|alquil|arrend|leas|inquilin|tenant|compr|buy|purchas|venta|sale"
    "|ambas|ambos|both|any|either|cualquiera|indistinto|toda",
    re.ASCII,
)
_EITHER = re.compile(r"^(?:ambas|ambos|both|any|either|cualquiera|indistinto|todas?)$")


def parse_operation(folded: str, *, column: bool = False) -> Operation | None:
    """Whether the lead buys, rents or either, from an operation cell or from notes."""
    if not _OPERATION_HINTS.search(folded):
        return None
    if _RENT_ONLY.search(folded):
        return Operation.RENT
    if _BUY_ONLY.search(folded):
        return Operation.BUY
    if column and _EITHER.match(folded):
        return Operation.ANY
    rent = _RENT.search(folded) is not None
    buy = _BUY.search(folded) is not None or (column and _SALE.search(folded) is not None)
    if rent and buy:
        return Operation.ANY
    if rent:
        return Operation.RENT
    return Operation.BUY if buy else None


# --- language ---------------------------------------------------------------------------------

_LANGUAGES = {
    "es": "es", "esp": "es", "spa": "es", "espanol": "es", "spanish": "es", "castellano": "es",
    "en": "en", "eng": "en", "english": "en", "ingles": "en",
}  # fmt: skip
_WORD = re.compile(r"[a-z]+")
_SPANISH = frozenset(
    [
        "el",
        "la",
        "los",
        "las",
        "de",
        "del",
        "que",
        "y",
        "en",
        "para",
        "con",
        "por",
        "una",
        "uno",
        "busca",
        "quiere",
        "esta",
        "casa",
        "departamento",
        "llamar",
        "cliente",
        "presupuesto",
        "pero",
        "muy",
        "tiene",
        "zona",
        "su",
        "sus",
        "le",
    ]
)
_ENGLISH = frozenset(
    [
        "the",
        "and",
        "is",
        "to",
        "for",
        "with",
        "looking",
        "wants",
        "in",
        "of",
        "house",
        "call",
        "client",
        "she",
        "he",
        "her",
        "his",
        "budget",
        "but",
        "very",
        "has",
        "area",
        "their",
        "they",
    ]
)
_SPANISH_LETTERS = re.compile(r"[ñáéíóú]", re.IGNORECASE)


def parse_language(raw: str) -> str | None:
    return _LANGUAGES.get(fold(raw))


def guess_language(folded_notes: str, name: str | None) -> str | None:
    """'es' or 'en' when the notes are clearly in one language, else a hint from the name."""
    if folded_notes:
        spanish = english = 0
        for word in _WORD.findall(folded_notes):
            spanish += word in _SPANISH
            english += word in _ENGLISH
        if spanish >= 2 and spanish > english:
            return "es"
        if english >= 2 and english > spanish:
            return "en"
    if name and _SPANISH_LETTERS.search(name):
        return "es"
    return None
