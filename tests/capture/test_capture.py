"""New leads around the clock: a website form or a portal posts to the brokerage's capture URL;
the lead is created (or merged), tied to the listing it asked about, matched and messaged."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine

from app.core.runtime import Runtime
from tests.conftest import Api
from tests.support.jobs import drain_jobs

LISTING = {
    "title": "Depa en Polanco",
    "location": "Polanco",
    "city": "Ciudad de México",
    "price": 5_000_000,
    "bedrooms": 2,
    "operation": "SALE",
}
LEADS = "{ leads { totalCount edges { node { name email phone source notes preferences { locations operation } } } } }"


async def _setup(api: Api) -> tuple[str, str]:
    await api.sign_up()
    listing = await api.ok(
        "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }", {"i": LISTING}
    )
    data = await api.ok("{ brokerage { captureKey captureUrl } }")
    assert data["brokerage"]["captureUrl"].endswith(f"/capture/{data['brokerage']['captureKey']}")
    return data["brokerage"]["captureKey"], listing["createProperty"]["id"]


async def _leads(api: Api) -> list[dict[str, Any]]:
    data = await api.ok(LEADS)
    return [edge["node"] for edge in data["leads"]["edges"]]


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_a_website_form_becomes_a_matched_lead_with_a_first_message(
    api: Api, runtime: Runtime, backend: str
) -> None:
    key, listing_id = await _setup(api)
    await drain_jobs(runtime)

    response = await api.client.post(
        f"/capture/{key}",
        data={
            "Nombre": "Lucía Fernández",
            "Correo electrónico": "lucia@correo.mx",
            "Teléfono": "55 1234 5678",
            "Mensaje": "¿Sigue disponible? Me interesa verlo este fin.",
            "propiedad": listing_id,
            "website": "",  # the honeypot, left empty by a person
        },
    )

    assert response.status_code == 201
    assert "text/html" in response.headers["content-type"]
    assert "Gracias" in response.text
    assert response.headers["access-control-allow-origin"] == "*"
    (lead,) = await _leads(api)
    assert (lead["name"], lead["email"], lead["phone"], lead["source"]) == (
        "Lucía Fernández",
        "lucia@correo.mx",
        "+525512345678",
        "WEBSITE",
    )
    assert lead["notes"] == (
        "¿Sigue disponible? Me interesa verlo este fin.\nPreguntó por: Depa en Polanco"
    )
    assert lead["preferences"] == {"locations": ["Polanco"], "operation": "BUY"}
    await drain_jobs(runtime)
    data = await api.ok(
        "query($id: ID!) { node(id: $id) { ... on Property { conversations { edges { node { "
        "lead { email } messages { direction channel body } } } } } } }",
        {"id": listing_id},
    )
    (conversation,) = [e["node"] for e in data["node"]["conversations"]["edges"]]
    assert conversation["lead"]["email"] == "lucia@correo.mx"
    # Her question is the conversation's first message, and the agent's first words answer it.
    asked, *answers = conversation["messages"]
    assert (asked["direction"], asked["body"]) == (
        "INBOUND",
        "¿Sigue disponible? Me interesa verlo este fin.",
    )
    assert [m["direction"] for m in answers] == ["OUTBOUND"]


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_question_sent_with_the_form_is_answered_not_pitched(
    api: Api, runtime: Runtime, backend: str
) -> None:
    """A form that asks about a rental gets the answer from the listing's facts as the agent's
    first words on that listing, not a generic first message."""
    key, _ = await _setup(api)
    rental = {
        "title": "Departamento en renta en la Condesa",
        "location": "Condesa",
        "city": "Ciudad de México",
        "price": 24_000,
        "bedrooms": 2,
        "operation": "RENT",
        "petsAllowed": True,
        "availableFrom": "2027-01-01",
    }
    other = {**rental, "title": "Depa con terraza en la Condesa", "price": 23_000}
    created = await api.ok(
        "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }", {"i": rental}
    )
    await api.ok("mutation($i: PropertyInput!) { createProperty(input: $i) { id } }", {"i": other})
    await drain_jobs(runtime)

    response = await api.client.post(
        f"/capture/{key}",
        data={
            "nombre": "Mariana Ruiz",
            "email": "mariana@correo.mx",
            "mensaje": "hola! aceptan perros chicos? busco para enero",
            "propiedad": created["createProperty"]["id"],
        },
    )
    await drain_jobs(runtime)

    assert response.status_code == 201
    data = await api.ok(
        "{ conversations(first: 10) { edges { node { property { title } "
        "messages { direction body } } } } }"
    )
    conversations = {
        c["property"]["title"]: c["messages"]
        for c in (e["node"] for e in data["conversations"]["edges"])
    }
    asked, answer = conversations["Departamento en renta en la Condesa"]
    assert (asked["direction"], answer["direction"]) == ("INBOUND", "OUTBOUND")
    assert answer["body"].startswith("Sí, se aceptan mascotas.")


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_portal_posts_json_and_a_known_contact_is_merged_not_duplicated(
    api: Api, backend: str
) -> None:
    key, _ = await _setup(api)
    first = {"first_name": "John", "last_name": "Doe", "email": "JOHN@example.com"}
    second = {"name": "John Doe", "email": "john@example.com", "phone": "+1 415 555 0100"}

    one = await api.client.post(f"/capture/{key}", json=first)
    two = await api.client.post(f"/capture/{key}", json={**second, "source": "Zillow"})

    assert (one.status_code, one.json()) == (201, {"received": True})
    assert two.status_code == 201
    (lead,) = await _leads(api)
    assert (lead["name"], lead["email"], lead["phone"]) == (
        "John Doe",
        "john@example.com",
        "+14155550100",
    )


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_bots_bad_posts_and_floods_are_turned_away(api: Api, backend: str) -> None:
    key, _ = await _setup(api)
    clock = time_machine.travel(datetime(2026, 12, 7, 10, 0, 5, tzinfo=UTC), tick=False)
    clock.start()  # one minute's window for every post below

    bot = await api.client.post(
        f"/capture/{key}", data={"name": "Bot", "email": "bot@spam.io", "website": "http://x"}
    )
    unreachable = await api.client.post(f"/capture/{key}", json={"name": "Nadie"})
    not_an_object = await api.client.post(f"/capture/{key}", json=["a", "b"])
    foreign = await api.client.post(f"/capture/{key}", json={"email": "a@b.mx", "listing": "99"})
    unknown = await api.client.post("/capture/not-a-key", json={"email": "a@b.mx"})
    preflight = await api.client.options(f"/capture/{key}")

    assert bot.status_code == 201  # answered like a success: the bot learns nothing
    assert unreachable.status_code == 422
    assert unreachable.json() == {"error": "A lead needs an email or a phone number to be reached."}
    assert not_an_object.status_code == 422
    assert foreign.status_code == 422
    assert unknown.status_code == 404
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert await _leads(api) == []
    # Ten posts a minute from one address; the eleventh is refused (five were made above).
    codes = [
        (await api.client.post(f"/capture/{key}", json={"email": f"p{n}@x.mx"})).status_code
        for n in range(6)
    ]
    clock.stop()
    assert codes == [201, 201, 201, 201, 201, 429]


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_rotating_the_key_retires_the_old_capture_url(api: Api, backend: str) -> None:
    old, _ = await _setup(api)

    rotated = await api.ok("mutation { rotateCaptureKey { captureKey } }")

    new = rotated["rotateCaptureKey"]["captureKey"]
    assert new != old
    assert (await api.client.post(f"/capture/{old}", json={"email": "a@b.mx"})).status_code == 404
    assert (await api.client.post(f"/capture/{new}", json={"email": "a@b.mx"})).status_code == 201


@pytest.mark.parametrize(
    ("message", "backend"),
    [("¿Aceptan mascotas?", "sqlite"), (None, "sqlite"), ("¿Aceptan mascotas?", "postgres")],
    ids=["question", "no-question", "question-postgres"],
)
async def test_a_captured_lead_hears_about_the_listing_it_asked_for_before_any_other(
    api: Api, runtime: Runtime, message: str | None, backend: str
) -> None:
    """The form names one listing; another of the broker's matches the lead as well. The lead
    gets the answer on the one they asked about, and the other only at the usual follow-up
    time, never in the same minute."""
    from datetime import timedelta

    from app.conversations.tasks import restart_stalled_campaigns

    key, asked_id = await _setup(api)
    other = {**LISTING, "title": "Casa en Polanco", "price": 4_800_000}
    await api.ok("mutation($i: PropertyInput!) { createProperty(input: $i) { id } }", {"i": other})
    await drain_jobs(runtime)
    form = {"nombre": "Lucía Fernández", "email": "lucia@correo.mx", "propiedad": asked_id}
    if message:
        form["mensaje"] = message

    response = await api.client.post(f"/capture/{key}", data=form)
    await drain_jobs(runtime)

    assert response.status_code == 201
    query = (
        "{ conversations(first: 10) { edges { node { property { title } nextAction "
        "messages { direction body } } } } }"
    )

    async def heard() -> dict[str, list[str]]:
        data = await api.ok(query)
        return {
            c["property"]["title"]: [m["direction"] for m in c["messages"]]
            for c in (e["node"] for e in data["conversations"]["edges"])
        }

    said = await heard()
    assert said["Depa en Polanco"][-1] == "OUTBOUND"
    assert said.get("Casa en Polanco", []) == []  # not pitched the same minute
    data = await api.ok(query)
    held = [
        e["node"]["nextAction"]
        for e in data["conversations"]["edges"]
        if e["node"]["property"]["title"] == "Casa en Polanco"
    ]
    assert held == ["Primero se responde la propiedad por la que preguntó; esta se ofrece después"]

    # The usual follow-up time: the other listing reaches the lead then.
    with time_machine.travel(datetime.now(UTC) + timedelta(days=3, minutes=10), tick=True):
        await restart_stalled_campaigns({"runtime": runtime})
        await drain_jobs(runtime)
        said = await heard()
    assert said["Casa en Polanco"] == ["OUTBOUND"]
