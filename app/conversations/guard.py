"""The fact guard: does a reply state anything the listing, the lead's data or the offered
viewing times do not say? (CONVERSATION.md section 1: never invent, never guess.)

Pure, no I/O. A reply is read for what it claims:
- numbers, in digits ("$5,200,000", "5.2 millones", "2.5 baños", "120 m2", "1.250") read with
  Babel in both groupings, or in words ("dos recámaras", "three bedrooms") read with text2num,
  each checked against the fact of its unit (bedrooms, bathrooms, parking, area, money,
  per month...); a unit the listing has no field for (%, months, floors) is never right,
  and square feet only as the listing's m² converted;
- dates, times and weekdays against the listing's availability and the offered slots;
- links against the listing's URL and photos;
- amenities, pets, parking, sale terms (discounts, financing) and the listing's status, by
  sentence: a sentence that says them must agree with the listing's fields, unless it only asks,
  or says the broker will confirm ("se lo pregunto a Jorge").
- "within your budget" only when the price is inside the lead's budget of the same kind.

What it cannot read (a wrong person's name, a claim in words outside these topics) it lets
through: the prompt forbids those and the templates never say them.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import NumberFormatError, parse_decimal
from text_to_num import alpha2digit

from app.conversations import facts
from app.conversations.replies import LeadFacts, PropertyFacts
from app.core.text import fold

__all__ = ["Verdict", "check_reply", "promises_broker"]


@dataclass(frozen=True)
class Verdict:
    """What a reply states that nothing backs (empty: the reply may be sent)."""

    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def reason(self) -> str:
        return "; ".join(self.problems)


# --- vocabulary (folded: lower case, no accents) -------------------------------------------------

_SPANISH_MONTHS = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre"
_ENGLISH_MONTHS = "january february march april may june july august september october november"
_MONTHS = {
    **{name: n for n, name in enumerate([*_SPANISH_MONTHS.split(" "), "diciembre"], 1)},
    **{name: n for n, name in enumerate([*_ENGLISH_MONTHS.split(" "), "december"], 1)},
    "setiembre": 9,
    # Abbreviations; not "mar" (the sea) nor "may" (already a month).
    **dict(jan=1, feb=2, apr=4, jun=6, jul=7, aug=8, sep=9, sept=9, oct=10, nov=11, dec=12),
}
_WEEKDAYS = {
    **dict.fromkeys(("lunes", "monday"), 0),
    **dict.fromkeys(("martes", "tuesday"), 1),
    **dict.fromkeys(("miercoles", "wednesday"), 2),
    **dict.fromkeys(("jueves", "thursday"), 3),
    **dict.fromkeys(("viernes", "friday"), 4),
    **dict.fromkeys(("sabado", "saturday"), 5),
    **dict.fromkeys(("domingo", "sunday"), 6),
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_WEEKDAY = "(" + "|".join(_WEEKDAYS) + ")"

# The units a count or a size is stated in, and what each is checked against.
_UNITS: dict[str, str] = {
    "bedrooms": r"rec(?:amaras?|s)?\b|habitacion(?:es)?|cuartos?|dormitorios?|alcobas?"
    r"|bedrooms?|beds?\b|bd\b|br\b",
    "bathrooms": r"banos?|medios? banos?|bathrooms?|baths?\b|ba\b",
    "parking": r"(?:lugares?|cajon(?:es)?|espacios?|plazas?) (?:de estacionamiento|para (?:autos?"
    r"|coches?|carros?))|cajon(?:es)?|estacionamientos?|parking(?: spaces?| spots?)?|garages?"
    r"|cocheras?|autos?\b|coches?\b|carros?\b|cars?\b",
    "area": r"m2\b|mts?2?\b|metros(?: cuadrados)?|square met(?:er|re)s?|sq\.? ?m\b|sqm\b",
    # Units no field of a listing holds: any figure in them was made up.
    "sqft": r"sq\.? ?f(?:ee)?t\b|square f(?:ee|oo)t|pies(?: cuadrados)?|ft2\b",
    "percent": r"%|por ?ciento|percent",
    "duration": r"(?:meses|mes|months?|anos?|years?|dias|days?|semanas?|weeks?|horas?|hours?"
    r"|minutos?|minutes?|mins?)\b",
    "distance": r"(?:cuadras?|blocks?|km|kilometros?|kilometers?|miles?)\b",
    "floors": r"(?:pisos?|niveles?|plantas?|floors?|stor(?:ey|ie)s?|levels?)\b",
}
_UNIT = re.compile(
    r"(?:\s*|-)(?:de\s+|of\s+)?(?:(?P<"  # "2 baños", "a 2-bedroom condo"
    + r")|(?P<".join(f"{name}>{pattern}" for name, pattern in _UNITS.items())
    + r"))"
)
_LABEL = re.compile(  # "Recámaras: 3", "Baths - 2.5"
    r"(?:(?P<"
    + r")|(?P<".join(f"{name}>{pattern}" for name, pattern in list(_UNITS.items())[:4])
    + r"))\s*[:=-]\s*$"
)
_HALF = re.compile(r"\s*(?:y medio|and a half|1/2|½)\b")

_CURRENCY_WORDS = {
    "mxn": {"MXN"},
    "usd": {"USD"},
    "cop": {"COP"},
    "cad": {"CAD"},
    "eur": {"EUR"},
    "euros": {"EUR"},
    "euro": {"EUR"},
    "€": {"EUR"},
    "pesos": {"MXN", "COP", "ARS", "CLP"},
    "peso": {"MXN", "COP", "ARS", "CLP"},
    "mdp": {"MXN"},
    "dolares": {"USD", "CAD"},
    "dollars": {"USD", "CAD"},
    "dollar": {"USD", "CAD"},
    "dlls": {"USD"},
    "dls": {"USD"},
    "us$": {"USD"},
    "mx$": {"MXN"},
}
_NUMBER = re.compile(
    r"(?<![\w.,/:#])(?P<cur>us\$|mx\$|\$|€|£|(?:usd|mxn|cop|cad|eur)\s?)?\s?"
    r"(?P<num>\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\d])"
)
_SCALE = re.compile(
    r"\s*(?:(?P<million>millones|millon|millions?|mdp\b)|(?P<thousand>mil\b|thousand|k\b)"
    r"|(?P<short_million>mm?\b))"
)
_CODE = re.compile(
    r"\s*(?:de\s+)?(?P<code>mxn|usd|cop|cad|eur|euros?|pesos?|dolares|dollars?|dlls|dls)\b"
)
_MONTHLY = re.compile(
    r"\s*(?:al mes|mensuales|mensual|por mes|/ ?mes|per month|a month|/ ?mo(?:nth)?\b|monthly)"
)
_LIST_MARKER = re.compile(r"(?m)^\s*\d{1,2}[.)]\s")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\"']+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

_DATE_PATTERNS = (
    # "martes 14 de mayo", "1 de febrero de 2027", "14 mayo"
    re.compile(
        rf"(?:{_WEEKDAY},?\s+)?(?P<day>\d{{1,2}})(?:o|°|º)?\s+(?:de\s+)?{_MONTH}"
        r"(?:\s+(?:de|del)\s+(?P<year>\d{4}))?"
    ),
    # "Tuesday, May 14", "February 1, 2027", "May 14th"
    re.compile(
        rf"(?:{_WEEKDAY},?\s+)?{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
        r"(?:,?\s+(?P<year>\d{4}))?"
    ),
    # "14/05", "05/14/2027"
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<year>\d{2}|\d{4}))?(?![\d/])"),
)
_MONTH_YEAR = re.compile(rf"{_MONTH}\s+(?:de\s+|del\s+)?(?P<year>\d{{4}})")
_TIMES = (
    re.compile(r"(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<half>a\.?\s?m\.?|p\.?\s?m\.?)?"),
    re.compile(r"(?P<hour>\d{1,2})\s*(?P<half>a\.?\s?m\.?|p\.?\s?m\.?)(?!\w)"),
    re.compile(r"\b(?:a las|a la|at|desde las|from)\s+(?P<hour>\d{1,2})(?![\d:.,])"),
)

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# The sentence only reports that someone will find out: what it names is not stated as fact.
_CHECKING = re.compile(
    r"pregunt|confirm|consult|verific|averigu|\bchec|revis|le paso|te paso|se lo (?:comento|paso)"
    r"|no (?:lo )?(?:dice|menciona|indica|especifica|aparece|trae)|no tengo (?:el|ese|este) dato"
    r"|no tengo (?:esa|esta) informacion|no lo se|\bcheck|\bask\b|find out|get back|let you know"
    r"|(?:does|do)(?:n't| not) (?:say|mention|list|show)|(?:is|are)(?:n't| not) listed"
    r"|(?:don't|do not) have (?:that|this)|si es negociable|las ve directamente|handles"
    r"|will tell you|te dira|le dira|te aviso|le aviso|\bwhether\b"
)
# A clause that asserts ("tiene alberca", "pets are allowed") is a claim even beside a "te
# confirma la cita"; "si tiene" / "if it has" only wonders.
_ASSERTS = re.compile(
    r"(?<!\bsi )(?<!\bif )(?<!\bwhether )\b(?:tiene|tienen|cuenta con|hay|incluye|ofrece"
    r"|acepta|aceptan|permite|permiten|has|have|comes with|includes|features|offers"
    r"|there is|there's|there are|allowed|welcome)\b"
)
_NEGATION = re.compile(
    r"\b(?:no|ni|sin|nunca|tampoco|ningun|ninguna|not|never|without|none)\b|n't\b|prohib"
    r"|unfurnished"
)
_AMENITIES: dict[str, tuple[str, ...]] = {
    "alberca": ("alberca", "piscina", "pool"),
    "gimnasio": ("gimnasio", "gym"),
    "elevador": ("elevador", "ascensor", "elevator", "lift"),
    "seguridad": ("seguridad", "vigilancia", "security", "doorman", "portero", "conserje"),
    "roof garden": ("roof",),
    "terraza": ("terraza", "terrace"),
    "jardín": ("jardin", "garden", "yard"),
    "balcón": ("balcon", "balcony"),
    "amueblado": ("amueblad", "furnished", "muebles", "furniture"),
    "bodega": ("bodega", "storage"),
    "cuarto de servicio": ("cuarto de servicio", "service room", "maid"),
    "asador": ("asador", "grill", "bbq", "parrilla"),
    "salón de eventos": ("salon de eventos", "salon de fiestas", "party room", "event room"),
    "lavandería": ("lavanderia", "laundry", "lavadora", "washer"),
    "aire acondicionado": ("aire acondicionado", "air conditioning", "a/c"),
    "chimenea": ("chimenea", "fireplace"),
    "jacuzzi": ("jacuzzi", "hot tub"),
    "área de juegos": ("area de juegos", "juegos infantiles", "playground"),
    "cowork": ("cowork", "business center"),
}
_AMENITY_WORD = {word: amenity for amenity, words in _AMENITIES.items() for word in words}
_AMENITY = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(_AMENITY_WORD, key=len, reverse=True)) + ")"
)
_PETS = re.compile(r"\b(?:mascotas?|perros?|perritos?|gatos?|pets?|dogs?|cats?|pet-friendly)\b")
_PARKING = re.compile(r"\b(?:estacionamiento|cajon|cajones|cochera|parking|garage)s?\b")
# Terms of sale or rent no listing field holds: only ever the broker's to state.
_TERMS = re.compile(
    r"\b(?:descuentos?|rebajas?|discounts?|promocion|promo|precio especial|special price"
    r"|negociable|negotiable|infonavit|fovissste|credito|credit|financiamiento|financing"
    r"|hipoteca|mortgage|enganche|down payment|aval|fiador|guarantor|escrituras?)\b"
)
# The listing's status: it is active while the agent writes about it.
_STATUS = re.compile(
    r"\b(?:vendid[oa]|ya se vendio|sold|rentad[oa]|ya se rento|apartad[oa]|reservad[oa]"
    r"|under contract|off the market)\b"
)
_BUDGET_FIT = re.compile(
    r"(?:dentro de|en) (?:tu|su) presupuesto|within (?:your|the) budget|fits (?:your|the) budget"
    r"|in your (?:budget|price range)"
)
_BUDGET_TALK = re.compile(r"presupuesto|budget|hasta|up to|invertir|pagar|afford|buscabas|looking")
_PRICE_CLAIM = re.compile(
    r"cuesta|precio|vale|valor|la renta es|costs?|priced|price|asking|sells for|rents for"
)
_LEAD_TALK = re.compile(
    r"quer[ií]as|querias|buscabas|buscas|pediste|pidio|necesitas|necesita|you wanted|you want"
    r"|you were looking|you asked|you need|looking for"
)


# --- what a reply may state ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Known:
    bedrooms: frozenset[Decimal]
    lead_bedrooms: frozenset[Decimal]
    bathrooms: frozenset[Decimal]
    parking: frozenset[Decimal]
    area: frozenset[Decimal]
    sqft: frozenset[Decimal]
    money: frozenset[Decimal]
    monthly: frozenset[Decimal]
    budget: frozenset[Decimal]
    currencies: frozenset[str]
    any_number: frozenset[Decimal]
    dates: tuple[date, ...]
    times: frozenset[tuple[int, int]]
    links: frozenset[str]


def _d(value: float | int) -> Decimal:
    return Decimal(str(value)).normalize()


def _numbers(*values: float | int | None) -> frozenset[Decimal]:
    return frozenset(_d(v) for v in values if v is not None)


def _known(prop: PropertyFacts, lead: LeadFacts, slots: Sequence[datetime]) -> _Known:
    rent = prop.operation == "RENT"
    low, high = lead.budget_for(prop.operation)
    dates = [slot.date() for slot in slots]
    if prop.available_from is not None:
        dates.append(prop.available_from)
    money = _numbers(prop.price, prop.maintenance_fee, prop.deposit)
    monthly = _numbers(prop.maintenance_fee, prop.price if rent else None)
    counts = _numbers(
        prop.bedrooms, prop.bathrooms, prop.parking_spaces, prop.built_area_m2, prop.lot_area_m2
    )
    calendar = frozenset(
        _d(part) for day in dates for part in (day.day, day.month, day.year)
    ) | frozenset(_d(part) for slot in slots for part in (slot.hour, slot.minute, slot.hour % 12))
    lead_numbers = _numbers(low, high, lead.bedrooms)
    currencies = {prop.currency.upper()}
    if lead.currency:
        currencies.add(lead.currency.upper())
    return _Known(
        bedrooms=_numbers(prop.bedrooms),
        lead_bedrooms=_numbers(lead.bedrooms),
        bathrooms=_numbers(prop.bathrooms),
        parking=_numbers(prop.parking_spaces),
        area=_numbers(prop.built_area_m2, prop.lot_area_m2),
        # The same sizes in square feet, as `facts.area` writes them for an English reader.
        sqft=_numbers(
            *(facts.square_feet(m2) for m2 in (prop.built_area_m2, prop.lot_area_m2) if m2)
        ),
        money=money,
        monthly=monthly,
        budget=_numbers(low, high),
        currencies=frozenset(currencies),
        any_number=money | counts | calendar | lead_numbers | _numbers(len(slots) or None),
        dates=tuple(dates),
        times=frozenset((slot.hour, slot.minute) for slot in slots),
        links=frozenset(_link(url) for url in (prop.listing_url, *prop.photos) if url),
    )


def _link(url: str) -> str:
    return fold(url).rstrip(".,;:!?)").removeprefix("https://").removeprefix("http://")


@lru_cache(maxsize=4096)
def _decimals(token: str) -> frozenset[Decimal]:
    """Every value a number written with either grouping can mean: "1,250" is 1250 (Mexico,
    the US) or 1.25 (most of Latin America), "5.200.000" is five million two hundred thousand."""
    values = set()
    for locale in ("es_MX", "es_CO"):
        try:
            values.add(parse_decimal(token, locale=locale, strict=True).normalize())
        except (NumberFormatError, InvalidOperation):
            continue
    if not values:
        with contextlib.suppress(InvalidOperation):
            values.add(Decimal(token.replace(",", "")).normalize())
    return frozenset(values)


def _shown(values: Iterable[Decimal]) -> str:
    return " or ".join(sorted(f"{v:,f}" for v in values))


# --- the check -----------------------------------------------------------------------------------


def check_reply(
    text: str | None,
    prop: PropertyFacts,
    lead: LeadFacts,
    *,
    slots: Sequence[datetime] = (),
    names: Sequence[str | None] = (),
) -> Verdict:
    """What `text` states that neither the listing, nor the lead's data, nor the offered
    `slots` back. `names` are texts the reply may quote whole (the agent's name, the
    brokerage, a signature): numbers inside them are not claims."""
    if not text:
        return Verdict()
    known = _known(prop, lead, slots)
    problems: list[str] = []
    folded = fold(text.replace("½", ".5"))
    # Quoted names are not claims: the title "Casa 2 pisos", the address "Masaryk 123".
    quoted = [
        prop.title, prop.address, prop.location, prop.city, lead.name, *lead.locations,
        *names,
    ]  # fmt: skip
    folded = _check_links(folded, known, lead, [fold(n) for n in names if n], problems)
    for name in sorted({fold(n) for n in quoted if n and fold(n)}, key=len, reverse=True):
        folded = folded.replace(name, " · ")
    folded = _check_dates(folded, known, problems)
    folded = _check_times(folded, known, problems)
    folded = _LIST_MARKER.sub(" ", folded)
    _check_numbers(folded, known, problems)
    _check_word_numbers(text, [n for n in quoted if n], known, problems)
    _check_words(folded, prop, lead, problems)
    return Verdict(tuple(dict.fromkeys(problems)))


def _check_links(
    folded: str, known: _Known, lead: LeadFacts, signed: Sequence[str], problems: list[str]
) -> str:
    """Links must be the listing's; e-mail addresses the lead's or in the broker's signature."""
    for found in _URL.findall(folded):
        if _link(found) not in known.links:
            problems.append(f"a link the listing does not have: {found}")
    folded = _URL.sub(" · ", folded)
    for found in _EMAIL.findall(folded):
        given = (lead.email and fold(lead.email) == found) or any(found in n for n in signed)
        if not given:
            problems.append(f"an e-mail address nobody gave: {found}")
    return _EMAIL.sub(" · ", folded)


