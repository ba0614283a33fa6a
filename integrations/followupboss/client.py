"""Follow Up Boss API v1 client: people paging, webhook re-fetch and idempotent write-back."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from integrations.crm import (
    ContactPage,
    CrmContact,
    CrmNotFound,
    DealPipeline,
    Milestone,
    TimelineEntry,
    WebhookRegistration,
    WriteBack,
    WriteBackResult,
    write_back_marker,
)
from integrations.crm_transport import CrmTransport
from integrations.followupboss.mapping import PERSON_FIELDS, fub_quota, person_to_contact
from integrations.followupboss.webhooks import PEOPLE_EVENTS, FubWebhookEvent
from integrations.http import DEFAULT_POLICY, RetryPolicy
from integrations.oauth import TokenSource
from integrations.ratelimit import InMemoryTokenBucket, RateLimiter

API_URL = "https://api.followupboss.com"
MAX_PAGE_SIZE = 100
# Published default for a registered system: 250 requests per sliding 10 s; headers then rule.
DEFAULT_LIMIT, DEFAULT_WINDOW = 250, 10.0
# Incremental filter: `updatedAfter` per the wrappers in external-apis.md 1.5 (unconfirmed there).
UPDATED_FILTER = "updatedAfter"
# Tags BR SCALE owns on a person; every other tag belongs to the broker and is kept.
TAG_PREFIX = "BR SCALE"


@dataclass(frozen=True)
class FubApiKey:
    """A user's API key: sent as the Basic username with an empty password."""

    api_key: str


FubCredentials = FubApiKey | TokenSource


