"""The spine end to end: health checks, subscriptions across API instances, migrations, layering."""

from __future__ import annotations

import ast
import asyncio
import contextlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import websockets
from sqlalchemy.dialects.postgresql import JSONB
from websockets.exceptions import ConnectionClosed

from app.activity.events import ActivityType, record_activity
from app.core.config import Settings
from app.core.db import Base, create_engine, downgrade, migrate
from app.core.runtime import open_runtime
from app.core.uow import commit
from graphql_schema.asgi import create_app
from tests.conftest import Api
from tests.support.servers import serve

ROOT = Path(__file__).resolve().parents[1]
SUBSCRIBE = "subscription { agentActivity { type at } }"


async def test_health_and_readiness_report_the_services(api: Api) -> None:
    health = await api.client.get("/healthz")
    assert health.json() == {"status": "ok"}
    assert health.headers["x-request-id"]
    ready = await api.client.get("/readyz", headers={"X-Request-ID": "abc123"})
    assert ready.json() == {"status": "ready", "database": "ok", "redis": "ok"}
    assert ready.headers["x-request-id"] == "abc123"


async def test_graphiql_is_served_on_get_in_development(api: Api) -> None:
    page = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


async def _ws_connect(url: str, protocol: str, token: str | None) -> Any:
    ws = await websockets.connect(url.replace("http", "ws") + "/graphql", subprotocols=[protocol])  # type: ignore[list-item]
    payload = {"authorization": f"Bearer {token}"} if token else {}
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    return ws


async def _next_data(ws: Any) -> dict[str, Any]:
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=10)
        # A text frame: browsers' graphql-ws clients drop binary ones (the live board stays empty).
        assert isinstance(raw, str), raw
        message = json.loads(raw)
        if message["type"] in ("next", "data"):
            return message["payload"]  # type: ignore[no-any-return]
        assert message["type"] in ("ka", "ping", "pong", "connection_ack"), message


@pytest.mark.parametrize("protocol", ["graphql-transport-ws", "graphql-ws"])
async def test_subscription_receives_an_event_published_by_another_instance(
    pg_settings: Settings, protocol: str
) -> None:
    async with (
        open_runtime(pg_settings) as runtime_a,
        open_runtime(pg_settings) as runtime_b,
        serve(create_app(runtime=runtime_a)) as url_a,
    ):
        async with httpx.AsyncClient(base_url=url_a) as client:
            api = Api(client)
            await api.sign_up("other@example.com", "Other")
            token = await api.sign_up()
            brokerage_id = 2

        ws = await _ws_connect(url_a, protocol, token)
        try:
            ack = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
            assert ack["type"] == "connection_ack"
            start = "subscribe" if protocol == "graphql-transport-ws" else "start"
            await ws.send(json.dumps({"id": "1", "type": start, "payload": {"query": SUBSCRIBE}}))
            # Pub/sub keeps nothing for late subscribers: publish until the subscription hears.
            payload = None
            for _ in range(20):
                async with runtime_b.session() as session:
                    record_activity(
                        session, brokerage_id - 1, ActivityType.LEAD_OPTED_OUT, lead_id=8
                    )
                    record_activity(session, brokerage_id, ActivityType.LEAD_REPLIED, lead_id=7)
                    await commit(session)
                try:
                    payload = await asyncio.wait_for(_next_data(ws), timeout=0.5)
                    break
                except TimeoutError:
                    continue
            assert payload is not None, "no event reached the subscriber"
            assert payload["data"]["agentActivity"]["type"] == "LEAD_REPLIED"
            later = []
            with contextlib.suppress(TimeoutError):
                while True:
                    later.append(await asyncio.wait_for(_next_data(ws), timeout=0.7))
            # the other brokerage's event never arrives (only more of our own retries may)
            assert {p["data"]["agentActivity"]["type"] for p in later} <= {"LEAD_REPLIED"}
        finally:
            await ws.close()


async def test_subscription_without_a_token_is_refused(pg_settings: Settings) -> None:
    async with open_runtime(pg_settings) as runtime, serve(create_app(runtime=runtime)) as url:
        ws = await _ws_connect(url, "graphql-transport-ws", None)
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