def _check_dates(folded: str, known: _Known, problems: list[str]) -> str:
    def day_ok(day: int, month: int, year: int | None, weekday: int | None) -> bool:
        return any(
            (d.day, d.month) == (day, month)
            and (year is None or d.year == year)
            and (weekday is None or d.weekday() == weekday)
            for d in known.dates
        )

    for pattern in _DATE_PATTERNS:
        for found in pattern.finditer(folded):
            groups = found.groupdict()
            year = int(groups["year"]) if groups.get("year") else None
            if year is not None and year < 100:
                year += 2000
            if "a" in groups:  # 14/05 or 05/14
                a, b = int(groups["a"]), int(groups["b"])
                ok = day_ok(a, b, year, None) or day_ok(b, a, year, None)
            else:
                weekday = next((g for g in found.groups()[:1] if g), None)
                month = next(g for g in found.groups() if g and g.rstrip(".") in _MONTHS)
                ok = day_ok(
                    int(groups["day"]),
                    _MONTHS[month.rstrip(".")],
                    year,
                    _WEEKDAYS[weekday] if weekday else None,
                )
            if not ok:
                problems.append(f"a date nothing gives: {found.group(0).strip()}")
        folded = pattern.sub(" · ", folded)
    for found in _MONTH_YEAR.finditer(folded):
        month, year = _MONTHS[found.group(1).rstrip(".")], int(found.group("year"))
        if not any((d.month, d.year) == (month, year) for d in known.dates):
            problems.append(f"a date nothing gives: {found.group(0).strip()}")
    folded = _MONTH_YEAR.sub(" · ", folded)
    for found in re.finditer(rf"\b{_WEEKDAY}\b", folded):
        if not any(d.weekday() == _WEEKDAYS[found.group(1)] for d in known.dates):
            problems.append(f"a day nothing gives: {found.group(1)}")
    return folded


