"""Preferences read from notes and preference columns, in Spanish and English."""

from __future__ import annotations

import pytest

from app.leads.fields import LeadField as F
from app.leads.preferences import Operation
from app.leads.rows import LeadDraft, RowParser

HEADERS = ["Phone", "Notes", "Location", "Bedrooms", "Operation", "Language"]
MAPPING = {0: F.PHONE, 1: F.NOTES, 2: F.LOCATION, 3: F.BEDROOMS, 4: F.OPERATION, 5: F.LANGUAGE}
PARSER = RowParser(
    HEADERS, MAPPING, default_region="MX", known_locations=["Roma Norte", "Coconut Grove"]
)


def row(notes: str, location: str = "", bedrooms: str = "", operation: str = "") -> LeadDraft:
    draft = PARSER.parse(7, ["55 1234 5678", notes, location, bedrooms, operation, ""])
    assert isinstance(draft, LeadDraft)
    return draft


@pytest.mark.parametrize(
    ("notes", "locations", "budget", "bedrooms", "operation", "language"),
    [
        (
            "Busca en Polanco o Condesa, presupuesto de 4 a 6 millones, 3 recámaras",
            ["Polanco", "Condesa"], (4_000_000, 6_000_000), 3, None, "es",
        ),
        (
            "looking in Brickell, budget 500k, 2BR, rent only",
            ["Brickell"], (None, 500_000), 2, Operation.RENT, "en",
        ),
        ("Quiere algo en zona Roma Norte. Solo renta", ["Roma Norte"], (None, None), None,
         Operation.RENT, "es"),
        ("maybe COCONUT grove, buy or lease, 4 bed", ["Coconut Grove"], (None, None), 4,
         Operation.ANY, None),
        ("Quiere comprar, tres habitaciones", [], (None, None), 3, Operation.BUY, "es"),
        ("rent 2br, up to 28k mxn", [], (None, None), 2, Operation.RENT, "en"),
    ],
)  # fmt: skip
def test_notes(
    notes: str,
    locations: list[str],
    budget: tuple[int | None, int | None],
    bedrooms: int | None,
    operation: Operation | None,
    language: str | None,
) -> None:
    draft = row(notes)
    assert draft.locations == locations
    assert (draft.min_budget, draft.max_budget) == budget
    assert (draft.bedrooms, draft.operation, draft.language) == (bedrooms, operation, language)


@pytest.mark.parametrize(
    ("notes", "locations"),
    [
        ("busco en polanco o condesa", ["Polanco", "Condesa"]),
        ("busca depa en la roma nte. o del valle centro, 3 rec", ["Roma Norte", "Del Valle Centro"]),
        ("zona: polanco, anzures y lomas de chapultepec 5-6M",
         ["Polanco", "Anzures", "Lomas de Chapultepec"]),
        # the list ends at a full stop or a word that is no place: where they live is not wanted
        ("Busco en polanco. Tiene 3 hijos y vive en condesa", ["Polanco"]),
        ("busco en algo barato en el centro", []),
    ],
)  # fmt: skip
def test_places_in_lower_case_after_a_cue_come_from_the_gazetteer(
    notes: str, locations: list[str]
) -> None:
    assert row(notes).locations == locations


def test_columns_come_first_and_places_are_not_repeated() -> None:
    draft = row("busca en Polanco", "polanco / Del Valle y Narvarte", "3+", "Venta")
    assert draft.locations == ["Polanco", "Del Valle", "Narvarte"]  # the gazetteer's spelling
    assert (draft.bedrooms, draft.operation) == (3, Operation.BUY)


def test_bad_bedrooms_cell_is_a_warning() -> None:
    draft = row("", "", "muchas")
    assert draft.bedrooms is None
    assert [(w.line, w.column, w.message) for w in draft.warnings] == [
        (7, "Bedrooms", 'Bedrooms "muchas" is not a number of bedrooms')
    ]


def test_a_us_number_with_nothing_else_to_go_by_is_written_to_in_english() -> None:
    """A lead whose notes and name say nothing of their language: a +1 number gets English,
    a Mexican one the brokerage's language (None here)."""
    us = PARSER.parse(8, ["+1 312 555 0199", "", "", "", "", ""])
    mx = PARSER.parse(9, ["55 1234 5678", "", "", "", "", ""])
    assert isinstance(us, LeadDraft) and isinstance(mx, LeadDraft)
    assert (us.language, mx.language) == ("en", None)


@pytest.mark.parametrize(
    ("notes", "locations", "language"),
    [
        ("Looking for homes in Coral Gables and prefers Spanish", ["Coral Gables"], "es"),
        ("Interested in Brickell, Spanish speaker, call after 6", ["Brickell"], "es"),
        ("habla español", [], "es"),
        ("Busca en Polanco, prefiere inglés", ["Polanco"], "en"),
        ("Busca casa en Condesa, habla inglés y español", ["Condesa"], "en"),
        # A language the lead does not speak is not theirs; the notes' own words decide.
        ("Busca casa en la Roma, no habla inglés", ["Roma"], "es"),
    ],
)  # fmt: skip
def test_a_language_named_in_notes_is_the_leads_and_never_a_place(
    notes: str, locations: list[str], language: str
) -> None:
    draft = row(notes)
    assert (draft.locations, draft.language) == (locations, language)
