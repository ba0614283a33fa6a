"""What a lead is looking for, read from preference columns and from free-text notes (en/es)."""

from __future__ import annotations

import enum
import itertools
import re
import unicodedata
from collections.abc import Iterable

from app.core.text import fold
from app.core.vocabulary import Operation as Operation
from app.leads import places
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


# --- locations --------------------------------------------------------------------------------

_LIST_SEPARATOR = re.compile(r"\s*(?:[,/;|&]|\s(?:y|e|o|u|and|or)\s)\s*", re.IGNORECASE)
_PLACE = r"[A-ZÁÉÍÓÚÑÜ][\w'’-]*(?:\s+(?:(?:de|del|la|las|los|el)\s+)?[A-ZÁÉÍÓÚÑÜ0-9][\w'’-]*)*"
_CUE = (
    r"(?i:\b(?:busca(?:ndo)?|busco|buscan|interesad[oa]s? en|le interesan?|quiere vivir en|"
    r"quiere (?:comprar|rentar) en|zonas?|colonias?|barrio|looking(?: for [\w ]{1,30}?)? in|"
    r"looking at|interested in|wants to (?:live|buy|rent) in|searching in|prefers)"
    r"(?:\s+(?:en|la|el|de|del|algo|casa|depa|departamento|zona|colonia))*)(?:\s*:)?\s+"
)
# A cue, then places in capitals if there are: lower-case ones ("busco en polanco o condesa")
# are taken after it only when the gazetteer knows them, so "busco en algo barato" names none.
_MENTION = re.compile(
    rf"(?P<cue>{_CUE})(?P<places>{_PLACE}(?:\s*(?:,|/|\s(?:y|o|or|and)\s)\s*{_PLACE})*)?"
)
_TOKEN = re.compile(
    r"(?P<word>[^\W\d_][\w'’]*(?:-[\w'’]+)*)(?P<dot>\.)?|(?P<sep>[,/;&|])|(?P<other>\S)"
)
# Words between places, and the words that say what kind of place follows ("col. roma").
_CONNECTORS = frozenset(
    ("y", "e", "o", "u", "and", "or", "en", "in", "la", "el", "col", "colonia", "zona", "barrio")
)
_LONGEST_PLACE = 5  # words
_AFTER_CUE = 120  # characters read after a cue
# Words every mention starts with: notes without any skip the mention pattern.
_MENTION_HINTS = re.compile(
    "busc|interes|zona|colonia|barrio|quiere|looking|searching|wants|prefer", re.ASCII
)
_EDGE_PUNCTUATION = " .-'’"


# A count, an amount or a postal code after a place is not part of it: "Polanco 4 recámaras".
_TRAILING_NOISE = re.compile(
    r"\s+(?:\$|(?:\d[\d.,]*|uno|una|dos|tres|cuatro|cinco|seis|one|two|three|four|five)(?=\s|$))"
    r".*$",
    re.IGNORECASE,
)


_DANGLING = re.compile(r"\s(?:de|del|la|las|los|el|y|of|the)$", re.IGNORECASE)
# Languages are never places: "prefers Spanish" after the cue "prefers" names a language.
_LANGUAGE_NAMES = frozenset(
    ("spanish", "espanol", "castellano", "english", "ingles", "french", "frances",
     "portuguese", "portugues", "german", "aleman", "italian", "italiano")
)  # fmt: skip


def place_name(raw: str) -> str:
    """A place as the gazetteer spells it ("Roma Nte." -> "Roma Norte"); numbers, bedrooms and
    budgets after it are dropped unless the gazetteer knows the whole ("Liberales de 1857")."""
    text = raw.strip(_EDGE_PUNCTUATION)
    cut = _TRAILING_NOISE.sub("", text)
    # Unknown "Liberales de 1857" keeps its number; "Polanco 4" loses it.
    if cut != text and places.resolve(text) is None and not _DANGLING.search(cut):
        text = cut.strip(_EDGE_PUNCTUATION)
    if fold(text) in _LANGUAGE_NAMES:
        return ""
    return places.canonical(text) if text else ""


def split_locations(raw: str) -> list[str]:
    """'Polanco, Condesa y Roma Nte.' -> ['Polanco', 'Condesa', 'Roma Norte']."""
    found = (place_name(part) for part in _LIST_SEPARATOR.split(raw) if part.strip())
    return [place for place in found if place]