def _check_times(folded: str, known: _Known, problems: list[str]) -> str:
    for pattern in _TIMES:
        for found in pattern.finditer(folded):
            hour = int(found.group("hour"))
            minute = int(found.groupdict().get("minute") or 0)
            half = (found.groupdict().get("half") or "").replace(".", "").replace(" ", "")
            if half == "pm" and hour < 12:
                hours = {hour + 12}
            elif half == "am":
                hours = {hour % 12}
            else:
                hours = {hour, hour + 12} if hour < 12 else {hour}
            if not any((h, minute) in known.times for h in hours):
                problems.append(f"a time not offered: {found.group(0).strip()}")
        folded = pattern.sub(" · ", folded)
    return folded


def _context(folded: str, position: int) -> tuple[str, str]:
    """The sentence and the clause a claim at `position` sits in."""
    marks = (". ", "! ", "? ", "\n")
    start = max(folded.rfind(mark, 0, position) for mark in marks) + 1
    ends = [i for mark in marks if (i := folded.find(mark, position)) >= 0]
    sentence = folded[start : min(ends) if ends else len(folded)]
    return sentence, _clause(sentence, position - start)


def _check_numbers(folded: str, known: _Known, problems: list[str]) -> None:
    for found in _NUMBER.finditer(folded):
        values = set(_decimals(found.group("num")))
        rest = folded[found.end() :]
        where = _context(folded, found.start())
        currency = found.group("cur")
        scale = _SCALE.match(rest)
        if scale and (
            scale.group("short_million") and not currency and not _CODE.match(rest[scale.end() :])
        ):
            scale = None  # "5 m" without money around it is not "five million"
        if scale:
            factor = Decimal(1_000 if scale.group("thousand") else 1_000_000)
            values = {(v * factor).normalize() for v in values}
            rest = rest[scale.end() :]
        code = _CODE.match(rest)
        if code:
            rest = rest[code.end() :]
        monthly = _MONTHLY.match(rest) is not None
        is_money = bool(currency or code or (scale and scale.group("million")))
        token = found.group(0).strip() + (scale.group(0) if scale else "")
        if is_money:
            _check_money(values, currency, code, monthly, where, token, known, problems)
            continue
        unit = _UNIT.match(rest)
        named_by = unit or _LABEL.search(folded[: found.start()])
        kind = named_by.lastgroup if named_by else None
        if kind == "bathrooms" and unit and _HALF.match(rest[unit.end() :]):
            values = {v + Decimal("0.5") for v in values}
        _check_count(kind, values, where, token, known, problems)


