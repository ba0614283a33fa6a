"""The offline path runs the fact guard before anything reaches the lead: a template that
states a fact the listing does not hold (an edited template, here constructed) is caught, the
lead gets a safe line that states nothing, the broker a task, and the log the reason."""

from __future__ import annotations

import logging

import pytest

from app.conversations import templates
from app.core.runtime import Runtime
from tests.conftest import Api
from tests.conversations.test_dialogues import LEAD, TASKS, _say, _start

pytestmark = pytest.mark.usefixtures("backend")

TU = {"agentName": "Jorge", "formality": "TU", "language": "es"}


async def test_a_template_that_states_what_the_listing_does_not_hold_never_reaches_the_lead(
    api: Api, runtime: Runtime, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    conversation_id = await _start(api, runtime, TU, LEAD)
    # The listing has 2 bedrooms, a gym and a roof garden: no pool, no 4 bedrooms.
    monkeypatch.setitem(
        templates.TEMPLATES["es-tu"],
        "interested",
        "¡Qué gusto{comma_name}! {title} tiene 4 recámaras y alberca, por {price}.",
    )

    with caplog.at_level(logging.WARNING, logger="app.conversations.model"):
        answered = await _say(api, conversation_id, "Me interesa, cuéntame más")

    body = answered["messages"][-1]["body"]
    assert answered["messages"][-1]["direction"] == "OUTBOUND"
    assert body == "Gracias, Ana. Lo reviso y te respondo en breve."  # Jorge signs: his words
    [logged] = [r for r in caplog.records if r.getMessage().startswith("fact guard")]
    assert "4 bedrooms the listing does not state" in logged.reason  # type: ignore[attr-defined]
    assert "alberca" in logged.reason  # type: ignore[attr-defined]
    # The safe line promises Jorge's answer: a task keeps that promise.
    tasks = (await api.ok(TASKS, {"status": "OPEN"}))["brokerTasks"]["edges"]
    assert "HANDOFF" in {t["node"]["kind"] for t in tasks}


async def test_a_template_within_the_listing_goes_out_unchanged(
    api: Api, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    conversation_id = await _start(api, runtime, TU, LEAD)

    with caplog.at_level(logging.WARNING, logger="app.conversations.model"):
        answered = await _say(api, conversation_id, "Me interesa, cuéntame más")

    assert answered["messages"][-1]["body"].startswith(
        "¡Qué gusto, Ana! El departamento en Polanco:"
    )
    assert not [r for r in caplog.records if r.getMessage().startswith("fact guard")]