def _gazetteer_places(notes: str, start: int) -> list[str]:
    """The gazetteer's places listed from `start` in `notes`, in any case ("polanco o roma nte.
    y del valle"): longest known name first; the list ends at the first word that is neither a
    place nor a connector, or at a full stop not followed by another place. Words are read only
    as far as needed: after most cues the first word starts no place."""
    stream = _TOKEN.finditer(notes, start, start + _AFTER_CUE)
    tokens: list[re.Match[str]] = []

    def read(count: int) -> int:
        tokens.extend(itertools.islice(stream, max(0, count - len(tokens))))
        return len(tokens)

    starts = places.first_words()
    found: list[str] = []
    i = 0
    while read(i + 1) > i:
        token = tokens[i]
        if token["sep"]:
            i += 1
            continue
        if not token["word"]:
            break
        place = None
        if places.word_key(token["word"]) in starts:
            for size in range(min(_LONGEST_PLACE, read(i + _LONGEST_PLACE) - i), 0, -1):
                words = tokens[i : i + size]
                # a place's words are words; only its last may end in a full stop ("Roma Nte.")
                if not all(w["word"] for w in words) or any(w["dot"] for w in words[:-1]):
                    continue
                place = places.resolve(" ".join(w["word"] for w in words))
                if place is not None:
                    found.append(place.name)
                    i += size
                    break
        if place is None:
            if token["word"].casefold() not in _CONNECTORS or token["dot"]:
                break
            i += 1
        elif tokens[i - 1]["dot"] and not (
            read(i + 1) > i and (tokens[i]["sep"] or tokens[i]["word"] in ("y", "o", "and", "or"))
        ):
            break
    return found


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
        # Finders of the same places are equal: notes read by one hold for the other.
        self._key = tuple(canonical.items())
        self._hash = hash(self._key)
        self._known: re.Pattern[str] | None = None
        if canonical:
            alternatives = "|".join(re.escape(key) for key in sorted(canonical, key=len)[::-1])
            self._known = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def __eq__(self, other: object) -> bool:
        return other is self or (isinstance(other, LocationFinder) and other._key == self._key)

    def __hash__(self) -> int:
        return self._hash

    def in_notes(self, notes: str, folded_notes: str) -> list[str]:
        found: list[str] = []
        if _MENTION_HINTS.search(folded_notes):
            for match in _MENTION.finditer(notes):
                if match["places"]:
                    found += split_locations(match["places"])
                found += _gazetteer_places(notes, match.end("cue"))
        if self._known is not None:
            found += [
                place_name(self._canonical[match[0]])
                for match in self._known.finditer(folded_notes)
            ]
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


# --- budget ---------------------------------------------------------------------------------


class BudgetKind(enum.Enum):
    """What a budget is for: buying a home, or its monthly rent. One never stands for the other."""

    PURCHASE = "PURCHASE"
    RENT = "RENT"


# Currencies by country, for a budget that names none ("$3.5M"): the brokerage's region decides.
REGION_CURRENCIES = {
    "MX": "MXN", "US": "USD", "PR": "USD", "EC": "USD", "SV": "USD", "PA": "USD", "CA": "CAD",
    "CO": "COP", "AR": "ARS", "CL": "CLP", "PE": "PEN", "UY": "UYU", "BR": "BRL", "DO": "DOP",
    "CR": "CRC", "GT": "GTQ", "ES": "EUR", "FR": "EUR", "DE": "EUR", "IT": "EUR", "PT": "EUR",
    "GB": "GBP",
}  # fmt: skip
# Below this a budget is a month's rent, not a home's price (when nothing else tells).
# A few times the dearest month's rent of its market, and well below its cheapest home: a
# Bogotá rent is 1.5-10 million pesos, a home there 200 million and up.
_RENT_CEILINGS = {
    "MXN": 100_000, "USD": 20_000, "EUR": 20_000, "GBP": 20_000, "CAD": 20_000,
    "COP": 20_000_000, "CLP": 5_000_000, "ARS": 10_000_000, "PEN": 20_000, "UYU": 200_000,
    "BRL": 30_000, "DOP": 300_000, "CRC": 3_000_000, "GTQ": 40_000,
}  # fmt: skip
_DEFAULT_RENT_CEILING = 100_000