@pytest.mark.parametrize("backend", ["postgres", "sqlite"])
async def test_migrations_upgrade_and_downgrade(settings: Settings, backend: str) -> None:
    engine = create_engine(settings.async_database_url)
    try:
        await migrate(engine)
        await downgrade(engine, "base")
        async with engine.connect() as conn:
            tables = await conn.run_sync(
                lambda c: set(__import__("sqlalchemy").inspect(c).get_table_names())
            )
        assert not tables & set(Base.metadata.tables)
        await migrate(engine)
        async with engine.connect() as conn:
            tables = await conn.run_sync(
                lambda c: set(__import__("sqlalchemy").inspect(c).get_table_names())
            )
        assert set(Base.metadata.tables) <= tables
    finally:
        await engine.dispose()


@pytest.mark.parametrize("backend", ["postgres", "sqlite"])
async def test_migration_0002_moves_import_errors_into_their_table_and_back(
    settings: Settings, backend: str
) -> None:
    json_type = sa.JSON().with_variant(JSONB(), "postgresql")
    brokerages = sa.table(
        "brokerages",
        *(sa.column(c) for c in ("id", "name", "default_region", "timezone", "language")),
        *(sa.column(c) for c in ("postal_address", "signature", "requires_approval", "paused")),
        sa.column("scoring", json_type),
    )
    imports = sa.table(
        "lead_imports",
        *(sa.column(c) for c in ("id", "brokerage_id", "filename", "status", "total_rows")),
        *(sa.column(c) for c in ("imported", "updated", "duplicates")),
        *(sa.column(c, json_type) for c in ("errors", "mapping", "preview")),
    )
    errors = [
        {"line": 3, "column": "Email", "message": 'Email "x@" is not a valid email address'},
        {"line": 3, "column": None, "message": "Row skipped: it has no valid email or phone"},
    ]
    engine = create_engine(settings.async_database_url)
    try:
        await migrate(engine)
        await downgrade(engine, "0001")
        async with engine.begin() as conn:
            brokerage_id = (
                await conn.execute(
                    brokerages.insert().returning(brokerages.c.id),
                    {
                        "name": "Migrations",
                        "default_region": "MX",
                        "language": "es",
                        "timezone": "America/Mexico_City",
                        "postal_address": "",
                        "signature": "",
                        "requires_approval": False,
                        "paused": False,
                        "scoring": {},
                    },
                )
            ).scalar_one()
            import_id = (
                await conn.execute(
                    imports.insert().returning(imports.c.id),
                    {
                        "brokerage_id": brokerage_id,
                        "filename": "old.csv",
                        "status": "COMPLETED",
                        "total_rows": 3,
                        "imported": 1,
                        "updated": 0,
                        "duplicates": 0,
                        "errors": errors,
                        "mapping": {},
                        "preview": [],
                    },
                )
            ).scalar_one()
        await migrate(engine)
        async with engine.connect() as conn:
            moved = await conn.execute(
                sa.text(
                    'SELECT line, "column", message FROM lead_import_errors'
                    " WHERE import_id = :id ORDER BY id"
                ),
                {"id": import_id},
            )
            assert [dict(row._mapping) for row in moved] == errors
            count = await conn.scalar(
                sa.text("SELECT error_count FROM lead_imports WHERE id = :id"), {"id": import_id}
            )
            assert count == 2
        await downgrade(engine, "0001")
        async with engine.connect() as conn:
            back = await conn.scalar(sa.select(imports.c.errors).where(imports.c.id == import_id))
            assert back == errors
        await migrate(engine)
    finally:
        async with engine.begin() as conn:
            await conn.execute(sa.text("DELETE FROM brokerages WHERE name = 'Migrations'"))
        await engine.dispose()


