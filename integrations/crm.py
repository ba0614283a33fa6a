"""The CRM port: the DTOs every CRM adapter returns and the `CrmProvider` protocol they implement.

Vendor shapes stop at the adapters (`integrations.followupboss`, `integrations.hubspot`); the
`crm_sync` domain only sees these types and these errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

WRITE_BACK_MARKER_PREFIX = "brscale-writeback:"


@dataclass(frozen=True)
class CrmContact:
    """One person/contact as the CRM holds it; `raw` keeps the vendor payload for the sync log."""

    external_id: str
    first_name: str | None = None
    last_name: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    status: str | None = None  # FUB stage, HubSpot hs_lead_status (or lifecyclestage)
    tags: list[str] = field(default_factory=list)
    price: Decimal | None = None
    last_activity_at: datetime | None = None  # aware, UTC
    created_at: datetime | None = None
    updated_at: datetime | None = None
    notes: str | None = None  # FUB background; free text for the lead's preferences
    source: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ContactPage:
    """One page of contacts; `next_cursor` is None on the last page. Store it to resume a sync."""

    contacts: list[CrmContact]
    next_cursor: str | None


@dataclass(frozen=True)
class WriteBack:
    """What BR SCALE writes to the CRM after a conversation.

    `idempotency_key` must be stable for one logical write (e.g. conversation id + step): a repeat
    with the same key creates no second note. `subject`, `note` and `tags` are already in the
    brokerage's language; `tags` are BR SCALE's own (each starts with "BR SCALE") and replace the
    ones it wrote before, never the broker's. `crm_status` is the CRM's own status value (HubSpot
    `hs_lead_status` option) and is left untouched when None.
    """

    external_id: str
    score: int
    subject: str
    note: str
    idempotency_key: str
    tags: tuple[str, ...] = ()
    crm_status: str | None = None


@dataclass(frozen=True)
class Milestone:
    """A lead reached a step the broker's pipeline tracks: QUALIFIED or VIEWING (confirmed).

    HubSpot: a deal for the conversation is created in `pipeline` at `stage`, or moved there.
    Follow Up Boss: a call task `task_title` for the assigned agent, due `due`; the stage is the
    broker's. `idempotency_key` is stable per conversation (the deal) and milestone (the task).
    """

    external_id: str
    idempotency_key: str
    milestone: str
    deal_name: str
    task_title: str
    due: datetime
    amount: Decimal | None = None
    pipeline: str | None = None
    stage: str | None = None


@dataclass(frozen=True)
class DealStage:
    id: str
    label: str


@dataclass(frozen=True)
class DealPipeline:
    id: str
    label: str
    stages: list[DealStage]


@dataclass(frozen=True)
class TimelineEntry:
    """One message of a conversation, logged on the person's CRM timeline.

    `idempotency_key` is stable per message: a repeat finds the entry it already wrote. `link`
    opens the conversation in BR SCALE and is unique per message too. `heading` is in the
    brokerage's language. Phone numbers are E.164 (SMS only).
    """

    external_id: str
    idempotency_key: str
    link: str
    incoming: bool
    channel: str  # "SMS" | "EMAIL" | "WHATSAPP"
    heading: str
    body: str
    at: datetime
    lead_phone: str | None = None
    our_phone: str | None = None


@dataclass(frozen=True)
class WriteBackResult:
    note_id: str
    created: bool  # False when the note for this idempotency key already existed


def write_back_marker(idempotency_key: str) -> str:
    """The token embedded in every note BR SCALE writes, so a repeated write can find its note."""
    return f"[{WRITE_BACK_MARKER_PREFIX}{idempotency_key}]"


@dataclass(frozen=True)
class WebhookRegistration:
    """The CRM webhooks that deliver to one connection's callback URL.

    `ids` are the CRM's own webhook ids (what `unregister_webhooks` deletes); `app_level` means
    the CRM routes an app's single subscription set by account (HubSpot portal id), so nothing is
    registered per connection and the deliveries are still this connection's.
    """

    ids: list[str]
    app_level: bool = False


class CrmError(Exception):
    """Base of the errors a CRM adapter raises; `message` is safe to show a broker."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CrmAuthError(CrmError):
    """The credential is expired, revoked or lacks permission (HTTP 401/403, refresh refused)."""


class CrmForbidden(CrmAuthError):
    """HTTP 403: the credential works but this user may not do that (e.g. FUB webhooks, which
    only the account owner may manage)."""


class CrmRateLimited(CrmError):
    """The CRM still answered 429 after our retries; try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class CrmUnavailable(CrmError):
    """The CRM failed (5xx, timeout, bad answer) after our retries; the sync position is kept."""


class CrmNotFound(CrmError):
    """The contact does not exist (deleted or merged in the CRM)."""


class CrmProvider(Protocol):
    """What `crm_sync` needs from a CRM. Cursors are opaque strings; None means "from the start"."""

    provider: str

    async def list_contacts(self, cursor: str | None = None) -> ContactPage: ...

    async def list_updated_since(
        self, since: datetime, cursor: str | None = None
    ) -> ContactPage: ...

    async def get_contact(self, external_id: str) -> CrmContact: ...

    async def write_back(self, write: WriteBack) -> WriteBackResult: ...

    async def record_milestone(self, milestone: Milestone) -> str:
        """Create or move the deal (HubSpot) or create the agent's task (FUB) for a milestone,
        once per key; the CRM's id of the deal or task."""
        ...

    async def deal_pipelines(self) -> list[DealPipeline]:
        """The CRM's deal pipelines and their stages ([] when the CRM has none for us)."""
        ...

    async def log_timeline(self, entry: TimelineEntry) -> str:
        """Put one message on the person's timeline, once per idempotency key; the CRM's id of
        the record (the earlier one when it was already there)."""
        ...

    async def contacts_for_webhook(self, payload: dict[str, Any]) -> list[CrmContact]:
        """Re-fetch the contacts a stored delivery names (the adapter's own `webhook_payload`)."""
        ...

    async def register_webhooks(self, callback_url: str) -> WebhookRegistration:
        """Make sure the CRM delivers every event sync needs to `callback_url`, once each.

        Idempotent: webhooks already there are kept, missing ones (deleted in the CRM) are
        created again, so calling it on every catch-up repairs the set.
        """
        ...

    async def unregister_webhooks(self, ids: list[str]) -> None:
        """Delete these webhooks; one already gone is not an error."""
        ...


@dataclass(frozen=True)
class WebhookDelivery:
    """One event of a verified webhook post: its key in the inbox (unique per CRM), the payload
    `CrmProvider.contacts_for_webhook` re-fetches its contacts from, and the CRM account it
    concerns when the post says so."""

    key: str
    payload: dict[str, Any]
    account_id: str | None = None


class CrmWebhookReader(Protocol):
    """How a CRM's webhook posts are checked and read. Posts are signed with the app's own
    secret, before any connection is known, so this is the app's, not a connection's client."""

    def read_webhook(
        self, body: bytes, headers: Mapping[str, str], url: str, now: datetime
    ) -> list[WebhookDelivery]:
        """The post's events, or `WebhookRejected` (bad signature, stale, malformed). `url` is
        the public URL the post was made to (some CRMs sign it)."""
        ...


class WebhookRejected(Exception):
    """A webhook delivery that must not be processed (bad signature, stale, malformed)."""
