"""A gazetteer of the places brokers name, so "Roma Nte.", "Col. Roma Norte" and "roma norte"
are one place, and a listing in Del Valle Centro is also in Del Valle, Benito Juárez and CDMX.

Pure and loaded lazily: the data file (`data/places_mx.txt`, with its provenance) is read and
indexed once per process, the first time a place is resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from app.core.text import fold

_DATA = Path(__file__).parent / "data" / "places_mx.txt"

# Abbreviations brokers write, as folded tokens; "i".."v" are the sections' Roman numerals.
_TOKENS = {
    "nte": "norte", "ote": "oriente", "pte": "poniente", "sta": "santa", "sto": "santo",
    "sn": "san", "gral": "general", "ampl": "ampliacion", "amp": "ampliacion",
    "secc": "seccion", "sec": "seccion", "cd": "ciudad", "hab": "habitacional",
    "1a": "1", "1ra": "1", "1era": "1", "primera": "1", "i": "1",
    "2a": "2", "2da": "2", "segunda": "2", "ii": "2",
    "3a": "3", "3ra": "3", "3era": "3", "tercera": "3", "iii": "3",
    "4a": "4", "4ta": "4", "cuarta": "4", "iv": "4", "5a": "5", "5ta": "5", "quinta": "5", "v": "5",
}  # fmt: skip
# Words that say what kind of place follows: "Col. Roma Norte", "Alcaldía Benito Juárez".
_PREFIX = re.compile(
    r"^(?:(?:col|colonia|fracc|fraccionamiento|barrio|bo|u\s*hab|unidad habitacional|alcaldia|"
    r"alc|delegacion|deleg|del\.|mpio|municipio|zona|residencial en)\.?\s+)+"
)
_PUNCTUATION = re.compile(r"[.,;:()\"'’]")


def place_key(text: str) -> str:
    """A place's comparison key: folded, prefixes dropped, abbreviations spelt out."""
    folded = fold(text)
    folded = _PREFIX.sub("", folded)
    words = _PUNCTUATION.sub(" ", folded).split()
    return " ".join(_TOKENS.get(word, word) for word in words)


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    kind: str  # city, municipality or neighbourhood
    municipality: str
    city: str
    zone: str

    @property
    def area_keys(self) -> tuple[str, ...]:
        """Keys of the place and of every wider area it lies in."""
        names = (self.name, self.zone, self.municipality, self.city)
        return tuple(dict.fromkeys(fold(name) for name in names if name))


@cache
def _index() -> dict[str, tuple[Place, ...]]:
    index: dict[str, list[Place]] = {}
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, name, municipality, city, zone, aliases = (part.strip() for part in line.split("|"))
        place = Place(name, kind, municipality, city or (name if kind == "city" else ""), zone)
        for spelling in [name, *aliases.split(";")]:
            if key := place_key(spelling):
                found = index.setdefault(key, [])
                if place not in found:
                    found.append(place)
    return {key: tuple(places) for key, places in index.items()}


@cache
def first_words() -> frozenset[str]:
    """The first word of every name the gazetteer knows (as `place_key` spells it): a word not
    among them starts no place, so notes are only looked up where one could."""
    return frozenset(key.split(" ", 1)[0] for key in _index())


def word_key(word: str) -> str:
    """One word as `place_key` spells it ("Nte." -> "norte")."""
    folded = _PUNCTUATION.sub("", fold(word))
    return _TOKENS.get(folded, folded)


@lru_cache(maxsize=8192)
def resolve(text: str) -> Place | None:
    """The place a name or an abbreviation of it stands for; the first listed when several
    places share the name (a neighbourhood before a municipality of the same name)."""
    found = _index().get(place_key(text))
    if not found:
        return None
    return sorted(found, key=lambda place: place.kind != "neighbourhood")[0]


def canonical(text: str) -> str:
    """The gazetteer's spelling of a place ("Roma Nte." -> "Roma Norte"), else the text as given."""
    place = resolve(text)
    return place.name if place is not None else text.strip()


def lead_key(text: str) -> str:
    """What a lead's wanted place is compared by: the place itself (a lead who wants Benito
    Juárez wants anything in it; one who wants Del Valle Centro, only that)."""
    place = resolve(text)
    return fold(place.name) if place is not None else fold(text)


# What separates the parts of a listing's place: "Del Carmen, Coyoacán", "Roma Norte / CDMX",
# "Santa Fe - Cuajimalpa", "Del Carmen (Coyoacán)".
_PARTS = re.compile(r"\s*[,;/|()]\s*|\s+[-–]\s+")


def location_parts(location: str) -> list[str]:
    """The parts of a listing's place, most specific first: "Roma Norte, Cuauhtémoc, CDMX"
    -> ["Roma Norte", "Cuauhtémoc", "CDMX"]; a single name is one part."""
    return [part for part in (p.strip() for p in _PARTS.split(location)) if part]


def _within(inner: Place, outer: Place) -> bool:
    """One place lies in the other, or they are the same: their names say so."""
    return fold(outer.name) in inner.area_keys or fold(inner.name) in outer.area_keys


def listing_keys(location: str | None, city: str | None) -> frozenset[str]:
    """Every key a listing is found by: each part of its place ("Colonia, Alcaldía, Ciudad")
    with the zone, municipality and city that hold it, and its city. A name several places share
    is taken where the other parts and the city put it: "Bosques de las Lomas, Cuajimalpa" is
    not the one in Miguel Hidalgo, "Del Valle" in Monterrey is not the one in CDMX."""
    keys: set[str] = set()
    city_place = resolve(city) if city else None
    if city:
        keys.add(fold(city_place.name) if city_place is not None else fold(city))
    if location:
        keys.add(fold(location))
        parts = location_parts(location)
        found = [_index().get(place_key(part), ()) for part in parts]
        for i, (part, candidates) in enumerate(zip(parts, found, strict=True)):
            keys.add(fold(part))
            if city_place is not None:
                candidates = tuple(p for p in candidates if fold(p.city) == fold(city_place.city))
            for j, others in enumerate(found):
                if j != i and others:
                    candidates = tuple(
                        p for p in candidates if any(_within(p, other) for other in others)
                    )
            for place in candidates:
                keys.update(place.area_keys)
    keys.discard("")
    return frozenset(keys)