def _imports(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add((str(path.relative_to(ROOT)), node.module.split(".")[0]))
            elif isinstance(node, ast.Import):
                found.update(
                    (str(path.relative_to(ROOT)), a.name.split(".")[0]) for a in node.names
                )
    return found


def test_dependency_direction_holds() -> None:
    """integrations import nothing of ours; app never imports the transport or the workers."""
    forbidden = {
        "integrations": {"app", "graphql_schema", "workers"},
        "app": {"graphql_schema", "workers"},
        "workers": {"graphql_schema"},
    }
    violations = [
        (path, module)
        for package, banned in forbidden.items()
        for path, module in _imports(package)
        # the CLI is the composition root: it starts the API server and the worker
        if module in banned and path != "app/cli.py"
    ]
    assert violations == []


@pytest.mark.parametrize("backend", ["postgres", "sqlite"])
async def test_migration_0005_moves_rents_out_of_the_purchase_budget(
    settings: Settings, backend: str
) -> None:
    from datetime import UTC, datetime

    json_type = sa.JSON().with_variant(JSONB(), "postgresql")
    brokerages = sa.table(
        "brokerages",
        *(sa.column(c) for c in ("id", "name", "default_region", "timezone", "language")),
        *(sa.column(c) for c in ("postal_address", "signature", "requires_approval", "paused")),
        sa.column("scoring", json_type),
    )
    leads = sa.table(
        "leads",
        *(sa.column(c) for c in ("id", "brokerage_id", "name", "qualification_score")),
        *(sa.column(c) for c in ("opted_out", "source", "notes", "operation", "updated_at")),
        *(sa.column(c) for c in ("min_budget", "max_budget", "currency")),
        *(sa.column(c, json_type) for c in ("other_emails", "other_phones", "tags")),
        *(sa.column(c, json_type) for c in ("locations", "location_keys")),
    )
    # (operation, min, max, currency) -> where the budget belongs after the migration
    cases = {
        "renter": (("RENT", 20_000, 30_000, "MXN"), (None, None, 20_000, 30_000)),
        "buyer": (("BUY", None, 5_000_000, "MXN"), (None, 5_000_000, None, None)),
        "rent-sized": (("ANY", None, 28_000, None), (None, None, None, 28_000)),
        "dollar rent": (("ANY", None, 4_500, "USD"), (None, None, None, 4_500)),
        "dollar buyer": (("ANY", None, 300_000, "USD"), (None, 300_000, None, None)),
        "no budget": (("RENT", None, None, None), (None, None, None, None)),
    }
    engine = create_engine(settings.async_database_url)
    try:
        await migrate(engine)
        await downgrade(engine, "0004_capture")
        async with engine.begin() as conn:
            brokerage_id = (
                await conn.execute(
                    brokerages.insert().returning(brokerages.c.id),
                    {
                        "name": "Migrations",
                        "default_region": "MX",
                        "language": "es",
                        "timezone": "America/Mexico_City",
                        "postal_address": "",
                        "signature": "",
                        "requires_approval": False,
                        "paused": False,
                        "scoring": {},
                    },
                )
            ).scalar_one()
            for name, ((operation, low, high, currency), _) in cases.items():
                await conn.execute(
                    leads.insert(),
                    {
                        "brokerage_id": brokerage_id,
                        "name": name,
                        "qualification_score": 0,
                        "opted_out": False,
                        "source": "CSV",
                        "notes": "",
                        "operation": operation,
                        "updated_at": datetime.now(UTC),
                        "min_budget": low,
                        "max_budget": high,
                        "currency": currency,
                        **{c: [] for c in ("other_emails", "other_phones", "tags")},
                        **{c: [] for c in ("locations", "location_keys")},
                    },
                )
            # an opt-out refers to the lead: a downgrade that copies `leads` on SQLite (drop
            # the old table, foreign keys on) would cascade to it and message them again
            await conn.execute(
                sa.text(
                    "INSERT INTO consents (brokerage_id, lead_id, kind, source, detail, at)"
                    " SELECT brokerage_id, id, 'OPT_OUT', 'sms', 'STOP', :at FROM leads"
                    " WHERE name = 'buyer'"
                ),
                {"at": datetime.now(UTC)},
            )
        await migrate(engine)
        query = sa.text(
            "SELECT name, min_budget, max_budget, rent_min_budget, rent_max_budget FROM leads"
        )
        async with engine.connect() as conn:
            moved = {row[0]: tuple(row[1:]) for row in await conn.execute(query)}
        assert moved == {name: after for name, (_, after) in cases.items()}
        await downgrade(engine, "0004_capture")
        async with engine.connect() as conn:
            back = {
                row[0]: tuple(row[1:])
                for row in await conn.execute(
                    sa.text("SELECT name, min_budget, max_budget FROM leads")
                )
            }
        assert back == {name: (low, high) for name, ((_, low, high, _), _) in cases.items()}
        async with engine.connect() as conn:
            opted_out = await conn.scalar(
                sa.text(
                    "SELECT l.name FROM consents c JOIN leads l ON l.id = c.lead_id"
                    " WHERE c.kind = 'OPT_OUT'"
                )
            )
        assert opted_out == "buyer"
        await migrate(engine)
    finally:
        await engine.dispose()