def _check_money(
    values: set[Decimal],
    currency: str | None,
    code: re.Match[str] | None,
    monthly: bool,
    where: tuple[str, str],
    token: str,
    known: _Known,
    problems: list[str],
) -> None:
    sentence, clause = where
    prefix = (currency or "").strip()
    named = (code.group("code") if code else None) or (prefix if prefix != "$" else None)
    if named and not (_CURRENCY_WORDS.get(named, set()) & known.currencies):
        problems.append(f"an amount in a currency the listing is not priced in: {token}")
        return
    allowed = set(known.monthly if monthly else known.money)
    if _BUDGET_TALK.search(sentence) and not _PRICE_CLAIM.search(clause):
        allowed |= known.budget  # "buscabas hasta $5,500,000", never "cuesta $5,500,000"
    if not values & allowed:
        what = "a monthly amount" if monthly else "an amount"
        problems.append(f"{what} the listing does not state: {token}")


def _check_count(
    kind: str | None,
    values: set[Decimal],
    where: tuple[str, str],
    token: str,
    known: _Known,
    problems: list[str],
) -> None:
    sentence, clause = where
    if kind is None:
        if not values & known.any_number:
            problems.append(f"a number nothing gives: {token}")
        return
    allowed: frozenset[Decimal] = getattr(known, kind, frozenset())
    if kind == "bedrooms" and _LEAD_TALK.search(sentence) and not _ASSERTS.search(clause):
        allowed |= known.lead_bedrooms  # "buscabas 2 recámaras", never "tiene las 2 que querías"
    if not values & allowed:
        facts = f" (the listing: {_shown(allowed)})" if allowed else ""
        problems.append(f"{_shown(values)} {kind} the listing does not state{facts}")