_RENT_WORDS = re.compile(
    r"\b(?:renta|rentar|rento|rentas|alquiler|alquilar|arriendo|arrendar|rent|renting|rental|"
    r"lease|mensual(?:es)?|monthly|al mes|por mes|x mes|a month|per month|p/m|pcm)\b"
    r"|/\s*(?:mes|mo|month|mensual)\b"
)
_PURCHASE_WORDS = re.compile(
    r"\b(?:compra|comprar|compro|comprador|venta|buy|buying|buyer|purchase|purchasing|"
    r"credito|hipoteca|infonavit|fovissste|mortgage|enganche|down payment)\b"
)
_MONEY_NUMBER = r"\d[\d.,']*"
_MONEY_UNIT = r"(?:millones|millon|millions?|mdp|mm|m|k|mil)(?![a-z0-9])"
_CURRENCY_WORD = r"(?:mxn|usd|pesos|dolares|dollars|dlls|dls|eur|euros)\b"
_ONE_AMOUNT = (
    rf"(?:(?:us|mx)?\$|(?:mxn|usd|eur)\s)?\s*{_MONEY_NUMBER}(?:\s*{_MONEY_UNIT})?"
    rf"(?:\s*{_CURRENCY_WORD})?"
)
# Never money: counts of rooms, areas, years, people.
_NOT_MONEY_AFTER = (
    r"(?!\s*(?:recamaras?|rec\b|habitaciones?|hab\b|cuartos?|dormitorios?|banos?|bedrooms?|"
    r"beds?\b|baths?|bd\b|br\b|m2|mts|metros|anos|years|personas|hijos|autos|cajon|cajones|"
    r"lugares|pisos|niveles|de la manana|de la tarde|am\b|pm\b|hrs|horas|sq ?ft|ft2|pies|:))"
)
_MONEY_MENTION = re.compile(
    r"(?P<lead>\b(?:presupuesto|budget|precio|price|hasta|up to|entre|between|max(?:imo)?|"
    r"desde|from|de|of|por|around|alrededor de|unos|como)\s+(?:de\s+|of\s+)?)?"
    rf"(?P<money>{_ONE_AMOUNT}(?:\s*(?:-|–|a|to|y|and)\s*{_ONE_AMOUNT})?){_NOT_MONEY_AFTER}",
    re.ASCII,
)
_MARKED = re.compile(rf"\$|{_CURRENCY_WORD}|\d\s*{_MONEY_UNIT}|\b(?:mxn|usd|eur)\b", re.ASCII)
_STRONG_LEAD = re.compile(r"presupuesto|budget|precio|price|hasta|up to|entre|between|max|desde")
# A word saying what the money is for, right before the amount ("renta 20,000 - 25,000",
# "compra de 3 a 4 millones") or right after it ("20,000-25,000 de renta", "x mes").
_KIND_BEFORE = re.compile(
    r"\b(?:renta|rentar|alquiler|alquilar|arriendo|rent|rental|lease|compra|comprar|buy|"
    r"purchase)\s*(?::|de|por|for|of)?\s*$"
)
_KIND_AFTER = re.compile(
    r"^\s*(?:(?:de|en|para|for|in|of|a|per|por|al|x)\s+)?(?:renta|alquiler|rent|compra|"
    r"purchase|mes|month|mensuales|mensual|monthly)\b"
)
_DIGIT = re.compile(r"\d")


def rent_ceiling(currency: str | None) -> int:
    return _RENT_CEILINGS.get(currency or "", _DEFAULT_RENT_CEILING)


def budget_kind(
    context_before: str,
    context_after: str,
    money: MoneyRange,
    operation: Operation | None,
    currency: str | None,
) -> BudgetKind:
    """Rent or purchase. The nearest word that says so decides ("renta hasta 25 mil", "$3.5M
    para comprar", "4,500/mo"); else the amount: under the rent ceiling of its currency it is a
    month's rent, from five times that ceiling a home's price (words or not), and in between the
    lead's operation tells (a rent-only lead's 150,000 pesos is a luxury rent)."""
    amount = money.max if money.max is not None else money.min
    ceiling = rent_ceiling(money.currency or currency)
    rent = _nearest(_RENT_WORDS, context_before, context_after)
    buy = _nearest(_PURCHASE_WORDS, context_before, context_after)
    # No month's rent reaches five times the ceiling, whatever words stand near it.
    if rent is not None and (buy is None or rent < buy) and (amount or 0) < 5 * ceiling:
        return BudgetKind.RENT
    if buy is not None:
        return BudgetKind.PURCHASE
    if amount is None or amount < ceiling:
        return BudgetKind.RENT
    if amount < 5 * ceiling and operation is Operation.RENT:
        return BudgetKind.RENT
    return BudgetKind.PURCHASE


