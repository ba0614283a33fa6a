"""`GET /exports/leads.csv`: every lead of the caller's brokerage, streamed a page at a time."""

from __future__ import annotations

from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from app.accounts.service import authenticate
from app.core.db import utcnow
from app.core.errors import DomainError, Unauthenticated
from app.core.runtime import Runtime
from app.leads import repository
from app.leads.export import csv_text, first_chunk, lead_row

PAGE = 1000


async def export_leads(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    authorization = request.headers.get("authorization") or ""
    try:
        if not authorization.lower().startswith("bearer "):
            raise Unauthenticated()
        async with runtime.session() as session:
            principal = await authenticate(session, runtime.tokens, authorization[7:].strip())
            await session.commit()  # records the API key's last use
        if principal is None:
            raise Unauthenticated()
        principal.require("leads:read")
        principal.require_manager("Exporting every lead")
    except DomainError as exc:
        status = 401 if exc.code == "UNAUTHENTICATED" else 403
        return JSONResponse(
            {"errors": [{"message": exc.message, "extensions": exc.extensions}]}, status
        )
    brokerage_id = principal.brokerage_id

    async def chunks() -> AsyncIterator[bytes]:
        yield first_chunk().encode()
        after, now = 0, utcnow()
        while True:
            # A short session per page: a slow download holds no connection in between.
            async with runtime.session() as session:
                page = await repository.leads_page(
                    session, brokerage_id, after_id=after, limit=PAGE
                )
            if not page:
                return
            yield csv_text(lead_row(lead, now) for lead in page).encode()
            after = page[-1].id

    return StreamingResponse(
        chunks(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="leads.csv"'},
    )


def routes() -> list[BaseRoute]:
    return [Route("/exports/leads.csv", export_leads, methods=["GET"])]