class FollowUpBossClient:
    provider = "followupboss"

    def __init__(
        self,
        http: httpx.AsyncClient,
        api_url: str,
        credentials: FubCredentials,
        system: str,
        system_key: str,
        *,
        account_key: str,
        limiter: RateLimiter | None = None,
        page_size: int = MAX_PAGE_SIZE,
        policy: RetryPolicy = DEFAULT_POLICY,
    ) -> None:
        self._http = http
        self._api_url = api_url.rstrip("/")
        self._credentials = credentials
        self._system_headers = {"X-System": system, "X-System-Key": system_key}
        self._page_size = min(page_size, MAX_PAGE_SIZE)
        self._transport = CrmTransport(
            http,
            provider_name="Follow Up Boss",
            limiter=limiter or InMemoryTokenBucket(DEFAULT_LIMIT, DEFAULT_WINDOW),
            limit_key=f"followupboss:{account_key}:global",
            read_quota=fub_quota,
            policy=policy,
        )

    async def _authorization(self) -> str:
        # API keys must go as Basic and OAuth tokens as Bearer: FUB rejects the mix.
        if isinstance(self._credentials, FubApiKey):
            basic = base64.b64encode(f"{self._credentials.api_key}:".encode()).decode()
            return f"Basic {basic}"
        return f"Bearer {await self._credentials.access_token()}"

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        def build(authorization: str) -> httpx.Request:
            headers = {**self._system_headers, "Authorization": authorization}
            return self._http.build_request(
                method, f"{self._api_url}{path}", params=params, json=json, headers=headers
            )

        idempotent = method in ("GET", "PUT")
        if isinstance(self._credentials, FubApiKey):
            response = await self._transport.send(
                build(await self._authorization()), idempotent=idempotent
            )
        else:  # an OAuth token that lapsed early is refreshed once and the call sent again
            response = await self._transport.send_with_token(
                self._credentials, lambda token: build(f"Bearer {token}"), idempotent=idempotent
            )
        return response.json() if response.content else None

    async def me(self) -> dict[str, Any]:
        """The user behind the credential (`GET /v1/me`): how a new API key is checked."""
        result: dict[str, Any] = await self._call("GET", "/v1/me")
        return result

    async def _people_page(self, params: dict[str, Any], cursor: str | None) -> ContactPage:
        query = {"limit": self._page_size, "fields": PERSON_FIELDS, **params}
        if cursor:
            query["next"] = cursor
        body = await self._call("GET", "/v1/people", params=query)
        people = body.get("people") or []
        return ContactPage(
            contacts=[person_to_contact(p) for p in people],
            next_cursor=(body.get("_metadata") or {}).get("next") or None,
        )

    async def list_contacts(self, cursor: str | None = None) -> ContactPage:
        return await self._people_page({}, cursor)

    async def list_updated_since(self, since: datetime, cursor: str | None = None) -> ContactPage:
        since_utc = since.astimezone(UTC).isoformat().replace("+00:00", "Z")
        return await self._people_page({UPDATED_FILTER: since_utc}, cursor)

    async def get_contact(self, external_id: str) -> CrmContact:
        person = await self._call(
            "GET", f"/v1/people/{external_id}", params={"fields": PERSON_FIELDS}
        )
        return person_to_contact(person)

    async def fetch_webhook_resources(self, event: FubWebhookEvent) -> list[CrmContact]:
        """Re-fetch the people a webhook names (the payload is a thin notification)."""
        if event.event not in PEOPLE_EVENTS or not event.resource_ids:
            return []
        contacts: list[CrmContact] = []
        for start in range(0, len(event.resource_ids), MAX_PAGE_SIZE):
            ids = ",".join(event.resource_ids[start : start + MAX_PAGE_SIZE])
            page = await self._people_page({"id": ids}, None)
            contacts.extend(page.contacts)
        return contacts

    async def contacts_for_webhook(self, payload: dict[str, Any]) -> list[CrmContact]:
        event = FubWebhookEvent(
            event_id=str(payload.get("event_id") or ""),
            event=str(payload.get("event")),
            resource_ids=[str(r) for r in payload.get("resource_ids") or []],
            uri=payload.get("uri"),
            created_at=None,
        )
        return await self.fetch_webhook_resources(event)

    async def _webhooks(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": MAX_PAGE_SIZE}
            if cursor:
                params["next"] = cursor
            body = await self._call("GET", "/v1/webhooks", params=params)
            found.extend(body.get("webhooks") or [])
            cursor = (body.get("_metadata") or {}).get("next")
            if not cursor:
                return found

    async def register_webhooks(self, callback_url: str) -> WebhookRegistration:
        """One webhook per people event, all to this connection's own URL.

        FUB's payload carries no account id, so the URL is what tells brokerages apart. Only the
        account's owner may create webhooks: another user's key gets `CrmAuthError`. Webhooks
        of ours that point at another URL (an older address of this server) are left alone.
        """
        existing = {
            str(w.get("event")): str(w["id"])
            for w in await self._webhooks()
            if w.get("url") == callback_url and w.get("status", "Active") == "Active"
        }
        ids = []
        for event in sorted(PEOPLE_EVENTS):
            if event not in existing:
                created = await self._call(
                    "POST", "/v1/webhooks", json={"event": event, "url": callback_url}
                )
                existing[event] = str(created["id"])
            ids.append(existing[event])
        return WebhookRegistration(ids=ids)

    async def unregister_webhooks(self, ids: list[str]) -> None:
        for webhook_id in ids:
            try:
                await self._call("DELETE", f"/v1/webhooks/{webhook_id}")
            except CrmNotFound:
                continue

    async def _find_text(self, person_id: str, link: str) -> str | None:
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"personId": person_id, "limit": MAX_PAGE_SIZE}
            if cursor:
                params["next"] = cursor
            body = await self._call("GET", "/v1/textMessages", params=params)
            for text in body.get("textMessages") or []:
                if text.get("externalUrl") == link:
                    return str(text["id"])
            cursor = (body.get("_metadata") or {}).get("next")
            if not cursor:
                return None

    async def record_milestone(self, milestone: Milestone) -> str:
        """A call task for the person's assigned agent (FUB assigns it to the person's agent
        when none is named); the broker's stage is left alone. Found again by its name."""
        due = milestone.due.date().isoformat()
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"personId": milestone.external_id, "limit": MAX_PAGE_SIZE}
            if cursor:
                params["next"] = cursor
            body = await self._call("GET", "/v1/tasks", params=params)
            for task in body.get("tasks") or []:
                if task.get("name") == milestone.task_title:
                    return str(task["id"])
            cursor = (body.get("_metadata") or {}).get("next")
            if not cursor:
                break
        task = await self._call(
            "POST",
            "/v1/tasks",
            json={
                "personId": int(milestone.external_id),
                "name": milestone.task_title,
                "type": "Call",
                "dueDate": due,
            },
        )
        return str(task["id"])

    async def deal_pipelines(self) -> list[DealPipeline]:
        return []  # deals and stages in FUB stay the broker's

    async def log_timeline(self, entry: TimelineEntry) -> str:
        """Texts as FUB text-message records (a log only: FUB sends nothing; registered systems
        only) linking back to the conversation, found again by that link; e-mails as notes
        carrying the marker."""
        if entry.channel == "SMS" and entry.lead_phone:
            found = await self._find_text(entry.external_id, entry.link)
            if found is not None:
                return found
            text = await self._call(
                "POST",
                "/v1/textMessages",
                json={
                    "personId": int(entry.external_id),
                    "message": entry.body,
                    "isIncoming": entry.incoming,
                    "toNumber": entry.our_phone if entry.incoming else entry.lead_phone,
                    "fromNumber": entry.lead_phone if entry.incoming else entry.our_phone,
                    "externalLabel": entry.heading,
                    "externalUrl": entry.link,
                },
            )
            return str(text["id"])
        marker = write_back_marker(entry.idempotency_key)
        note_id = await self._find_note(entry.external_id, marker)
        if note_id is not None:
            return note_id
        note = await self._call(
            "POST",
            "/v1/notes",
            json={
                "personId": int(entry.external_id),
                "subject": entry.heading,
                "body": f"{entry.body}\n\n{marker}",
                "isHtml": False,
            },
        )
        return str(note["id"])

    async def _find_note(self, person_id: str, marker: str) -> str | None:
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"personId": person_id, "limit": MAX_PAGE_SIZE}
            if cursor:
                params["next"] = cursor
            body = await self._call("GET", "/v1/notes", params=params)
            for note in body.get("notes") or []:
                if marker in (note.get("body") or ""):
                    return str(note["id"])
            cursor = (body.get("_metadata") or {}).get("next")
            if not cursor:
                return None

    async def write_back(self, write: WriteBack) -> WriteBackResult:
        """A note (once per idempotency key), BR SCALE's tags, and the stage when asked.

        Idempotency: the note body ends with `write_back_marker(key)`; before posting, the
        person's notes are searched for it. Callers serialise write-backs per lead (one job id
        per conversation step), so check-then-create does not race with itself.
        """
        person = await self._call("GET", f"/v1/people/{write.external_id}")
        if person is None:
            raise CrmNotFound("Follow Up Boss has no such person.")
        marker = write_back_marker(write.idempotency_key)
        note_id = await self._find_note(write.external_id, marker)
        created = note_id is None
        if note_id is None:
            note = await self._call(
                "POST",
                "/v1/notes",
                json={
                    "personId": int(write.external_id),
                    "subject": write.subject,
                    "body": f"{write.note}\n\n{marker}",
                    "isHtml": False,
                },
            )
            note_id = str(note["id"])
        update: dict[str, Any] = {"tags": brscale_tags(person.get("tags") or [], write)}
        if write.crm_status:
            update["stage"] = write.crm_status
        await self._call("PUT", f"/v1/people/{write.external_id}", json=update)
        return WriteBackResult(note_id=note_id, created=created)


def brscale_tags(current: list[str], write: WriteBack) -> list[str]:
    """The broker's own tags untouched, BR SCALE's replaced by the current ones."""
    kept = [t for t in current if not str(t).startswith(TAG_PREFIX)]
    return [*kept, *write.tags]