def _check_word_numbers(
    text: str, quoted: Sequence[str], known: _Known, problems: list[str]
) -> None:
    """Counts written in words, "dos recámaras", "three bedrooms": text2num turns them into
    digits (on the text as written: it knows "veintitrés", not "veintitres"); only those
    before a unit are claims ("uno de los mejores" is not)."""
    for name in quoted:
        text = re.sub(re.escape(name), " · ", text, flags=re.IGNORECASE)
    masked = re.sub(r"\d[\d.,:/]*", " · ", text.casefold())
    converted = fold(alpha2digit(alpha2digit(masked, "es", threshold=0), "en", threshold=0))
    for found in re.finditer(r"(?<![\w.,])(\d+)(?![\d.,]\d)", converted):
        rest = converted[found.end() :]
        values = {Decimal(found.group(1))}
        half = _HALF.match(rest)  # "two and a half baths"
        if half:
            rest = rest[half.end() :]
        unit = _UNIT.match(rest)
        if unit is None:
            continue
        if half or _HALF.match(rest[unit.end() :]):
            values = {v + Decimal("0.5") for v in values}
        token = f"{found.group(1)}{unit.group(0)}"
        where = _context(converted, found.start())
        _check_count(unit.lastgroup, values, where, token, known, problems)


def _sentences(folded: str) -> Iterator[str]:
    for sentence in _SENTENCE.split(folded):
        if sentence.strip():
            yield sentence.strip()


