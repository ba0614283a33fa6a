"""Merges that lose nothing: each field's rule, on the pure `merge_into` and through the API
(createLead on a known phone merges, says so, and every change is in the lead's history)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from app.leads.merge import better_name, merge_into, name_conflict
from tests.conftest import Api

DAY = datetime(2024, 3, 20, tzinfo=UTC)
OLDER = datetime(2024, 3, 7, tzinfo=UTC)  # 13 days before


def known(**values: Any) -> dict[str, Any]:
    lead = {
        "name": "Juan Pérez Hernández",
        "email": "juan@correo.mx",
        "phone": "+525512345678",
        "other_emails": [],
        "other_phones": [],
        "last_contact_at": DAY,
        "crm_status": "activo",
        "owner": "Laura",
        "tags": ["feria"],
        "notes": "Busca en Polanco",
        "language": "es",
        "locations": ["Polanco"],
        "location_keys": ["polanco"],
        "min_budget": None,
        "max_budget": 5_000_000,
        "rent_min_budget": None,
        "rent_max_budget": None,
        "currency": "MXN",
        "bedrooms": 3,
        "operation": "BUY",
        "external_id": None,
        "source": "CSV",
    }
    lead.update(values)
    return lead


def row(**values: Any) -> dict[str, Any]:
    incoming: dict[str, Any] = {"other_emails": [], "other_phones": [], "tags": []}
    incoming.update(values)
    return incoming


@pytest.mark.parametrize(
    ("current", "incoming", "older", "kept"),
    [
        ("Juan Pérez Hernández", "Juan Perez", False, "Juan Pérez Hernández"),  # shorter
        ("Juan Pérez Hernández", "Juan Pérez Gómez", True, "Juan Pérez Hernández"),  # older
        ("José Núñez", "Jose Nunez", False, "José Núñez"),  # only accents differ: keep them
        ("Jose Nunez", "José Núñez", False, "José Núñez"),
        ("José Pérez", "Jose Perez Hernandez", False, "José Pérez Hernandez"),  # fuller + accents
        ("Juan Pérez", "Juan P.", False, "Juan Pérez"),  # an initial is not fuller
        ("", "Ana Ruiz", True, "Ana Ruiz"),  # a blank takes any name
        ("ana@correo.mx", "Ana Ruiz", False, "Ana Ruiz"),  # an address is no name
        ("Ana", "ana@correo.mx", False, "Ana"),
        ("Ana Ruiz", "Ana Ruiz Díaz", True, "Ana Ruiz Díaz"),  # fuller, even from an older row
        ("John Miller", "Jon Miller", False, "John Miller"),  # another spelling, as long
        ("Ana Ruiz", "Ana Martínez", False, "Ana Ruiz"),  # another name: a conflict, not a swap
    ],
)
def test_a_name_is_replaced_only_by_a_fuller_one(
    current: str, incoming: str, older: bool, kept: str
) -> None:
    assert better_name(current, incoming, older=older) == kept


def test_an_older_row_changes_nothing_it_knows_less_well_and_adds_what_it_has() -> None:
    changes = merge_into(
        known(),
        row(
            name="Juan Perez",
            email="juan.perez@trabajo.mx",
            phone="+525587654321",
            last_contact_at=OLDER,
            crm_status="frío",
            owner="Pedro",
            tags=["web"],
            notes="Prefiere llamadas",
            locations=["Condesa"],
            location_keys=["condesa"],
            max_budget=3_000_000,
            rent_max_budget=25_000,
            currency="MXN",
            operation="RENT",
        ),
    )
    assert changes == {
        # Contact points, tags, notes and places accumulate.
        "other_emails": ["juan.perez@trabajo.mx"],
        "other_phones": ["+525587654321"],
        "tags": ["feria", "web"],
        "notes": "Busca en Polanco\n\nPrefiere llamadas",
        "locations": ["Polanco", "Condesa"],
        "location_keys": ["polanco", "condesa"],
        # A blank (the rent budget) is filled even from an older row...
        "rent_max_budget": 25_000,
        # ...but the name, status, owner, purchase budget, operation and last contact stay.
    }


def test_a_newer_row_updates_what_changed_but_never_shortens_the_name() -> None:
    later = datetime(2024, 4, 1, tzinfo=UTC)
    changes = merge_into(
        known(),
        row(
            name="Juan Perez",
            last_contact_at=later,
            crm_status="caliente",
            max_budget=6_000_000,
            min_budget=4_000_000,
            operation="ANY",
        ),
    )
    assert changes == {
        "last_contact_at": later,  # the most recent contact wins
        "crm_status": "caliente",
        "min_budget": 4_000_000,
        "max_budget": 6_000_000,
    }


CREATE = """mutation($i: CreateLeadInput!) { createLead(input: $i) {
    id name phone preferences { locations maxBudget rentMaxBudget currency }
    capture { merged changes { field before after source } } } }"""
HISTORY = """query($id: ID!) { node(id: $id) { ... on Lead {
    history(first: 2) { totalCount pageInfo { hasNextPage endCursor }
                         edges { node { source field before after } } } } } }"""


async def test_create_lead_for_a_known_phone_merges_says_so_and_logs_each_change(api: Api) -> None:
    await api.sign_up()
    first = await api.ok(
        CREATE,
        {"i": {"name": "Juan Pérez Hernández", "phone": "55 1234 5678", "maxBudget": 5_000_000,
               "locations": ["Polanco"], "source": "WEB"}},
    )  # fmt: skip
    created = first["createLead"]
    assert created["capture"] == {"merged": False, "changes": []}
    assert created["preferences"]["currency"] == "MXN"  # the brokerage's region

    again = await api.ok(
        CREATE,
        {"i": {"name": "Juan Perez", "phone": "+52 1 55 1234 5678", "email": "juan@correo.mx",
               "locations": ["Roma Nte."], "rentMaxBudget": 25_000, "source": "PORTAL"}},
    )  # fmt: skip
    merged = again["createLead"]
    assert merged["id"] == created["id"]
    assert merged["name"] == "Juan Pérez Hernández"  # never renamed to the shorter name
    assert merged["preferences"] == {
        "locations": ["Polanco", "Roma Norte"],
        "maxBudget": 5_000_000,
        "rentMaxBudget": 25_000,
        "currency": "MXN",
    }
    changes = {c["field"]: (c["before"], c["after"]) for c in merged["capture"]["changes"]}
    assert merged["capture"]["merged"] is True
    assert {c["source"] for c in merged["capture"]["changes"]} == {"PORTAL"}
    assert changes["email"] == (None, "juan@correo.mx")
    assert changes["locations"] == ("Polanco", "Polanco, Roma Norte")
    assert changes["rent_max_budget"] == (None, "25000")
    assert "name" not in changes

    page = (await api.ok(HISTORY, {"id": created["id"]}))["node"]["history"]
    assert page["totalCount"] == len(changes)
    assert page["pageInfo"]["hasNextPage"] is (len(changes) > 2)
    assert all(edge["node"]["source"] == "PORTAL" for edge in page["edges"])


async def test_create_lead_for_a_lead_s_other_email_or_phone_merges_into_that_lead(
    api: Api, backend: str
) -> None:
    # A lead known by a second e-mail (a merge added it) is the same person when a form brings
    # that e-mail alone, or a second phone alone: merged, never a second lead.
    await api.sign_up()
    first = await api.ok(CREATE, {"i": {"name": "Ana Ruiz", "email": "ana@correo.mx",
                                        "phone": "55 1111 2222"}})  # fmt: skip
    lead_id = first["createLead"]["id"]
    await api.ok(CREATE, {"i": {"name": "Ana Ruiz", "phone": "55 1111 2222",
                                "email": "ana.trabajo@empresa.mx"}})  # fmt: skip
    await api.ok(CREATE, {"i": {"name": "Ana Ruiz", "email": "ana@correo.mx",
                                "phone": "55 3333 4444"}})  # fmt: skip

    by_email = await api.ok(
        CREATE, {"i": {"name": "Ana Ruiz Díaz", "email": "ana.trabajo@empresa.mx",
                       "source": "PORTAL"}}
    )  # fmt: skip
    assert by_email["createLead"]["id"] == lead_id
    assert by_email["createLead"]["name"] == "Ana Ruiz Díaz"
    capture = by_email["createLead"]["capture"]
    assert capture["merged"] is True
    assert [c for c in capture["changes"] if c["field"] != "last_contact_at"] == [
        {"field": "name", "before": "Ana Ruiz", "after": "Ana Ruiz Díaz", "source": "PORTAL"}
    ]  # the address was known: nothing else changed
    by_phone = await api.ok(CREATE, {"i": {"name": "Ana", "phone": "55 3333 4444"}})
    assert by_phone["createLead"]["id"] == lead_id
    assert by_phone["createLead"]["name"] == "Ana Ruiz Díaz"
    assert by_phone["createLead"]["capture"]["merged"] is True
    leads = await api.ok("{ leads(first: 5) { totalCount } }")
    assert leads["leads"]["totalCount"] == 1


@pytest.mark.parametrize(
    ("kept", "incoming", "conflict"),
    [
        ("John Miller", "Jon Miller", True),
        ("Ana Ruiz", "Ana Martínez", True),
        ("Juan Pérez Hernández", "Juan Perez", False),  # a shorter form of the same name
        ("Juan Pérez", "Juan P.", False),
        ("José Núñez", "Jose Nunez", False),
        ("Ana Ruiz", "", False),
        ("Ana Ruiz", "ana@correo.mx", False),
    ],
)
def test_another_name_is_a_conflict_a_shorter_form_is_not(
    kept: str, incoming: str, conflict: bool
) -> None:
    assert name_conflict(kept, incoming) is conflict


CONFLICTS = """query($id: ID!) { node(id: $id) { ... on Lead { name
    history(first: 10) { edges { node { source field before after
                                        conflict { crmValue localValue kept } } } } } } }"""


async def test_a_row_with_another_spelling_keeps_the_name_and_shows_the_conflict(api: Api) -> None:
    await api.sign_up()
    first = await api.ok(CREATE, {"i": {"name": "John Miller", "email": "jm@example.com"}})
    lead_id = first["createLead"]["id"]
    again = await api.ok(CREATE, {"i": {"name": "Jon Miller", "email": "jm@example.com"}})
    assert again["createLead"]["name"] == "John Miller"  # before: renamed "Jon Miller"
    lead = (await api.ok(CONFLICTS, {"id": lead_id}))["node"]
    assert lead["name"] == "John Miller"
    names = [e["node"] for e in lead["history"]["edges"] if e["node"]["field"] == "name"]
    assert names == [
        {"source": "API", "field": "name", "before": "John Miller", "after": "John Miller",
         "conflict": {"crmValue": "Jon Miller", "localValue": "John Miller", "kept": "BRSCALE"}}
    ]  # fmt: skip
