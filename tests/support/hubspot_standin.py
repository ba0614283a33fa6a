"""A HubSpot-shaped server for tests: OAuth token endpoint (PKCE, client_secret_post, refresh),
short-lived tokens on an injectable clock, contacts paging/search/patch, notes with associations,
rate-limit headers, scripted 429s and 500s, and v3-signed webhook deliveries.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.fub_standin import iso


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class HubSpotStandIn:
    client_id: str = "hs-client"
    client_secret: str = "hs-client-secret"
    access_token_ttl: int = 1800
    rate_limit: int = 100
    clock: Callable[[], datetime] = _utc_now
    contacts: dict[int, dict[str, Any]] = field(default_factory=dict)
    notes: dict[int, dict[str, Any]] = field(default_factory=dict)
    note_links: dict[int, list[int]] = field(default_factory=dict)  # contact id -> note ids
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)  # method, path, token
    access_tokens: dict[str, datetime] = field(default_factory=dict)
    refresh_tokens: set[str] = field(default_factory=set)
    deals: dict[int, dict[str, Any]] = field(default_factory=dict)
    deal_links: dict[int, list[int]] = field(default_factory=dict)
    pipelines: list[dict[str, Any]] = field(
        default_factory=lambda: [
            {
                "id": "default",
                "label": "Sales Pipeline",
                "stages": [
                    {"id": sid, "label": label, "displayOrder": n}
                    for n, (sid, label) in enumerate(
                        [
                            ("appointmentscheduled", "Appointment Scheduled"),
                            ("qualifiedtobuy", "Qualified To Buy"),
                            ("presentationscheduled", "Presentation Scheduled"),
                            ("closedwon", "Closed Won"),
                            ("closedlost", "Closed Lost"),
                        ]
                    )
                ],
            },
            {
                "id": "rentals",
                "label": "Rentas",
                "stages": [
                    {"id": "r-visita", "label": "Visita", "displayOrder": 0},
                    {"id": "r-calificado", "label": "Calificado", "displayOrder": 1},
                ],
            },
        ]
    )
    token_grants: list[str] = field(default_factory=list)
    _codes: dict[str, dict[str, str]] = field(default_factory=dict)
    _scripted: deque[Response] = field(default_factory=deque)

    # -- scripting -------------------------------------------------------------------------
    def add_contact(self, contact_id: int, **properties: Any) -> dict[str, Any]:
        modified = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=contact_id)
        props = {
            "firstname": f"First{contact_id}",
            "lastname": f"Last{contact_id}",
            "email": f"contact{contact_id}@example.com",
            "phone": f"+1666{contact_id:07d}",
            "hs_lead_status": "NEW",
            "createdate": iso(modified),
            "lastmodifieddate": iso(modified),
            "hs_object_id": str(contact_id),
            **properties,
        }
        self.contacts[contact_id] = props
        return props

    def throttle_next(self, retry_after: int = 1) -> None:
        body = {"status": "error", "errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING"}
        self._scripted.append(
            JSONResponse(body, status_code=429, headers={"Retry-After": str(retry_after)})
        )

    def fail_next(self, status: int = 500) -> None:
        self._scripted.append(JSONResponse({"status": "error"}, status_code=status))

    def issue_token(self) -> tuple[str, str]:
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        self.access_tokens[access] = self.clock() + timedelta(seconds=self.access_token_ttl)
        self.refresh_tokens.add(refresh)
        return access, refresh

    def approve(self, authorize_url: str) -> dict[str, str]:
        """What the consent page does when the broker clicks "connect": callback parameters."""
        query = {k: v[0] for k, v in parse_qs(urlparse(authorize_url).query).items()}
        if query.get("client_id") != self.client_id or query.get("code_challenge_method") != "S256":
            raise ValueError("bad authorize request")
        code = secrets.token_urlsafe(16)
        self._codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "challenge": query["code_challenge"],
        }
        return {"code": code, "state": query["state"]}

    def signed_delivery(
        self, target_url: str, events: list[dict[str, Any]], *, timestamp_ms: int | None = None
    ) -> tuple[bytes, dict[str, str]]:
        body = json.dumps(events).encode()
        timestamp = str(
            timestamp_ms if timestamp_ms is not None else int(self.clock().timestamp() * 1000)
        )
        source = b"POST" + target_url.encode() + body + timestamp.encode()
        digest = hmac.new(self.client_secret.encode(), source, hashlib.sha256).digest()
        return body, {
            "X-HubSpot-Signature-v3": base64.b64encode(digest).decode(),
            "X-HubSpot-Request-Timestamp": timestamp,
            "Content-Type": "application/json",
        }

    # -- OAuth -----------------------------------------------------------------------------
    async def _token(self, request: Request) -> Response:
        if "authorization" in request.headers:
            return JSONResponse({"status": "BAD_CLIENT_ID"}, status_code=400)
        form = {k: str(v) for k, v in (await request.form()).items()}
        if form.get("client_id") != self.client_id or form.get("client_secret") != (
            self.client_secret
        ):
            return JSONResponse({"status": "BAD_CLIENT_ID"}, status_code=400)
        grant = form.get("grant_type")
        self.token_grants.append(str(grant))
        refresh = form.get("refresh_token", "")
        if grant == "authorization_code":
            pending = self._codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if (
                pending is None
                or pending["redirect_uri"] != form.get("redirect_uri")
                or pending["challenge"] != challenge
            ):
                return JSONResponse({"status": "BAD_AUTH_CODE"}, status_code=400)
            access, refresh = self.issue_token()
        elif grant == "refresh_token" and refresh in self.refresh_tokens:
            access, _ = self.issue_token()
        else:
            return JSONResponse({"status": "BAD_REFRESH_TOKEN"}, status_code=400)
        return JSONResponse(
            {
                "token_type": "bearer",
                "access_token": access,
                "refresh_token": refresh,
                "expires_in": self.access_token_ttl,
            }
        )

    # -- CRM API ---------------------------------------------------------------------------
    def _contact_json(self, contact_id: int, properties: list[str] | None) -> dict[str, Any]:
        props = self.contacts[contact_id]
        shown = {k: v for k, v in props.items() if properties is None or k in properties}
        return {
            "id": str(contact_id),
            "properties": shown,
            "createdAt": props["createdate"],
            "updatedAt": props["lastmodifieddate"],
            "archived": False,
        }

    def _page(
        self, ids: list[int], after: str | None, limit: int, properties: list[str] | None
    ) -> dict[str, Any]:
        start = int(after) if after else 0
        page = ids[start : start + min(limit, 100)]
        body: dict[str, Any] = {"results": [self._contact_json(i, properties) for i in page]}
        if start + len(page) < len(ids):
            body["paging"] = {"next": {"after": str(start + len(page)), "link": "?after=..."}}
        return body

    def _gate(self, request: Request) -> Response | None:
        token = request.headers.get("authorization", "").removeprefix("Bearer ") or None
        self.requests.append((request.method, request.url.path, token))
        if self._scripted:
            return self._scripted.popleft()
        expires = self.access_tokens.get(token or "")
        if expires is None or expires <= self.clock():
            return JSONResponse(
                {"status": "error", "category": "EXPIRED_AUTHENTICATION"}, status_code=401
            )
        return None

    async def _dispatch(self, request: Request) -> Response:
        response = self._gate(request) or await self._route(request)
        response.headers.update(
            {
                "X-HubSpot-RateLimit-Max": str(self.rate_limit),
                "X-HubSpot-RateLimit-Remaining": str(self.rate_limit - 1),
                "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
            }
        )
        return response

    async def _route(self, request: Request) -> Response:
        path, method, query = request.url.path, request.method, request.query_params
        properties = query["properties"].split(",") if "properties" in query else None
        base = "/crm/v3/objects/contacts"
        if path == base and method == "GET":
            ids = sorted(self.contacts)
            return JSONResponse(
                self._page(ids, query.get("after"), int(query.get("limit", 10)), properties)
            )
        if path == f"{base}/search" and method == "POST":
            return JSONResponse(self._search(await request.json()))
        if path.startswith(f"{base}/"):
            contact_id = int(path.rsplit("/", 1)[1])
            if contact_id not in self.contacts:
                return JSONResponse({"status": "error", "category": "OBJECT_NOT_FOUND"}, 404)
            if method == "PATCH":
                self.contacts[contact_id].update((await request.json())["properties"])
                self.contacts[contact_id]["lastmodifieddate"] = iso(self.clock())
            body = self._contact_json(contact_id, properties)
            if query.get("associations") == "notes":
                links = [
                    {"id": str(n), "type": "contact_to_note"}
                    for n in self.note_links.get(contact_id, [])
                ]
                body["associations"] = {"notes": {"results": links}}
            if query.get("associations") == "deals":
                links = [
                    {"id": str(n), "type": "contact_to_deal"}
                    for n in self.deal_links.get(contact_id, [])
                ]
                body["associations"] = {"deals": {"results": links}}
            return JSONResponse(body)
        if path == "/crm/v3/pipelines/deals" and method == "GET":
            return JSONResponse({"results": self.pipelines})
        if path == "/crm/v3/objects/deals" and method == "POST":
            return self._create_deal(await request.json())
        if path == "/crm/v3/objects/deals/batch/read" and method == "POST":
            wanted = [int(i["id"]) for i in (await request.json())["inputs"]]
            results = [
                {"id": str(i), "properties": self.deals[i]} for i in wanted if i in self.deals
            ]
            return JSONResponse({"status": "COMPLETE", "results": results})
        if path.startswith("/crm/v3/objects/deals/") and method == "PATCH":
            deal_id = int(path.rsplit("/", 1)[1])
            if deal_id not in self.deals:
                return JSONResponse({"status": "error", "category": "OBJECT_NOT_FOUND"}, 404)
            properties = (await request.json())["properties"]
            if error := self._bad_stage(properties, self.deals[deal_id]):
                return error
            self.deals[deal_id].update(properties)
            return JSONResponse({"id": str(deal_id), "properties": self.deals[deal_id]})
        if path == "/crm/v3/objects/notes" and method == "POST":
            return self._create_note(await request.json())
        if path == "/crm/v3/objects/notes/batch/read" and method == "POST":
            wanted = [int(i["id"]) for i in (await request.json())["inputs"]]
            results = [
                {"id": str(i), "properties": self.notes[i]} for i in wanted if i in self.notes
            ]
            return JSONResponse({"status": "COMPLETE", "results": results})
        return JSONResponse({"status": "error", "message": "no route"}, status_code=404)

    def _search(self, body: dict[str, Any]) -> dict[str, Any]:
        ids = list(self.contacts)
        for group in body.get("filterGroups", []):
            for f in group["filters"]:
                assert f["propertyName"] == "lastmodifieddate" and f["operator"] == "GTE"
                floor = datetime.fromtimestamp(int(f["value"]) / 1000, UTC)
                ids = [
                    i
                    for i in ids
                    if datetime.fromisoformat(self.contacts[i]["lastmodifieddate"]) >= floor
                ]
        ids.sort(key=lambda i: (self.contacts[i]["lastmodifieddate"], i))
        page = self._page(ids, body.get("after"), int(body.get("limit", 10)), body["properties"])
        return {"total": len(ids), **page}

    def _bad_stage(self, properties: dict[str, Any], current: dict[str, Any]) -> Response | None:
        pipeline_id = properties.get("pipeline", current.get("pipeline"))
        stage = properties.get("dealstage", current.get("dealstage"))
        pipeline = next((p for p in self.pipelines if p["id"] == pipeline_id), None)
        if pipeline is None or stage not in {st["id"] for st in pipeline["stages"]}:
            return JSONResponse(
                {"status": "error", "category": "VALIDATION_ERROR", "message": "bad stage"}, 400
            )
        return None

    def _create_deal(self, body: dict[str, Any]) -> Response:
        properties = dict(body["properties"])
        if error := self._bad_stage(properties, {}):
            return error
        deal_id = len(self.deals) + 1
        self.deals[deal_id] = properties
        for association in body.get("associations", []):
            assert association["types"][0]["associationTypeId"] == 3
            self.deal_links.setdefault(int(association["to"]["id"]), []).append(deal_id)
        return JSONResponse({"id": str(deal_id), "properties": properties}, status_code=201)

    def _create_note(self, body: dict[str, Any]) -> Response:
        note_id = len(self.notes) + 1
        self.notes[note_id] = dict(body["properties"])
        for association in body.get("associations", []):
            assert association["types"][0]["associationTypeId"] == 202
            contact_id = int(association["to"]["id"])
            self.note_links.setdefault(contact_id, []).append(note_id)
        return JSONResponse(
            {"id": str(note_id), "properties": self.notes[note_id]}, status_code=201
        )

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/oauth/v1/token", self._token, methods=["POST"]),
                Route("/{path:path}", self._dispatch, methods=["GET", "POST", "PATCH"]),
            ]
        )
