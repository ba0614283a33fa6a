"""The ASGI application: GraphQL (HTTP + WebSocket), health checks, webhooks and the dashboard."""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
from graphql import GraphQLError
from sqlalchemy import text
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLRequestData
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL
from strawberry.types import ExecutionResult

from app.accounts.principal_cache import principal_cache
from app.accounts.service import authenticate, remembered_principal
from app.core.config import Settings, load_settings
from app.core.errors import DomainError
from app.core.faults import lost_connection
from app.core.logging import configure_logging, request_id
from app.core.runtime import Runtime, open_runtime
from app.core.schedule import run_periodic_in_process
from graphql_schema.context import Context
from graphql_schema.leads.exports import routes as export_routes
from graphql_schema.persisted import persisted_queries
from graphql_schema.schema import schema
from graphql_schema.sockets import LegacyWSHandler, TransportWSHandler
from graphql_schema.uploads import BodyLimitMiddleware

log = logging.getLogger("brscale.http")
# The dashboard's build (`npm run build` in frontend/, which `./dev run` does when Node.js is
# there).
DASHBOARD_DIR = Path(__file__).resolve().parents[1] / "frontend" / "dist"


async def _principal_for(runtime: Runtime, authorization: str | None) -> Any:
    if not authorization or not authorization.lower().startswith("bearer "):
        return None
    bearer = authorization[7:].strip()
    cache = principal_cache(runtime)
    known = remembered_principal(runtime.tokens, bearer, cache)
    if known is not None:
        return known
    for attempt in (1, 2):  # once more on a fresh connection if the first one was lost
        try:
            async with runtime.session() as session:
                principal = await authenticate(session, runtime.tokens, bearer, cache)
                if session.in_transaction():
                    await session.commit()  # records the API key's last use
            return principal
        except Exception as exc:
            if attempt == 2 or not lost_connection(exc):
                raise
            log.warning("authentication lost its database connection; trying again")
    raise AssertionError("unreachable")