def _nearest(words: re.Pattern[str], before: str, after: str) -> int | None:
    """Characters between the amount and the nearest of `words` on either side, or None."""
    distances = [len(before) - found.end() for found in words.finditer(before)]
    if (following := words.search(after)) is not None:
        distances.append(following.start())
    return min(distances, default=None)


def budgets_in_notes(
    folded_notes: str, operation: Operation | None, currency: str | None
) -> list[tuple[BudgetKind, MoneyRange]]:
    """Every budget the notes state, with what it is for: "renta hasta 25 mil" is a rent,
    "$3.5M para comprar", "2-3 millones", "5-6M", "hasta 2.5 mdp", "USD 300k" purchases (by
    their words, else the lead's operation, else their size). A bare number is money only after
    a word like "presupuesto"/"hasta" and when it is 1,000 or more: "4 recámaras" is not."""
    if not _DIGIT.search(folded_notes):
        return []
    folded_notes = landlord_as_purchase(folded_notes)  # "comprar para rentar, 400 mil"
    found: list[tuple[BudgetKind, MoneyRange]] = []
    mentions = list(_MONEY_MENTION.finditer(folded_notes))
    for index, match in enumerate(mentions):
        text = match["money"]
        marked = _MARKED.search(text) is not None
        lead = match["lead"]
        if not (
            marked
            or (lead and _STRONG_LEAD.search(lead))
            or _KIND_BEFORE.search(folded_notes, max(0, match.start() - 20), match.start("money"))
            or _KIND_AFTER.search(folded_notes[match.end() : match.end() + 20])
        ):
            continue
        try:
            money = parse_money(match[0])
        except InvalidValueError:
            continue
        ceiling = money.max if money.max is not None else money.min
        if ceiling is None or (not marked and ceiling < 1000):
            continue
        previous_end = mentions[index - 1].end() if index else 0
        next_start = mentions[index + 1].start() if index + 1 < len(mentions) else None
        before = folded_notes[max(previous_end, match.start() - 40) : match.start()]
        after = folded_notes[match.end() : min(next_start or match.end() + 30, match.end() + 30)]
        found.append((budget_kind(before, after, money, operation, currency), money))
    return found


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
    r"\b(?:solo|solamente|unicamente|only)\s+(?:para\s+)?"
    r"(?:renta|rentar|alquiler|alquilar|arriendo|arrendar|rent)"
    r"|\b(?:rent|renta|rental|lease)\s+only\b"
)
_BUY_ONLY = re.compile(
    r"\b(?:solo|solamente|unicamente|only)\s+(?:para\s+)?(?:compra|comprar|buy)"
    r"|\b(?:buy|purchase|compra)\s+only\b"
)
_RENT = re.compile(
    r"\b(?:renta|rentar|rento|alquiler|alquilar|arrendar|arrendamiento|arriendo|arriendos|"
    r"arrendatari[oa]|rent|renting|rental|renter|tenant|lease|leasing|inquilino|"
    r"(?:rentar|alquilar|arrendar)(?:lo|la|los|las))\b"
)
_BUY = re.compile(
    r"\b(?:compra|comprar|compro|comprador|buy|buying|buyer|purchase|purchasing|invertir|"
    r"inversion|inversionista|invest|investing|investor|comprar(?:lo|la|los|las))\b"
)
_SALE = re.compile(r"\b(?:venta|sale|for sale)\b")  # in an operation column: a home for sale
_OPERATION_HINTS = re.compile(
    "rent|alquil|arrend|arriend|leas|inquilin|tenant|compr|buy|purchas|venta|sale|invert|inversion"
    "|invest|airbnb|ambas|ambos|both|any|either|cualquiera|indistinto|toda",
    re.ASCII,
)
_EITHER = re.compile(r"^(?:ambas|ambos|both|any|either|cualquiera|indistinto|todas?)$")


