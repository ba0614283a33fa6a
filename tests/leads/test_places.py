"""The gazetteer: how a listing's written place becomes the keys leads are matched by."""

from __future__ import annotations

import pytest

from app.leads.places import lead_key, listing_keys, location_parts


@pytest.mark.parametrize(
    ("location", "city", "wanted"),
    [
        # "Colonia, Alcaldía": a lead for either fits.
        ("Del Carmen, Coyoacán", None, ["Del Carmen", "Coyoacán", "CDMX"]),
        ("Del Carmen (Coyoacán)", None, ["Del Carmen", "Coyoacán"]),
        ("Roma Norte, Cuauhtémoc, CDMX", None, ["Roma Nte.", "Roma", "Cuauhtémoc"]),
        ("Col. Del Valle Centro, Alcaldía Benito Juárez", "CDMX", ["Del Valle", "Benito Juárez"]),
        ("Calle Tabasco 12 - Roma Norte", None, ["Roma Norte", "Cuauhtémoc"]),
        # A single name works as before.
        ("Del Valle Centro", "Ciudad de México", ["Del Valle Centro", "Benito Juárez"]),
    ],
)
def test_every_part_of_a_listings_place_is_resolved(
    location: str, city: str | None, wanted: list[str]
) -> None:
    keys = listing_keys(location, city)
    assert [place for place in wanted if lead_key(place) not in keys] == []


def test_the_other_parts_say_which_of_two_places_of_one_name_is_meant() -> None:
    # Bosques de las Lomas lies in Miguel Hidalgo and in Cuajimalpa.
    keys = listing_keys("Bosques de las Lomas, Cuajimalpa", None)
    assert {"cuajimalpa de morelos", "lomas"} <= keys
    assert "miguel hidalgo" not in keys
    # Centro (CDMX) is not the centre of Querétaro.
    assert "cuauhtemoc" not in listing_keys("Centro, Querétaro", None)


def test_a_listing_elsewhere_has_no_key_of_the_leads_place() -> None:
    assert lead_key("Polanco") not in listing_keys("Del Carmen, Coyoacán", "CDMX")


def test_location_parts() -> None:
    assert location_parts("Roma Norte, Cuauhtémoc, CDMX") == ["Roma Norte", "Cuauhtémoc", "CDMX"]
    assert location_parts("Polanco") == ["Polanco"]
    assert location_parts("") == []