class BrScaleGraphQL(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler

    def encode_json(self, data: object) -> str | bytes:
        """Answers written by orjson: a page of 50 leads in a fraction of json.dumps' time
        (UTF-8 as it is, not \\u escapes). What orjson refuses (an integer past 64 bits, a
        key that is not a string) is written the standard way. A str, not bytes: the same
        encoder writes WebSocket messages, and bytes go out as binary frames, which browsers'
        graphql-ws clients drop (the dashboard's live board stayed empty)."""
        try:
            return orjson.dumps(data).decode()
        except TypeError:
            return super().encode_json(data)

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:  # type: ignore[override]
        runtime: Runtime = request.app.state.runtime
        context = Context(runtime=runtime, request=request, response=response)
        if isinstance(request, Request):
            context.principal = await _principal_for(runtime, request.headers.get("authorization"))
            context.rate_limited = not await runtime.limiter.allow(context.caller_key)
        return context

    async def execute_single(  # type: ignore[override]
        self,
        request: Request,
        request_adapter: Any,
        sub_response: Any,
        context: Context,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Automatic persisted queries: the query is looked up (or registered) by its hash."""
        try:
            request_data = await persisted_queries(context.runtime).resolve(request_data)
        except DomainError as exc:
            return ExecutionResult(
                data=None,
                errors=[GraphQLError(exc.message, extensions=exc.extensions)],
            )
        return await super().execute_single(
            request, request_adapter, sub_response, context, root_value, request_data
        )

    async def on_ws_connect(self, context: Context) -> dict[str, object] | None:  # type: ignore[override]
        params = context.connection_params or {}
        authorization = params.get("authorization") or params.get("Authorization")
        # A pool too busy to read the caller raises PoolTimeout: `_busy` closes the socket with
        # 1013 ("try again later"), which clients retry, unlike a rejection (4403).
        principal = await _principal_for(
            context.runtime, str(authorization) if authorization else None
        )
        if principal is None:
            raise ConnectionRejectionError({"reason": "A valid token or API key is required."})
        context.principal = principal
        return None


def _error_body(message: str, code: str) -> dict[str, Any]:
    """Errors of plain HTTP endpoints in the shape GraphQL clients already read."""
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


BUSY_MESSAGE = "The service is busy: retry in a few seconds."


async def _busy(conn: Request | WebSocket, exc: Exception) -> Response | None:
    """No database connection freed in time: answer at once, with a code, and retry-able (a
    WebSocket, which Starlette hands over as such, is closed with 1013, "try again later")."""
    if isinstance(conn, WebSocket):
        await conn.close(code=1013, reason=BUSY_MESSAGE)
        return None
    return JSONResponse(
        _error_body(BUSY_MESSAGE, "SERVICE_UNAVAILABLE"),
        status_code=503,
        headers={"Retry-After": "2"},
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    codes = {401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND", 429: "RATE_LIMITED"}
    code = codes.get(exc.status_code, "BAD_REQUEST" if exc.status_code < 500 else "INTERNAL")
    return JSONResponse(
        _error_body(str(exc.detail), code), status_code=exc.status_code, headers=exc.headers
    )


async def _internal_error(request: Request, exc: Exception) -> Response:
    # Starlette re-raises after answering: the server logs it with its traceback.
    return JSONResponse(_error_body("Internal server error.", "INTERNAL"), status_code=500)


class RequestIdMiddleware:
    """Tag every request (and its log lines) with an id, echoed back in `X-Request-ID`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        rid = headers.get(b"x-request-id", b"").decode()[:64] or uuid.uuid4().hex
        token = request_id.set(rid)
        if scope["type"] == "websocket":  # no response headers: its sends go straight through
            try:
                await self.app(scope, receive, send)
            finally:
                request_id.reset(token)
            return

        async def send_with_id(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)


async def healthz(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    checks: dict[str, str] = {}
    try:
        async with runtime.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # readiness reports, never raises
        checks["database"] = f"error: {type(exc).__name__}"
    if runtime.redis is not None:
        try:
            await runtime.redis.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", **checks}, status_code=200 if ready else 503
    )


def domain_routes() -> list[BaseRoute]:
    """Plain HTTP endpoints owned by the domains (webhooks, OAuth callbacks, unsubscribe links)."""
    from graphql_schema.capture import routes as capture_routes
    from graphql_schema.crm.webhooks import routes as crm_routes
    from graphql_schema.messaging.webhooks import routes as messaging_routes
    from graphql_schema.zapier import routes as zapier_routes

    return [*crm_routes(), *messaging_routes(), *capture_routes(), *zapier_routes()]


class DashboardFiles(StaticFiles):
    """The built single-page app: its files, and index.html for any other path under /app
    (client-side routes such as /app/listings/42 load the app, which routes in the browser)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            response = await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404 or path.startswith("assets/"):
                raise
            response = await super().get_response("index.html", scope)
        if path.startswith("assets/"):  # content-hashed names: cache for good
            response.headers["cache-control"] = "public, max-age=31536000, immutable"
        else:  # index.html must be re-read so a new build's assets are picked up
            response.headers["cache-control"] = "no-cache"
        return response


def dashboard_routes(folder: Path) -> list[BaseRoute]:
    """/app serves the dashboard when it is built; without it / leads to GraphiQL."""
    if not (folder / "index.html").is_file():
        return [Route("/", lambda _: RedirectResponse("/graphql"))]
    return [
        Mount("/app", DashboardFiles(directory=folder, html=True), name="dashboard"),
        Route("/", lambda _: RedirectResponse("/app/")),
    ]


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> Starlette:
    """The app; given a `runtime` (tests, embedding) it uses it instead of opening its own."""
    settings = runtime.settings if runtime is not None else settings or load_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if runtime is not None:
            yield
            return
        async with contextlib.AsyncExitStack() as stack:
            opened = await stack.enter_async_context(open_runtime(settings))
            app.state.runtime = opened
            if opened.redis is None:  # embedded: this process is the worker, sweeps included
                await stack.enter_async_context(run_periodic_in_process({"runtime": opened}))
            log.info("BR SCALE ready", extra={"postgres": settings.is_postgres})
            yield
            log.info("BR SCALE stopping: in-flight work finished, connections closed next")

    graphql = BrScaleGraphQL(
        schema,
        graphql_ide="graphiql" if settings.is_development else None,
        allow_queries_via_get=settings.is_development,
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL],
        keep_alive=True,
        keep_alive_interval=15,
        multipart_uploads_enabled=True,
        allowed_origins=settings.cors_origins,
    )
    routes: list[BaseRoute] = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        *export_routes(),
        *domain_routes(),
    ]
    routes.extend(dashboard_routes(DASHBOARD_DIR))
    middleware = [
        Middleware(RequestIdMiddleware),
        Middleware(
            BodyLimitMiddleware,
            upload_bytes=settings.import_max_bytes,
            body_bytes=settings.max_body_bytes,
        ),
    ]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_headers=["*"],
                allow_methods=["*"],
            )
        )
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={
            PoolTimeout: _busy,  # type: ignore[dict-item]  # HTTP and WebSocket in one handler
            HTTPException: _http_error,
            Exception: _internal_error,
        },
    )
    if runtime is not None:
        app.state.runtime = runtime
    return app


def app_factory() -> Starlette:
    """uvicorn's factory entry point: `uvicorn --factory graphql_schema.asgi:app_factory`."""
    configure_logging()
    return create_app()
