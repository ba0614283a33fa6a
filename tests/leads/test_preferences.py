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


# Budgets by what they are for, in both languages: (notes, purchase range, monthly rent range).
@pytest.mark.parametrize(
    ("notes", "purchase", "rent"),
    [
        # a range after the word that says what it is for, in every usual spelling
        ("RENTA 20,000 - 25,000", (None, None), (20_000, 25_000)),
        ("renta $20,000 - $25,000 mxn", (None, None), (20_000, 25_000)),
        ("Renta 20 - 25 mil", (None, None), (20_000, 25_000)),
        ("renta 20k-25k", (None, None), (20_000, 25_000)),
        ("renta 20,000 – 25,000", (None, None), (20_000, 25_000)),  # en-dash
        ("renta de 20,000 a 25,000", (None, None), (20_000, 25_000)),
        ("RENTA 20000-25000, 2 rec", (None, None), (20_000, 25_000)),
        ("20,000 - 25,000 de renta", (None, None), (20_000, 25_000)),
        ("rent 2,000 to 2,500 usd", (None, None), (2_000, 2_500)),
        ("rent 1500-2000, 1 bed", (None, None), (1_500, 2_000)),
        ("renta hasta 25 mil", (None, None), (None, 25_000)),
        ("presupuesto 3-4 mdp", (3_000_000, 4_000_000), (None, None)),
        ("compra de 3 a 4 millones", (3_000_000, 4_000_000), (None, None)),
        # buying to rent out: the money is a purchase, whatever rent word stands near it
        ("comprar depa para rentar, presupuesto 400 mil", (None, 400_000), (None, None)),
        ("buy and rent out, budget 300k usd", (None, 300_000), (None, None)),
        # both, each with its own words
        ("rent up to 2,500/mo or buy up to 400k", (None, 400_000), (None, 2_500)),
        # not money: areas, rooms, years
        ("lease 3000 sqft", (None, None), (None, None)),
        ("renta 2 recamaras", (None, None), (None, None)),
        ("compro en 2019", (None, None), (None, None)),
    ],
)  # fmt: skip
def test_budgets_by_what_they_are_for(
    notes: str, purchase: tuple[int | None, int | None], rent: tuple[int | None, int | None]
) -> None:
    draft = row(notes)
    assert (draft.min_budget, draft.max_budget) == purchase
    assert (draft.rent_min_budget, draft.rent_max_budget) == rent


@pytest.mark.parametrize(
    ("notes", "operation"),
    [
        # buying a home to rent it out is a purchase
        ("comprar para rentar", Operation.BUY),
        ("quiere comprar un depa para rentarlo", Operation.BUY),
        ("quiere comprar un depa para ponerlo en renta", Operation.BUY),
        ("para invertir y rentar", Operation.BUY),
        ("compra para inversión y renta", Operation.BUY),
        ("inversionista, busca departamentos para rentar", Operation.BUY),
        ("comprar para Airbnb", Operation.BUY),
        ("buy to rent out", Operation.BUY),
        ("looking to buy a rental property", Operation.BUY),
        ("investment property to rent out", Operation.BUY),
        ("buy-to-let in Brickell", Operation.BUY),
        # either, said as either
        ("busco rentar o comprar", Operation.ANY),
        ("comprar o rentar", Operation.ANY),
        ("busca casa, puede rentarla o comprarla", Operation.ANY),
        ("looking to buy or to rent", Operation.ANY),
        ("rent or buy", Operation.ANY),
        # renting as a tenant
        ("busca depa para rentar", Operation.RENT),
        ("le gustó la casa y quiere rentarla", Operation.RENT),
        ("renta hasta 25 mil", Operation.RENT),
        ("looking to rent a 2br", Operation.RENT),
    ],
)  # fmt: skip
def test_buying_to_rent_out_is_a_purchase(notes: str, operation: Operation) -> None:
    assert row(notes).operation is operation


def test_an_operation_cell_that_buys_to_rent_out_is_a_purchase() -> None:
    assert row("", operation="Compra para renta").operation is Operation.BUY
    assert row("", operation="Renta").operation is Operation.RENT


@pytest.mark.parametrize(
    ("cell", "operation", "purchase", "rent"),
    [
        ("RENTA 20,000 - 25,000", "", (None, None), (20_000, 25_000)),
        ("$20k-$25k", "Renta", (None, None), (20_000, 25_000)),
        ("3-4 mdp", "", (3_000_000, 4_000_000), (None, None)),
        ("2.5M para comprar y rentar", "", (None, 2_500_000), (None, None)),
        ("USD 300k", "buy to rent out", (None, 300_000), (None, None)),
    ],
)  # fmt: skip
def test_a_budget_column_is_read_by_what_it_is_for(
    cell: str,
    operation: str,
    purchase: tuple[int | None, int | None],
    rent: tuple[int | None, int | None],
) -> None:
    parser = RowParser(["Phone", "Budget", "Operation"], {0: F.PHONE, 1: F.BUDGET,
                                                         2: F.OPERATION}, default_region="MX")  # fmt: skip
    draft = parser.parse(3, ["55 1234 5678", cell, operation])
    assert isinstance(draft, LeadDraft)
    assert (draft.min_budget, draft.max_budget) == purchase
    assert (draft.rent_min_budget, draft.rent_max_budget) == rent


@pytest.mark.parametrize(
    ("cell", "operation", "purchase", "rent", "wants"),
    [
        # Colombian pesos: a month's rent is millions, a home hundreds of millions
        ("$2.500.000", "Arriendo", (None, None), (None, 2_500_000), Operation.RENT),
        ("3,5 millones", "", (None, None), (None, 3_500_000), None),
        ("hasta 4 millones al mes", "", (None, None), (None, 4_000_000), None),
        ("350 millones", "", (None, 350_000_000), (None, None), None),
        ("$850.000.000", "Compra", (None, 850_000_000), (None, None), Operation.BUY),
        # "mil millones" is a thousand million, not a thousand
        ("2 mil millones", "Venta", (None, 2_000_000_000), (None, None), Operation.BUY),
        ("1.5 mil millones", "", (None, 1_500_000_000), (None, None), None),
        ("entre 800 y 1 mil millones", "", (800_000_000, 1_000_000_000), (None, None), None),
    ],
)  # fmt: skip
def test_colombian_budgets_and_arriendo(
    cell: str,
    operation: str,
    purchase: tuple[int | None, int | None],
    rent: tuple[int | None, int | None],
    wants: Operation | None,
) -> None:
    parser = RowParser(["Phone", "Budget", "Operation"], {0: F.PHONE, 1: F.BUDGET,
                                                         2: F.OPERATION}, default_region="CO")  # fmt: skip
    draft = parser.parse(3, ["300 123 4567", cell, operation])
    assert isinstance(draft, LeadDraft)
    assert (draft.min_budget, draft.max_budget) == purchase
    assert (draft.rent_min_budget, draft.rent_max_budget) == rent
    assert draft.operation is wants


@pytest.mark.parametrize(
    ("words", "operation"),
    [
        ("Arriendo", Operation.RENT),
        ("busca apartamento en arriendo", Operation.RENT),
        ("quiere arrendar", Operation.RENT),
        ("solo arriendo", Operation.RENT),
        ("arriendo o compra", Operation.ANY),
        ("Arrendatario", Operation.RENT),
    ],
)
def test_arriendo_is_renting(words: str, operation: Operation) -> None:
    assert row(words).operation is operation
    assert row("", operation=words).operation is operation