# Renting out is a landlord's plan, so a purchase: "comprar para rentar", "buy to rent out",
# "para invertir y rentar", "ponerlo en renta", "rental property", "buy-to-let". Always so:
_RENT_OUT = re.compile(
    r"\b(?:rent|lease|let)(?:ing)?\s+(?:it\s+|them\s+)?out\b"
    r"|\bponer(?:lo|la|los|las)?\s+en\s+(?:renta|alquiler)\b"
    r"|\b(?:rental|investment|income)\s+(?:property|properties|unit|units|income|home)\b"
    r"|\bbuy[\s-]to[\s-]let\b|\bairbnb\b|\brenta vacacional\b"
)
# ... and a rent word after a purchase or an investment in the same clause ("quiere comprar un
# depa para rentarlo", "para invertir y rentar"); "busco rentar o comprar", "looking to buy or to
# rent" are either, "busca depa para rentar" a rent.
_RENT_PURPOSE = re.compile(
    r"\b(?P<why>para|to|for|y|and|e)\s+(?:renta|rent|lease|"
    r"(?:rentar|alquilar|arrendar)(?:lo|la|los|las)?)\b"
)
_BUY_WORD = re.compile(r"\b(?:compra|comprar|compro|buy|buying|purchase|purchasing)\b")
_INVEST_WORD = re.compile(
    r"\b(?:invertir|inversion|inversionista|invest|investing|investment|investor)\b"
)
_CLAUSE_BREAK = re.compile(r"[.;!?]|\b(?:o|u|or|ni|nor)\b")
_LANDLORD_HINTS = re.compile("rent|alquil|arrend|leas|let|airbnb|vacacional", re.ASCII)


def _said_just_before(words: re.Pattern[str], before: str) -> bool:
    """Whether `before` ends in a clause that has one of `words`, with no alternative ("o",
    "or") or full stop after it."""
    ends = [found.end() for found in words.finditer(before)]
    return bool(ends) and _CLAUSE_BREAK.search(before, ends[-1]) is None


def landlord_as_purchase(folded: str) -> str:
    """`folded` with each mention of renting a home out read as a purchase ("compra"): the lead
    buys it to rent it out, the rent is the tenant's."""
    if not _LANDLORD_HINTS.search(folded):
        return folded
    folded = _RENT_OUT.sub("compra", folded)

    def purpose(match: re.Match[str]) -> str:
        before = folded[max(0, match.start() - 60) : match.start()]
        invest = _said_just_before(_INVEST_WORD, before)
        buy = match["why"] in ("para", "to", "for") and _said_just_before(_BUY_WORD, before)
        return f"{match['why']} compra" if invest or buy else match[0]

    return _RENT_PURPOSE.sub(purpose, folded)


def parse_operation(folded: str, *, column: bool = False) -> Operation | None:
    """Whether the lead buys, rents or either, from an operation cell or from notes."""
    if not _OPERATION_HINTS.search(folded):
        return None
    folded = landlord_as_purchase(folded)
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
        "renta",
        "rentar",
        "comprar",
        "compra",
        "busco",
        "hasta",
        "millones",
        "recamaras",
        "cerca",
        "solo",
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
        "rent",
        "buy",
        "up",
        "near",
        "only",
        "bedrooms",
        "br",
        "bd",
        "max",
        "wife",
        "husband",
        "kids",
    ]
)
_SPANISH_LETTERS = re.compile(r"[ñáéíóú]", re.IGNORECASE)
# A language the notes name as the lead's ("prefers Spanish", "habla español", "English
# speaker", "idioma: inglés") says more than the words the notes happen to be written in.
# "no habla inglés" / "doesn't speak Spanish" name none.
_STATED_LANGUAGE = re.compile(
    r"(?<!\bno )(?<!n't )(?<!not )"
    r"\b(?:prefers?|prefiere|prefieren|speaks?|speaking|habla|hablan|solo|only|in|en|idioma|"
    r"language)\s*:?\s+(?:en\s+|in\s+)?(?P<language>spanish|espanol|castellano|english|ingles)\b"
    r"|\b(?P<speaker>spanish|english)[- ]speak(?:er|ing)\b"
)


def stated_language(folded_notes: str) -> str | None:
    """'es' or 'en' when the notes say which language the lead speaks or prefers."""
    match = _STATED_LANGUAGE.search(folded_notes)
    if match is None:
        return None
    return _LANGUAGES[match["language"] or match["speaker"]]


def parse_language(raw: str) -> str | None:
    return _LANGUAGES.get(fold(raw))


def guess_language(folded_notes: str, name: str | None, phone: str | None = None) -> str | None:
    """The language the notes name ("prefers Spanish"), else 'es' or 'en' when the notes are
    clearly in one language, else a hint from the name, else from a US or Canadian number (+1):
    such a lead is written to in English."""
    if folded_notes and (stated := stated_language(folded_notes)):
        return stated
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
    if phone and phone.startswith("+1"):
        return "en"
    return None
