"""A Follow Up Boss-shaped server for tests: Basic/Bearer auth with X-System checks, people and
notes with `next` paging, rate-limit headers, scripted 429s and 500s, an outage (429s with
`Retry-After` and 500s in turn for a while, every answer logged), OAuth tokens, signed webhooks.

`serve_app` (a Starlette app on a free loopback port, in a thread) is shared with the HubSpot one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@contextmanager
def serve_app(app: Starlette) -> Iterator[str]:
    """Run `app` with uvicorn on 127.0.0.1 (free port) in a thread; yield its base URL."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("stand-in server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"after:{last_id}".encode()).decode()


def _after(cursor: str) -> int:
    return int(base64.urlsafe_b64decode(cursor.encode()).decode().split(":")[1])


@dataclass
class FubStandIn:
    system: str = "BRSCALE"
    system_key: str = "fub-system-key"
    api_keys: set[str] = field(default_factory=lambda: {"fub-key-broker"})
    revoked_keys: set[str] = field(default_factory=set)
    client_id: str = "fub-client"
    client_secret: str = "fub-client-secret"
    rate_limit: int = 250
    window_seconds: int = 10
    people: dict[int, dict[str, Any]] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)
    webhooks: dict[int, dict[str, Any]] = field(default_factory=dict)
    text_messages: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    # Only the account owner may manage webhooks; keys here are other users' (403).
    non_owner_keys: set[str] = field(default_factory=set)
    requests: list[tuple[str, str]] = field(default_factory=list)
    access_tokens: set[str] = field(default_factory=set)
    refresh_tokens: set[str] = field(default_factory=set)
    _codes: dict[str, str] = field(default_factory=dict)
    _scripted: deque[Response] = field(default_factory=deque)
    _hits: deque[float] = field(default_factory=deque)
    # The largest page `GET` lists answer (FUB's is 100); smaller makes an import span pages.
    max_page: int = 100
    # (monotonic time, status, Retry-After seconds or None) of every answer given in an outage.
    outage_answers: list[tuple[float, int, float | None]] = field(default_factory=list)
    # Monotonic times of every request (an outage's answers are checked against them).
    request_times: list[float] = field(default_factory=list)
    _outage: tuple[float, int] | None = None  # (seconds, Retry-After) armed, not yet started
    _outage_ends: float = 0.0
    _retry_after: int = 5

    # -- scripting -------------------------------------------------------------------------
    def add_person(self, person_id: int, **fields: Any) -> dict[str, Any]:
        now = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=person_id)
        person = {
            "id": person_id,
            "created": iso(now),
            "updated": iso(now),
            "firstName": f"First{person_id}",
            "lastName": f"Last{person_id}",
            "stage": "Lead",
            "source": "Zillow",
            "tags": [],
            "emails": [{"value": f"person{person_id}@example.com", "type": "home"}],
            "phones": [{"value": f"+1555{person_id:07d}", "type": "mobile"}],
            "price": 0,
            "background": None,
            "lastActivity": None,
            **fields,
        }
        self.people[person_id] = person
        return person

    def throttle_next(self, retry_after: int = 1) -> None:
        self._scripted.append(
            JSONResponse(
                {"errorMessage": "Rate limit exceeded"},
                status_code=429,
                headers={"Retry-After": str(retry_after)},
            )
        )

    def outage(self, seconds: float, retry_after: int = 5) -> None:
        """From the next request on, for `seconds`: every request is answered 429 (with
        `Retry-After: retry_after`) and 500 in turn."""
        self._outage = (seconds, retry_after)

    def end_outage(self) -> None:
        self._outage, self._outage_ends = None, 0.0

    @property
    def in_outage(self) -> bool:
        return self._outage is not None or time.monotonic() < self._outage_ends

    def early_requests(self, slack: float = 0.25) -> int:
        """Requests that came before a 429's `Retry-After` had passed."""
        early = 0
        for at in self.request_times:
            blocked_until = max(
                (t + wait for t, status, wait in self.outage_answers if t < at and wait), default=0
            )
            early += at < blocked_until - slack
        return early

    def _outage_answer(self, now: float) -> Response | None:
        if self._outage is not None:
            seconds, self._retry_after = self._outage
            self._outage, self._outage_ends = None, now + seconds
        if now >= self._outage_ends:
            return None
        if len(self.outage_answers) % 2 == 0:
            self.outage_answers.append((now, 429, float(self._retry_after)))
            return JSONResponse(
                {"errorMessage": "Rate limit exceeded"},
                status_code=429,
                headers={"Retry-After": str(self._retry_after)},
            )
        self.outage_answers.append((now, 500, None))
        return JSONResponse({"errorMessage": "boom"}, status_code=500)

    def fail_next(self, status: int = 500) -> None:
        self._scripted.append(JSONResponse({"errorMessage": "boom"}, status_code=status))

    def issue_code(self, redirect_uri: str) -> str:
        """What FUB's consent page does on "approve": a single-use code for that redirect URI."""
        code = secrets.token_urlsafe(16)
        self._codes[code] = redirect_uri
        return code

    def signed_webhook(
        self, event: str, resource_ids: list[int], *, created: datetime | None = None
    ) -> tuple[bytes, dict[str, str]]:
        ids = ",".join(str(i) for i in resource_ids)
        body = json.dumps(
            {
                "eventId": secrets.token_hex(16),
                "eventCreated": iso(created or datetime.now(UTC)),
                "event": event,
                "resourceIds": resource_ids,
                "uri": f"https://api.followupboss.com/v1/people?id={ids}",
            }
        ).encode()
        signature = hmac.new(
            self.system_key.encode(), base64.b64encode(body), hashlib.sha256
        ).hexdigest()
        return body, {"FUB-Signature": signature, "X-System": self.system}

    # -- HTTP ------------------------------------------------------------------------------
    def _limit_headers(self) -> dict[str, str]:
        now = time.monotonic()
        while self._hits and self._hits[0] < now - self.window_seconds:
            self._hits.popleft()
        return {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(max(0, self.rate_limit - len(self._hits))),
            "X-RateLimit-Window": str(self.window_seconds),
            "X-RateLimit-Context": "global",
        }

    def _gate(self, request: Request) -> Response | None:
        self.requests.append((request.method, request.url.path))
        now = time.monotonic()
        self._hits.append(now)
        self.request_times.append(now)
        if (answer := self._outage_answer(now)) is not None:
            return answer
        if self._scripted:
            return self._scripted.popleft()
        if (
            request.headers.get("x-system") != self.system
            or request.headers.get("x-system-key") != self.system_key
        ):
            return JSONResponse({"errorMessage": "Unknown system"}, status_code=403)
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme == "Basic":
            key = base64.b64decode(value).decode().split(":", 1)[0]
            if key in self.api_keys and key not in self.revoked_keys:
                return None
        elif scheme == "Bearer" and value in self.access_tokens:
            return None
        return JSONResponse({"errorMessage": "Invalid API key"}, status_code=401)

    def _caller_key(self, request: Request) -> str | None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        return base64.b64decode(value).decode().split(":", 1)[0] if scheme == "Basic" else None

    async def _webhook_route(self, request: Request) -> Response:
        """`/v1/webhooks[/:id]`: the caller's account's webhooks (an API key stands for its
        account here); owner only; at most 2 webhooks per event for a system and account."""
        key = self._caller_key(request)
        if key in self.non_owner_keys:
            return JSONResponse(
                {"errorMessage": "Only the account owner can manage webhooks"}, status_code=403
            )
        path, method = request.url.path, request.method
        if path == "/v1/webhooks" and method == "GET":
            mine = [w for w in self.webhooks.values() if w["account_key"] == key]
            return self._paged("webhooks", sorted(mine, key=lambda w: w["id"]), request)
        if path == "/v1/webhooks" and method == "POST":
            body = await request.json()
            if not str(body.get("url", "")).startswith(("https://", "http://")):
                return JSONResponse({"errorMessage": "url is invalid"}, status_code=400)
            same_event = [
                w
                for w in self.webhooks.values()
                if w["event"] == body.get("event") and w["account_key"] == key
            ]
            if len(same_event) >= 2:
                return JSONResponse(
                    {"errorMessage": "Limit of 2 webhooks per event reached"}, status_code=400
                )
            webhook_id = max(self.webhooks, default=0) + 1
            self.webhooks[webhook_id] = {
                "id": webhook_id,
                "event": body.get("event"),
                "url": body.get("url"),
                "status": "Active",
                "system": request.headers.get("x-system"),
                "account_key": key,
            }
            return JSONResponse(self.webhooks[webhook_id], status_code=201)
        webhook_id = int(path.rsplit("/", 1)[1])
        if self.webhooks.get(webhook_id, {}).get("account_key") != key:
            return JSONResponse({"errorMessage": "Not found"}, status_code=404)
        if method == "DELETE":
            del self.webhooks[webhook_id]
            return Response(status_code=204)
        return JSONResponse(self.webhooks[webhook_id])

    async def _dispatch(self, request: Request) -> Response:
        denied = self._gate(request)
        response = denied or await self._route(request)
        response.headers.update(self._limit_headers())
        return response

    async def _route(self, request: Request) -> Response:
        path, method = request.url.path, request.method
        if path == "/v1/webhooks" or path.startswith("/v1/webhooks/"):
            return await self._webhook_route(request)
        if path == "/v1/me":
            return JSONResponse({"id": 1, "name": "Broker Owner", "role": "Broker"})
        if path == "/v1/people" and method == "GET":
            return self._list_people(request)
        if path.startswith("/v1/people/"):
            person = self.people.get(int(path.rsplit("/", 1)[1]))
            if person is None:
                return JSONResponse({"errorMessage": "Not found"}, status_code=404)
            if method == "PUT":
                update = await request.json()
                person.update({k: update[k] for k in ("tags", "stage") if k in update})
                person["updated"] = iso(datetime.now(UTC))
            return JSONResponse(person)
        if path == "/v1/tasks" and method == "GET":
            person_id = int(request.query_params["personId"])
            return self._paged(
                "tasks", [t for t in self.tasks if t["personId"] == person_id], request
            )
        if path == "/v1/tasks" and method == "POST":
            task = await request.json()
            task = {"id": len(self.tasks) + 1, "assignedUserId": 1, "isCompleted": False, **task}
            self.tasks.append(task)
            return JSONResponse(task, status_code=201)
        if path == "/v1/textMessages" and method == "GET":
            person_id = int(request.query_params["personId"])
            texts = [t for t in self.text_messages if t["personId"] == person_id]
            return self._paged("textMessages", texts, request)
        if path == "/v1/textMessages" and method == "POST":
            text = await request.json()
            missing = {"personId", "message", "isIncoming"} - set(text)
            if missing:
                return JSONResponse({"errorMessage": f"missing {sorted(missing)}"}, status_code=400)
            text = {"id": len(self.text_messages) + 1, **text}
            self.text_messages.append(text)
            return JSONResponse(text, status_code=201)
        if path == "/v1/notes" and method == "GET":
            person_id = int(request.query_params["personId"])
            notes = [n for n in self.notes if n["personId"] == person_id]
            return self._paged("notes", notes, request)
        if path == "/v1/notes" and method == "POST":
            note = await request.json()
            note = {"id": len(self.notes) + 1, **note}
            self.notes.append(note)
            return JSONResponse(note, status_code=201)
        return JSONResponse({"errorMessage": "No route"}, status_code=404)

    def _list_people(self, request: Request) -> Response:
        people = sorted(self.people.values(), key=lambda p: p["id"], reverse=True)
        if ids := request.query_params.get("id"):
            wanted = {int(i) for i in ids.split(",")}
            people = [p for p in people if p["id"] in wanted]
        if since := request.query_params.get("updatedAfter"):
            floor = datetime.fromisoformat(since)
            people = [p for p in people if datetime.fromisoformat(p["updated"]) >= floor]
        return self._paged("people", people, request)

    def _paged(self, collection: str, items: list[dict[str, Any]], request: Request) -> Response:
        limit = min(int(request.query_params.get("limit", 10)), self.max_page)
        if cursor := request.query_params.get("next"):
            last = _after(cursor)
            position = next((i for i, x in enumerate(items) if x["id"] == last), len(items))
            start = position + 1
        else:
            start = 0
        page = items[start : start + limit]
        more = start + limit < len(items)
        metadata = {
            "collection": collection,
            "offset": start,
            "limit": limit,
            "total": len(items),
            "next": _cursor(page[-1]["id"]) if more else None,
            "nextLink": None,
        }
        return JSONResponse({"_metadata": metadata, collection: page})

    async def _token(self, request: Request) -> Response:
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        form = await request.form()
        grant = form.get("grant_type")
        if grant == "authorization_code":
            if self._codes.pop(str(form.get("code")), None) != form.get("redirect_uri"):
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
        elif grant == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
        else:
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        self.access_tokens.add(access)
        self.refresh_tokens.add(refresh)
        return JSONResponse(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": 3600,
                "refresh_token": refresh,
            }
        )

    def app(self) -> Starlette:
        methods = ["GET", "POST", "PUT", "DELETE"]
        return Starlette(
            routes=[
                Route("/oauth/token", self._token, methods=["POST"]),
                Route("/{path:path}", self._dispatch, methods=methods),
            ]
        )