_CLAUSE = re.compile(r",|;|:| pero | but | y | and | aunque | although ")
_QUESTION = re.compile(r"¿[^?]*\?")


def _clause(sentence: str, start: int) -> str:
    bounds = [0, *(m.end() for m in _CLAUSE.finditer(sentence, 0, start))]
    following = _CLAUSE.search(sentence, start)
    return sentence[bounds[-1] : following.start() if following else len(sentence)]


def _negated(sentence: str, start: int) -> bool:
    """Whether the clause around `start` says no ("no se aceptan mascotas", "sin alberca")."""
    return _NEGATION.search(_clause(sentence, start)) is not None


def _stated(sentence: str, start: int) -> bool:
    """Whether what is named at `start` is stated as fact: not when its clause, or its
    sentence without asserting anything, says the broker will find out ("sobre la alberca, se
    lo pregunto a Jorge")."""
    clause = _clause(sentence, start)
    if _CHECKING.search(clause):
        return False
    return _CHECKING.search(sentence) is None or _ASSERTS.search(clause) is not None


def _check_words(folded: str, prop: PropertyFacts, lead: LeadFacts, problems: list[str]) -> None:
    listed = fold(" | ".join(facts.listed_amenities(prop)))
    for sentence in _sentences(folded.replace("security deposit", "deposit")):
        # A question put to the lead ("¿le interesa la alberca?") states nothing; only what
        # is left of the sentence is read.
        said = _QUESTION.sub(" · ", sentence)
        for found in _AMENITY.finditer(said):
            if not _stated(said, found.start()):
                continue
            amenity = _AMENITY_WORD[found.group(1)]
            if not any(word in listed for word in _AMENITIES[amenity]):
                problems.append(f"states {amenity}, which the listing does not list")
            elif _negated(said, found.start()):
                problems.append(f"says it has no {amenity}, which the listing lists")
        if (pets := _PETS.search(said)) and _stated(said, pets.start()):
            if prop.pets_allowed is None:
                problems.append("states a pet policy the listing does not give")
            elif prop.pets_allowed == _negated(said, pets.start()):
                problems.append("states the opposite of the listing's pet policy")
        if (parking := _PARKING.search(said)) and _stated(said, parking.start()):
            if prop.parking_spaces is None:
                problems.append("states parking the listing does not give")
            elif (prop.parking_spaces > 0) == _negated(said, parking.start()):
                problems.append("states the opposite of the listing's parking")
        if (terms := _TERMS.search(said)) and _stated(said, terms.start()):
            problems.append(f"states terms the listing does not give: {terms.group(0)}")
        if (status := _STATUS.search(said)) and _stated(said, status.start()):
            problems.append(f"states a status the listing does not have: {status.group(0)}")
        if _BUDGET_FIT.search(said) and not _fits_budget(prop, lead):
            problems.append("says it is within the lead's budget, which it is not")


