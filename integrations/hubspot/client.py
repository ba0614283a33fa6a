"""HubSpot CRM v3 client: contacts paging and search, webhook re-fetch, idempotent write-back."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import httpx

from integrations.crm import (
    ContactPage,
    CrmContact,
    CrmNotFound,
    DealPipeline,
    DealStage,
    Milestone,
    TimelineEntry,
    WebhookRegistration,
    WriteBack,
    WriteBackResult,
    write_back_marker,
)
from integrations.crm_transport import CrmTransport
from integrations.http import DEFAULT_POLICY, RetryPolicy
from integrations.hubspot.mapping import CONTACT_PROPERTIES, contact_to_crm, hubspot_quota
from integrations.hubspot.webhooks import HubSpotWebhookEvent, parse_hubspot_events
from integrations.oauth import TokenSource
from integrations.ratelimit import InMemoryTokenBucket, RateLimiter

API_URL = "https://api.hubapi.com"
MAX_PAGE_SIZE = 100
# Public apps: about 100 requests per 10 s per installed account; headers then rule.
DEFAULT_LIMIT, DEFAULT_WINDOW = 100, 10.0
NOTE_TO_CONTACT = 202  # HUBSPOT_DEFINED association type note -> contact
DEAL_TO_CONTACT = 3  # HUBSPOT_DEFINED association type deal -> contact
CONTACT_EVENTS_TO_FETCH = frozenset(
    {"contact.creation", "contact.propertyChange", "contact.restore", "contact.merge"}
)


class HubSpotClient:
    provider = "hubspot"

    def __init__(
        self,
        http: httpx.AsyncClient,
        tokens: TokenSource,
        *,
        account_key: str,
        api_url: str = API_URL,
        limiter: RateLimiter | None = None,
        page_size: int = MAX_PAGE_SIZE,
        properties: Iterable[str] = CONTACT_PROPERTIES,
        score_property: str | None = None,
        policy: RetryPolicy = DEFAULT_POLICY,
    ) -> None:
        """`score_property`: a custom contact property for the score, if the portal has one."""
        self._http = http
        self._tokens = tokens
        self._api_url = api_url.rstrip("/")
        self._page_size = min(page_size, MAX_PAGE_SIZE)
        self._properties = list(properties)
        self._score_property = score_property
        self._transport = CrmTransport(
            http,
            provider_name="HubSpot",
            limiter=limiter or InMemoryTokenBucket(DEFAULT_LIMIT, DEFAULT_WINDOW),
            limit_key=f"hubspot:{account_key}",
            read_quota=hubspot_quota,
            policy=policy,
        )

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        # The token is looked up per request: a refresh due mid-paging happens right here.
        def build(token: str) -> httpx.Request:
            headers = {"Authorization": f"Bearer {token}"}
            return self._http.build_request(
                method, f"{self._api_url}{path}", params=params, json=json, headers=headers
            )

        safe = method in ("GET", "PATCH") if idempotent is None else idempotent
        response = await self._transport.send_with_token(self._tokens, build, idempotent=safe)
        return response.json() if response.content else None

    @staticmethod
    def _page(body: dict[str, Any]) -> ContactPage:
        after = ((body.get("paging") or {}).get("next") or {}).get("after")
        return ContactPage(
            contacts=[contact_to_crm(c) for c in body.get("results") or []],
            next_cursor=str(after) if after else None,
        )

    async def list_contacts(self, cursor: str | None = None) -> ContactPage:
        params: dict[str, Any] = {
            "limit": self._page_size,
            "properties": ",".join(self._properties),
            "archived": "false",
        }
        if cursor:
            params["after"] = cursor
        return self._page(await self._call("GET", "/crm/v3/objects/contacts", params=params))

    async def list_updated_since(self, since: datetime, cursor: str | None = None) -> ContactPage:
        """Contacts with `lastmodifieddate >= since`, oldest change first.

        Search stops at 10,000 results per query: for a bigger backlog, start a new query from
        the last `updated_at` seen instead of paging further.
        """
        body: dict[str, Any] = {
            "filterGroups": [
                {
                    "filters": [
                        {
                            "propertyName": "lastmodifieddate",
                            "operator": "GTE",
                            "value": str(int(since.astimezone(UTC).timestamp() * 1000)),
                        }
                    ]
                }
            ],
            "sorts": [{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}],
            "properties": self._properties,
            "limit": self._page_size,
        }
        if cursor:
            body["after"] = cursor
        result = await self._call(
            "POST", "/crm/v3/objects/contacts/search", json=body, idempotent=True
        )
        return self._page(result)

    async def _contact_json(self, external_id: str, associations: str | None = None) -> Any:
        params = {"properties": ",".join(self._properties)}
        if associations:
            params["associations"] = associations
        return await self._call("GET", f"/crm/v3/objects/contacts/{external_id}", params=params)

    async def get_contact(self, external_id: str) -> CrmContact:
        return contact_to_crm(await self._contact_json(external_id))

    async def fetch_webhook_resources(
        self, events: Iterable[HubSpotWebhookEvent]
    ) -> list[CrmContact]:
        """Re-fetch each contact the events name once; contacts gone since are skipped."""
        ids = dict.fromkeys(
            e.object_id for e in events if e.subscription_type in CONTACT_EVENTS_TO_FETCH
        )
        contacts = []
        for contact_id in ids:
            try:
                contacts.append(await self.get_contact(contact_id))
            except CrmNotFound:
                continue
        return contacts

    async def contacts_for_webhook(self, payload: dict[str, Any]) -> list[CrmContact]:
        return await self.fetch_webhook_resources(
            parse_hubspot_events(json.dumps([payload["event"]]).encode())
        )

    async def register_webhooks(self, callback_url: str) -> WebhookRegistration:
        """HubSpot subscriptions belong to the app, not to a portal: one set, set up with the
        app, delivers every installed portal's events with its `portalId`, by which
        `crm_sync` routes them. Nothing to register per connection."""
        return WebhookRegistration(ids=[], app_level=True)

    async def unregister_webhooks(self, ids: list[str]) -> None:
        return None

    async def _find_note(self, contact: dict[str, Any], marker: str) -> str | None:
        # Read through the contact's associations, not search: search lags writes by seconds,
        # which is exactly when a retried write-back would look.
        links = ((contact.get("associations") or {}).get("notes") or {}).get("results") or []
        note_ids = list(dict.fromkeys(str(link["id"]) for link in links))
        for start in range(0, len(note_ids), MAX_PAGE_SIZE):
            body = await self._call(
                "POST",
                "/crm/v3/objects/notes/batch/read",
                json={
                    "properties": ["hs_note_body"],
                    "inputs": [{"id": i} for i in note_ids[start : start + MAX_PAGE_SIZE]],
                },
                idempotent=True,
            )
            for note in body.get("results") or []:
                if marker in ((note.get("properties") or {}).get("hs_note_body") or ""):
                    return str(note["id"])
        return None

    async def _ensure_note(
        self, contact_id: str, idempotency_key: str, body: str, at: datetime
    ) -> tuple[str, bool]:
        """One note on the contact per idempotency key: (its id, whether it was created now)."""
        contact = await self._contact_json(contact_id, associations="notes")
        marker = write_back_marker(idempotency_key)
        found = await self._find_note(contact, marker)
        if found is not None:
            return found, False
        note = await self._call(
            "POST",
            "/crm/v3/objects/notes",
            json={
                "properties": {
                    "hs_timestamp": at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                    "hs_note_body": f"{body}\n\n{marker}",
                },
                "associations": [
                    {
                        "to": {"id": contact_id},
                        "types": [
                            {
                                "associationCategory": "HUBSPOT_DEFINED",
                                "associationTypeId": NOTE_TO_CONTACT,
                            }
                        ],
                    }
                ],
            },
        )
        return str(note["id"]), True

    async def _find_deal(self, contact_id: str, marker: str) -> str | None:
        contact = await self._contact_json(contact_id, associations="deals")
        links = ((contact.get("associations") or {}).get("deals") or {}).get("results") or []
        deal_ids = list(dict.fromkeys(str(link["id"]) for link in links))
        for start in range(0, len(deal_ids), MAX_PAGE_SIZE):
            body = await self._call(
                "POST",
                "/crm/v3/objects/deals/batch/read",
                json={
                    "properties": ["description"],
                    "inputs": [{"id": i} for i in deal_ids[start : start + MAX_PAGE_SIZE]],
                },
                idempotent=True,
            )
            for deal in body.get("results") or []:
                if marker in ((deal.get("properties") or {}).get("description") or ""):
                    return str(deal["id"])
        return None

    async def record_milestone(self, milestone: Milestone) -> str:
        """One deal per conversation (found again by the marker in its description, through the
        contact's associations), created at the milestone's stage or moved there."""
        marker = write_back_marker(milestone.idempotency_key)
        deal_id = await self._find_deal(milestone.external_id, marker)
        if deal_id is not None:
            await self._call(
                "PATCH",
                f"/crm/v3/objects/deals/{deal_id}",
                json={"properties": {"dealstage": milestone.stage, "pipeline": milestone.pipeline}},
            )
            return deal_id
        properties = {
            "dealname": milestone.deal_name,
            "pipeline": milestone.pipeline,
            "dealstage": milestone.stage,
            "description": f"{milestone.task_title}\n\n{marker}",
        }
        if milestone.amount is not None:
            properties["amount"] = str(milestone.amount)
        deal = await self._call(
            "POST",
            "/crm/v3/objects/deals",
            json={
                "properties": properties,
                "associations": [
                    {
                        "to": {"id": milestone.external_id},
                        "types": [
                            {
                                "associationCategory": "HUBSPOT_DEFINED",
                                "associationTypeId": DEAL_TO_CONTACT,
                            }
                        ],
                    }
                ],
            },
        )
        return str(deal["id"])

    async def deal_pipelines(self) -> list[DealPipeline]:
        body = await self._call("GET", "/crm/v3/pipelines/deals")
        return [
            DealPipeline(
                id=str(p["id"]),
                label=str(p.get("label") or p["id"]),
                stages=[
                    DealStage(id=str(st["id"]), label=str(st.get("label") or st["id"]))
                    for st in sorted(p.get("stages") or [], key=lambda x: x.get("displayOrder", 0))
                ],
            )
            for p in body.get("results") or []
        ]

    async def log_timeline(self, entry: TimelineEntry) -> str:
        """A note on the contact's timeline, dated when the message was sent or received."""
        note_id, _ = await self._ensure_note(
            entry.external_id, entry.idempotency_key, f"{entry.heading}\n\n{entry.body}", entry.at
        )
        return note_id

    async def write_back(self, write: WriteBack) -> WriteBackResult:
        """`hs_lead_status` (and the score property) on the contact, and one associated note.

        Idempotency: the note body ends with `write_back_marker(key)`; the contact's associated
        notes are read first and a note carrying the marker is not written again.
        """
        note_id, created = await self._ensure_note(
            write.external_id,
            write.idempotency_key,
            f"{write.subject}\n\n{write.note}",
            datetime.now(UTC),
        )
        properties: dict[str, str] = {}
        if write.crm_status:
            properties["hs_lead_status"] = write.crm_status
        if self._score_property:
            properties[self._score_property] = str(write.score)
        if properties:
            await self._call(
                "PATCH",
                f"/crm/v3/objects/contacts/{write.external_id}",
                json={"properties": properties},
            )
        return WriteBackResult(note_id=note_id, created=created)
