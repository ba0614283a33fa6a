"""`brscale serve` serves the built dashboard under /app (client-side routes included) beside the
API, and without a build the API alone, with / leading to GraphiQL."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from app.core.runtime import Runtime
from graphql_schema import asgi
from graphql_schema.asgi import create_app


@pytest.fixture
def dashboard_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><div id=root></div>")
    (dist / "assets" / "index-abc123.js").write_text("console.log('app')")
    monkeypatch.setattr(asgi, "DASHBOARD_DIR", dist)
    return dist


def client_for(runtime: Runtime) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(runtime=runtime))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_the_built_dashboard_is_served_under_app_with_its_client_side_routes(
    runtime: Runtime, dashboard_build: Path
) -> None:
    async with client_for(runtime) as client:
        root = await client.get("/")
        page = await client.get("/app/")
        deep_link = await client.get("/app/listings/UHJvcGVydHk6MQ==")
        asset = await client.get("/app/assets/index-abc123.js")
        missing_asset = await client.get("/app/assets/index-gone.js")
        health = await client.get("/healthz")
        graphql = await client.post("/graphql", json={"query": "{ __typename }"})

    assert (root.status_code, root.headers["location"]) == (307, "/app/")
    assert (page.status_code, page.text) == (200, "<!doctype html><div id=root></div>")
    assert (deep_link.status_code, deep_link.text) == (200, page.text)
    assert deep_link.headers["cache-control"] == "no-cache"
    assert (asset.status_code, asset.text) == (200, "console.log('app')")
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert missing_asset.status_code == 404
    assert health.json() == {"status": "ok"}
    assert graphql.json() == {"data": {"__typename": "Query"}}


async def test_without_a_build_the_api_runs_alone(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(asgi, "DASHBOARD_DIR", tmp_path / "not-built")
    async with client_for(runtime) as client:
        root = await client.get("/")
        page = await client.get("/app/")
        health = await client.get("/healthz")

    assert (root.status_code, root.headers["location"]) == (307, "/graphql")
    assert page.status_code == 404
    assert health.json() == {"status": "ok"}