def _fits_budget(prop: PropertyFacts, lead: LeadFacts) -> bool:
    low, high = lead.budget_for(prop.operation)
    if high is None and low is None:
        return False
    if lead.currency and lead.currency.upper() != prop.currency.upper():
        return False
    return (low is None or prop.price >= low) and (high is None or prop.price <= high)


# --- promises ------------------------------------------------------------------------------------

_PROMISE = re.compile(
    r"\b(?:le|te|se lo|se la) (?:paso|comento|pregunto|consulto|reviso con)\b"
    r"|\ble pregunto\b|\b(?:te|le|lo|la|los) (?:contacta|contacte|contactara|llama|llame|llamara"
    r"|confirma|confirme|confirmara|responde|responda|respondera|escribe|escriba|escribira"
    r"|busca|busque|buscara)\b"
    r"|\bpara que (?:te|le|lo|la) (?:contacte|llame|responda|escriba|confirme)\b"
    r"|\b(?:will|'ll|is going to) (?:get back|call|contact|confirm|reach out|follow up"
    r"|answer|reply|check|ask|pass)\b|\bcheck with\b|\bask (?:him|her|them)\b"
    r"|\bpass (?:your|this|the) (?:message|question|note)\b"
    # The agent who signs as themself promises in the first person.
    r"|\blo (?:reviso|checo|verifico)\b|\breviso (?:tu|su)\b|\b(?:te|le) (?:respondo|contacto"
    r"|confirmo)\b|\blet me (?:check|look into|confirm|find out)\b"
    r"|\bpassing (?:your|this|the) (?:message|question|offer)\b"
)


def promises_broker(text: str | None) -> bool:
    """The reply says someone (the broker) will get back to the lead: a promise a task must
    keep ("se lo pregunto a Jorge", "Jorge te confirma la cita", "I'll check with Jorge")."""
    return bool(text) and _PROMISE.search(fold(text or "")) is not None
