"""The multi-step CRM jobs: full import and catch-up (resumable), webhook processing, write-back,
and a connection's client, whose OAuth refresh stores the new token in a transaction of its own.

Each page of contacts is upserted and committed together with the cursor that follows it, so a
crash, a 429 or an expired login never loses the sync position. An expired or revoked login puts
the connection in ERROR with a message the broker understands; outages are retried.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from arq import Retry
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage
from app.activity.events import ActivityType, record_activity
from app.conversations.models import Conversation, ConversationStatus
from app.core.db import utcnow
from app.core.errors import Conflict
from app.core.jobs import enqueue
from app.core.runtime import Runtime
from app.core.tenancy import get_scoped
from app.core.uow import commit
from app.crm_sync import conflicts, repository, service
from app.crm_sync.credentials import ApiKeyCredential, OAuthCredential, seal, unseal
from app.crm_sync.mapping import contact_parser, contact_values, lead_source
from app.crm_sync.models import (
    ConnectionStatus,
    CrmConnection,
    CrmProviderName,
    SyncKind,
    SyncRun,
    TimelineLog,
)
from app.crm_sync.providers import (
    DISCONNECTED_MESSAGE,
    REFRESH_LEEWAY,
    brokerage_lock,
    connection_lock,
    fub_oauth,
    hubspot_oauth,
    rate_limiter,
    webhook_reader,
)
from app.crm_sync.writeback import (
    QUALIFIED,
    ai_status,
    brscale_tags,
    conversation_note,
    crm_status_for,
    deal_settings,
    idempotency_key,
    milestone_task_title,
    note_subject,
)
from app.inbox.models import WebhookEvent
from app.leads.merge import Settlement
from app.leads.models import Lead, LeadChange
from app.leads.rows import RowParser
from app.leads.service import upsert_leads
from app.leads.triggers import leads_arrived, leads_changed
from app.messaging.models import Direction
from app.properties.models import Property
from integrations.crm import (
    ContactPage,
    CrmAuthError,
    CrmContact,
    CrmError,
    CrmForbidden,
    CrmNotFound,
    CrmProvider,
    CrmRateLimited,
    Milestone,
    TimelineEntry,
    WriteBack,
    WriteBackResult,
)
from integrations.followupboss import FollowUpBossClient, FubApiKey
from integrations.hubspot import HubSpotClient
from integrations.oauth import OAuthToken, TokenSource, utc_now

log = logging.getLogger(__name__)

# Catch-up asks for a little before the last run started: clocks differ, nothing may fall between.
CATCH_UP_OVERLAP = timedelta(minutes=2)
RETRY_SECONDS = 30.0
CONFLICT_RETRY_SECONDS = 2.0
# A run's error when it never recorded its end (closed by the connection's next sync).
INTERRUPTED = (
    "Stopped before the end (the sync was cut off or its server restarted); the next run "
    "continued from where it stopped."
)


# -- a connection's client -----------------------------------------------------------------

Refresh = Callable[[str], Awaitable[OAuthToken]]


def _refresher(runtime: Runtime, connection_id: int, refresh: Refresh) -> Refresh:
    """A connection's OAuth refresh: under a per-connection lock (Redis when there is one), after
    reloading the stored token, so two workers never spend the same refresh token; the new token
    is stored encrypted, and committed, before it is used."""

    async def refresh_and_store(_: str) -> OAuthToken:
        async with connection_lock(runtime, connection_id), runtime.session() as session:
            row = await session.get(CrmConnection, connection_id, populate_existing=True)
            if row is None or row.credentials is None:
                raise CrmAuthError(DISCONNECTED_MESSAGE)
            stored = unseal(runtime.secrets, row.credentials)
            if not isinstance(stored, OAuthCredential) or not stored.token.refresh_token:
                raise CrmAuthError("The CRM login has expired. Please connect it again.")
            if not stored.token.expires_within(REFRESH_LEEWAY, utc_now()):
                return stored.token  # another worker refreshed it a moment ago
            token = await refresh(stored.token.refresh_token)
            row.credentials = seal(runtime.secrets, OAuthCredential(token))
            await commit(session)
            return token

    return refresh_and_store


def _tokens(
    runtime: Runtime, connection_id: int, credential: OAuthCredential, refresh: Refresh
) -> TokenSource:
    """The connection's OAuth token, refreshed (and stored) a minute before it expires."""
    return TokenSource(
        credential.token,
        refresh=_refresher(runtime, connection_id, refresh),
        leeway=REFRESH_LEEWAY,
    )


def open_provider(runtime: Runtime, connection: CrmConnection) -> CrmProvider:
    """A client speaking for `connection`; raises CrmAuthError when it holds no credential."""
    if connection.credentials is None:
        raise CrmAuthError(DISCONNECTED_MESSAGE)
    credential = unseal(runtime.secrets, connection.credentials)
    limiter = rate_limiter(runtime, connection.provider)
    account_key = connection.account_id or f"connection-{connection.id}"
    s = runtime.settings
    if connection.provider is CrmProviderName.FOLLOWUPBOSS:
        fub_credentials: FubApiKey | TokenSource
        if isinstance(credential, ApiKeyCredential):
            fub_credentials = FubApiKey(credential.api_key)
        else:
            fub_credentials = _tokens(
                runtime, connection.id, credential, fub_oauth(runtime).refresh
            )
        return FollowUpBossClient(
            runtime.http,
            s.followupboss_api_url,
            fub_credentials,
            s.followupboss_system,
            s.followupboss_system_key or "",
            account_key=account_key,
            limiter=limiter,
        )
    if not isinstance(credential, OAuthCredential):
        raise CrmAuthError("HubSpot needs an OAuth login. Please connect it again.")
    tokens = _tokens(runtime, connection.id, credential, hubspot_oauth(runtime).refresh)
    return HubSpotClient(
        runtime.http,
        tokens,
        account_key=account_key,
        api_url=s.hubspot_api_url,
        limiter=limiter,
    )


class SyncDisconnected(Exception):
    """The broker disconnected the CRM while its sync ran: the sync stops (its run was closed
    by the disconnection, with the reason)."""


@dataclass(frozen=True)
class SyncOutcome:
    pages: int
    leads: int
    status: ConnectionStatus


@dataclass
class Upserted:
    """What one page (or one delivery) did to the brokerage's leads."""

    touched: list[int]  # the leads counted in `leads_imported`
    inserted: int
    updated: int
    conflicts: int


async def _parser(session: AsyncSession, brokerage_id: int) -> RowParser:
    brokerage = await session.get(Brokerage, brokerage_id)
    region = brokerage.default_region if brokerage is not None else None
    return contact_parser(region, await repository.known_locations(session, brokerage_id))


async def upsert_contacts(
    session: AsyncSession,
    connection: CrmConnection,
    contacts: list[CrmContact],
    parser: RowParser,
) -> Upserted:
    """Merge contacts into the brokerage's leads (by CRM id, then email/phone).

    Opt-outs and AI fields are never touched (`upsert_leads` does not write them), each change
    is logged with the provider as its source, and a field changed both here and in the CRM is
    settled by `conflicts.settle` against what this CRM said last time.
    """
    provider = connection.provider
    values = [v for c in contacts if (v := contact_values(c, provider, parser)) is not None]
    if not values:
        return Upserted([], 0, 0, 0)
    baselines = await repository.baselines(
        session, connection.brokerage_id, provider, [v["external_id"] for v in values]
    )

    def settle_by_rule(
        current: dict[str, Any], merged: dict[str, Any], incoming: dict[str, Any]
    ) -> Settlement:
        return conflicts.settle(
            current, merged, incoming, baselines.get(str(incoming.get("external_id")))
        )

    result = await upsert_leads(
        session,
        connection.brokerage_id,
        values,
        source=lead_source(provider),
        settle=settle_by_rule,
    )
    await repository.claim_external_ids(
        session, connection.brokerage_id, provider, [v["external_id"] for v in values]
    )
    await repository.link_records(session, connection.brokerage_id, provider, values)
    leads_changed(session, connection.brokerage_id, [*result.inserted, *result.updated])
    leads_arrived(session, connection.brokerage_id, result.inserted)
    touched = result.inserted if connection.sync_cursor.get("imported") else result.touched
    return Upserted(touched, len(result.inserted), len(result.updated), result.conflicts)


async def _fail(runtime: Runtime, connection_id: int, error: CrmError) -> ConnectionStatus:
    """Record a failure without touching the cursor; auth failures need the broker to reconnect."""
    async with runtime.session() as session:
        row = await session.get(CrmConnection, connection_id)
        if row is None or row.credentials is None:  # disconnected meanwhile: it stays so
            return ConnectionStatus.DISCONNECTED
        if isinstance(error, CrmAuthError):
            row.status = ConnectionStatus.ERROR
        elif row.status is ConnectionStatus.SYNCING:
            row.status = ConnectionStatus.CONNECTED
        row.last_error = error.message
        await commit(session)
        return row.status


def _retry_after(error: CrmError) -> float:
    if isinstance(error, CrmRateLimited) and error.retry_after:
        return error.retry_after
    return RETRY_SECONDS


async def run_sync(runtime: Runtime, connection_id: int) -> SyncOutcome:
    """The full import until it has reached the end once, then catch-up from the last sync."""
    async with runtime.session() as session:
        connection = await session.get(CrmConnection, connection_id)
        if connection is None or connection.credentials is None:
            return SyncOutcome(0, 0, ConnectionStatus.DISCONNECTED)
        try:
            provider = open_provider(runtime, connection)
        except CrmAuthError as exc:
            return SyncOutcome(0, 0, await _fail(runtime, connection_id, exc))
        parser = await _parser(session, connection.brokerage_id)
        await _close_interrupted_runs(session, connection_id)
        connection.status = ConnectionStatus.SYNCING
        run = SyncRun(
            brokerage_id=connection.brokerage_id,
            connection_id=connection.id,
            kind=SyncKind.CATCH_UP if connection.sync_cursor.get("imported") else SyncKind.IMPORT,
            imported=0,
            updated=0,
            conflicts=0,
            errors=0,
        )
        session.add(run)
        await session.flush()
        if run.kind is SyncKind.IMPORT:
            _announce(session, run, ActivityType.CRM_SYNC_STARTED)
        await commit(session)
        run_id = run.id  # a rollback below expires `run`
        await ensure_webhooks(runtime, connection, provider)
        try:
            pages, leads = await _page_through(runtime, session, connection, provider, parser, run)
        except SyncDisconnected:
            await session.rollback()
            log.info("CRM sync stopped: disconnected", extra={"connection_id": connection_id})
            return SyncOutcome(0, 0, ConnectionStatus.DISCONNECTED)
        except (CrmError, Conflict) as exc:
            await session.rollback()
            error = exc if isinstance(exc, CrmError) else CrmError(exc.message)
            log.warning(
                "CRM sync stopped",
                extra={"connection_id": connection_id, "reason": type(exc).__name__},
            )
            await _finish_run(runtime, run_id, error.message)
            status = await _fail(runtime, connection_id, error)
            if isinstance(exc, CrmAuthError) or status is ConnectionStatus.DISCONNECTED:
                return SyncOutcome(0, 0, status)
            wait = _retry_after(error) if isinstance(exc, CrmError) else CONFLICT_RETRY_SECONDS
            raise Retry(defer=wait) from exc
        if not await repository.still_connected(session, connection_id):
            await session.rollback()  # disconnected after the last page: it stays so
            return SyncOutcome(pages, leads, ConnectionStatus.DISCONNECTED)
        connection.status = ConnectionStatus.CONNECTED
        connection.last_error = None
        connection.last_sync_at = run.finished_at = utcnow()
        _announce_finished(session, run)
        await commit(session)
        return SyncOutcome(pages, leads, connection.status)


def _announce(session: AsyncSession, run: SyncRun, type_: ActivityType) -> None:
    record_activity(session, run.brokerage_id, type_, data={"sync_run_id": run.id})


_announce_finished = service.announce_finished


async def _close_interrupted_runs(session: AsyncSession, connection_id: int) -> None:
    """A run still open when the connection's next sync starts was interrupted: its job was
    cut off by its time limit, or its worker was stopped or killed (one sync per connection
    runs at a time: they share a job id). It ends now, failed, with the reason; its pages so
    far stay counted and this sync continues from its cursor. The caller commits."""
    await service.close_unfinished_runs(session, connection_id, INTERRUPTED)


async def _finish_run(runtime: Runtime, run_id: int, error: str) -> None:
    """Close a run the sync could not finish: its pages so far stay counted."""
    async with runtime.session() as session:
        run = await session.get(SyncRun, run_id)
        if run is not None and run.finished_at is None:  # not closed by a disconnection
            run.finished_at = utcnow()
            run.errors += 1
            run.error = error
            _announce_finished(session, run)
            await commit(session)


# Providers whose webhook subscriptions belong to the app (routed by account), not to a URL.
APP_LEVEL_WEBHOOKS = frozenset({CrmProviderName.HUBSPOT})


def webhook_url(runtime: Runtime, connection: CrmConnection) -> str:
    """This connection's own callback URL, the one its CRM webhooks are registered with."""
    base = runtime.settings.public_url.rstrip("/")
    return f"{base}/webhooks/{connection.provider.value.lower()}/{connection.webhook_token}"


def webhooks_registered(connection: CrmConnection) -> bool:
    if connection.credentials is None or connection.webhooks_checked_at is None:
        return False
    return bool(connection.webhook_ids) or connection.provider in APP_LEVEL_WEBHOOKS


async def ensure_webhooks(
    runtime: Runtime, connection: CrmConnection, provider: CrmProvider
) -> None:
    """Register, or repair, the connection's webhooks; run before every import and catch-up.

    A CRM that refuses (FUB lets only the account owner create webhooks) does not stop the
    sync: the reason is kept for the broker, and the periodic catch-up still brings changes in.
    The caller commits.
    """
    try:
        registration = await provider.register_webhooks(webhook_url(runtime, connection))
    except CrmForbidden:
        connection.webhook_error = (
            "Only the CRM account's owner can set up live updates (webhooks): reconnect with the "
            "owner's key. Until then changes arrive every few minutes."
        )
        return
    except CrmError as exc:
        connection.webhook_error = exc.message
        return
    connection.webhook_ids = list(registration.ids)
    connection.webhook_error = None
    connection.webhooks_checked_at = utcnow()


async def _page_through(
    runtime: Runtime,
    session: AsyncSession,
    connection: CrmConnection,
    provider: CrmProvider,
    parser: RowParser,
    run: SyncRun,
) -> tuple[int, int]:
    state: dict[str, Any] = dict(connection.sync_cursor or {})
    started = utcnow()
    importing = not state.get("imported")
    if importing:
        state.setdefault("import_started", started.isoformat())
    pages = leads = 0
    while True:
        page: ContactPage
        if importing:
            page = await provider.list_contacts(state.get("import_cursor"))
        else:
            since = datetime.fromisoformat(state["since"])
            page = await provider.list_updated_since(since, state.get("catch_up_cursor"))
        cursor_key = "import_cursor" if importing else "catch_up_cursor"
        if page.next_cursor is not None:
            state[cursor_key] = page.next_cursor
        else:
            state.pop(cursor_key, None)
            began = state.pop("import_started") if importing else started.isoformat()
            state["imported"] = True
            state["since"] = (datetime.fromisoformat(began) - CATCH_UP_OVERLAP).isoformat()
        async with brokerage_lock(runtime, connection.brokerage_id):
            if not await repository.still_connected(session, connection.id):
                raise SyncDisconnected
            upserted = await upsert_contacts(session, connection, page.contacts, parser)
            connection.leads_imported += len(upserted.touched)
            connection.sync_cursor = dict(state)  # a new dict, so the JSON column is written
            run.imported += upserted.inserted
            run.updated += upserted.updated
            run.conflicts += upserted.conflicts
            await commit(session)  # the page and the position after it, together
        pages += 1
        leads += len(upserted.touched)
        if page.next_cursor is None:
            return pages, leads


# -- webhooks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WebhookReceipt:
    """What a CRM's post brought: its events, and how many of them were new to the inbox."""

    received: int
    new: int


async def receive_webhook(
    runtime: Runtime,
    provider_name: CrmProviderName,
    body: bytes,
    headers: Mapping[str, str],
    url: str,
    *,
    token: str | None = None,
    account: str | None = None,
) -> WebhookReceipt | None:
    """Verify a CRM's webhook post, store its events in the inbox (once each) and queue the new
    ones; a worker re-fetches what they name (`process_webhook`). A post to a connection's own
    URL (`token`) is that connection's; None when the connection is gone. `account` is the
    CRM account a shared URL names (`?account=`). Raises `WebhookRejected` (unsigned, stale,
    malformed, or the app's secret for the CRM not configured)."""
    deliveries = webhook_reader(runtime, provider_name).read_webhook(body, headers, url, utcnow())
    connection_id: int | None = None
    if token is not None:
        async with runtime.session() as session:
            connection = await repository.connection_by_webhook_token(session, provider_name, token)
        if connection is None:
            return None
        connection_id = connection.id
    async with runtime.session() as session:
        new = 0
        for delivery in deliveries:
            payload = {
                "provider": provider_name.value,
                "connection_id": connection_id,
                "account_id": delivery.account_id or account,
                **delivery.payload,
            }
            # One inbox row per connection: the same event may reach two brokerages' URLs.
            key = f"{delivery.key}:{connection_id}" if connection_id else delivery.key
            inbox_id = await repository.insert_inbox(
                session, provider_name.value.lower(), key, payload
            )
            if inbox_id is not None:
                new += 1
                enqueue(session, "crm_process_webhook", inbox_id, job_id=f"crm-webhook:{inbox_id}")
        await commit(session)
    return WebhookReceipt(len(deliveries), new)


async def complete_oauth(
    runtime: Runtime, provider_name: CrmProviderName, params: dict[str, str]
) -> None:
    """The CRM's OAuth redirect: store the connection's token and start its first import."""
    async with runtime.session() as session:
        await service.complete_oauth(session, runtime, provider_name, params)
        await commit(session)


def _account_of(event: WebhookEvent) -> str | None:
    value = event.payload.get("account_id")
    return str(value) if value is not None else None


def _lag_seconds(event: WebhookEvent) -> float | None:
    created = event.payload.get("created_at")
    if not created:
        return None
    return max(0.0, (utcnow() - datetime.fromisoformat(created)).total_seconds())


async def process_webhook(runtime: Runtime, inbox_id: int) -> int:
    """Re-fetch what a stored delivery names and upsert it; the number of leads touched."""
    async with runtime.session() as session:
        event = await session.get(WebhookEvent, inbox_id)
        if event is None or event.processed_at is not None:
            return 0
        provider_name = CrmProviderName(event.payload["provider"])
        connections = await repository.webhook_connections(
            session, provider_name, _account_of(event), event.payload.get("connection_id")
        )
        touched = 0
        for connection in connections:
            try:
                provider = open_provider(runtime, connection)
                contacts = await provider.contacts_for_webhook(event.payload)
            except CrmAuthError as exc:
                await _fail(runtime, connection.id, exc)
                event.error = exc.message
                continue
            except CrmError as exc:
                raise Retry(defer=_retry_after(exc)) from exc
            if connection.account_id is None and _account_of(event) is not None:
                connection.account_id = _account_of(event)  # learnt from a signed delivery
            parser = await _parser(session, connection.brokerage_id)
            async with brokerage_lock(runtime, connection.brokerage_id):
                upserted = await upsert_contacts(session, connection, contacts, parser)
                connection.leads_imported += len(upserted.touched)
                run = SyncRun(
                    brokerage_id=connection.brokerage_id,
                    connection_id=connection.id,
                    kind=SyncKind.WEBHOOK,
                    started_at=event.received_at,
                    finished_at=utcnow(),
                    imported=upserted.inserted,
                    updated=upserted.updated,
                    conflicts=upserted.conflicts,
                    errors=0,
                    lag_seconds=_lag_seconds(event),
                )
                session.add(run)
                await session.flush()
                _announce_finished(session, run)
                await commit(session)
            touched += len(contacts)
        if not connections:
            event.error = "No live CRM connection for this delivery."
        event.processed_at = utcnow()
        await commit(session)
        return touched


# -- write-back -------------------------------------------------------------------------------


async def _note_for(
    session: AsyncSession, lead: Lead, conversation: Conversation, language: str
) -> str:
    listing = await session.get(Property, conversation.property_id)
    said = await repository.last_inbound_bodies(session, conversation.id, 3)
    tasks = await repository.task_titles(session, conversation.id)
    return conversation_note(
        lead_name=lead.name,
        property_title=listing.title if listing is not None else None,
        status=conversation.status,
        score=conversation.qualification_score,
        next_action=conversation.next_action,
        lead_said=list(reversed(said)),
        tasks=tasks,
        language=language,
    )


async def _crm_records(session: AsyncSession, lead: Lead) -> list[tuple[CrmProviderName, str]]:
    """Every CRM record of the lead: its links, or the one external id of a lead from before."""
    links = await repository.links_of(session, lead.brokerage_id, lead.id)
    if links:
        return [(link.provider, link.external_id) for link in links]
    known = {p.value for p in CrmProviderName}
    if lead.external_source in known and lead.external_id:
        return [(CrmProviderName(lead.external_source), lead.external_id)]
    return []


async def write_back_conversation(
    runtime: Runtime, brokerage_id: int, lead_id: int, conversation_id: int
) -> list[WriteBackResult]:
    """Write the score, AI status and a summary note to every CRM the lead lives in.

    Idempotent per conversation and status: the CRM adapters find their earlier note by key, so
    a retry after one CRM failed writes nothing twice to the other. Leads from no connected CRM
    (a CSV, a form) write nothing.
    """
    async with runtime.session() as session:
        lead = await get_scoped(session, Lead, brokerage_id, lead_id)
        conversation = await get_scoped(session, Conversation, brokerage_id, conversation_id)
        brokerage = await session.get(Brokerage, brokerage_id)
        language = brokerage.language if brokerage is not None else "es"
        status, score = conversation.status, conversation.qualification_score
        results: list[WriteBackResult] = []
        for provider_name, external_id in await _crm_records(session, lead):
            connection = await repository.connection_for(session, brokerage_id, provider_name)
            if connection is None or connection.credentials is None:
                continue
            if connection.status is ConnectionStatus.ERROR:
                continue  # the broker must reconnect first; the next status change writes again
            write = WriteBack(
                external_id=external_id,
                score=score,
                subject=note_subject(status, score, language),
                note=await _note_for(session, lead, conversation, language),
                idempotency_key=idempotency_key(conversation.id, status),
                tags=brscale_tags(status, score, language),
                crm_status=crm_status_for(connection.provider, status),
            )
            try:
                result = await open_provider(runtime, connection).write_back(write)
            except CrmAuthError as exc:
                await _fail(runtime, connection.id, exc)
                continue
            except CrmError as exc:
                raise Retry(defer=_retry_after(exc)) from exc
            if result.created:
                session.add(
                    LeadChange(
                        brokerage_id=brokerage_id,
                        lead_id=lead.id,
                        source="BRSCALE",
                        field=f"crm_note:{connection.provider.value}",
                        old_value=None,
                        new_value=f"{ai_status(status, language)}, {score} (note {result.note_id})",
                    )
                )
            results.append(result)
            if status in (ConversationStatus.QUALIFIED, ConversationStatus.HANDED_OFF):
                listing = await session.get(Property, conversation.property_id)
                await _record_milestone(
                    runtime,
                    connection,
                    external_id,
                    lead,
                    conversation,
                    listing,
                    QUALIFIED,
                    language,
                )
        await commit(session)
        return results


async def _record_milestone(
    runtime: Runtime,
    connection: CrmConnection,
    external_id: str,
    lead: Lead,
    conversation: Conversation,
    listing: Property | None,
    milestone: str,
    language: str,
) -> None:
    """The deal (HubSpot) or the agent's task (FUB) for a milestone; idempotent per
    conversation, so a retry or a second signal moves the same deal and adds no task."""
    title = listing.title if listing is not None else ""
    chosen = deal_settings(connection.settings)
    item = Milestone(
        external_id=external_id,
        idempotency_key=f"deal-conversation-{conversation.id}",
        milestone=milestone,
        deal_name=f"{title} · {lead.name}" if lead.name else title,
        task_title=milestone_task_title(milestone, lead.name, title, language),
        due=utcnow(),
        amount=Decimal(listing.price) if listing is not None else None,
        pipeline=chosen["deal_pipeline"],
        stage=chosen["qualified_stage" if milestone == QUALIFIED else "viewing_stage"],
    )
    try:
        await open_provider(runtime, connection).record_milestone(item)
    except CrmAuthError as exc:
        await _fail(runtime, connection.id, exc)
    except CrmError as exc:
        raise Retry(defer=_retry_after(exc)) from exc


async def record_milestone(
    runtime: Runtime, brokerage_id: int, lead_id: int, conversation_id: int, milestone: str
) -> int:
    """A milestone outside write-back (a viewing confirmed) in every CRM the lead lives in."""
    async with runtime.session() as session:
        lead = await get_scoped(session, Lead, brokerage_id, lead_id)
        conversation = await get_scoped(session, Conversation, brokerage_id, conversation_id)
        brokerage = await session.get(Brokerage, brokerage_id)
        language = brokerage.language if brokerage is not None else "es"
        listing = await session.get(Property, conversation.property_id)
        done = 0
        for provider_name, external_id in await _crm_records(session, lead):
            connection = await repository.connection_for(session, brokerage_id, provider_name)
            if connection is None or connection.credentials is None:
                continue
            if connection.status is ConnectionStatus.ERROR:
                continue
            await _record_milestone(
                runtime, connection, external_id, lead, conversation, listing, milestone, language
            )
            done += 1
        return done


# -- the CRM timeline -------------------------------------------------------------------------

# A newly connected CRM gets the last month of conversation, then every message as it happens.
TIMELINE_WINDOW = timedelta(days=30)
TIMELINE_BATCH = 200
_CHANNEL_WORDS = {
    "es": {"SMS": "SMS", "EMAIL": "correo", "WHATSAPP": "WhatsApp"},
    "en": {"SMS": "SMS", "EMAIL": "e-mail", "WHATSAPP": "WhatsApp"},
}
_HEADINGS = {
    ("es", True): "Respuesta de {lead} por {channel} (BR SCALE)",
    ("es", False): "Mensaje de BR SCALE a {lead} por {channel}",
    ("en", True): "Reply from {lead} by {channel} (BR SCALE)",
    ("en", False): "BR SCALE message to {lead} by {channel}",
}


def timeline_heading(language: str, incoming: bool, channel: str, lead_name: str) -> str:
    """The one line a broker reads on the CRM timeline, in the brokerage's language."""
    lang = language if language in _CHANNEL_WORDS else "en"
    words = _CHANNEL_WORDS[lang]
    lead = lead_name or ("el cliente" if lang == "es" else "the lead")
    return _HEADINGS[(lang, incoming)].format(lead=lead, channel=words.get(channel, channel))


def conversation_link(runtime: Runtime, conversation_id: int) -> str:
    """The conversation in the dashboard (its Relay global id, as the app's routes use)."""
    global_id = base64.b64encode(f"Conversation:{conversation_id}".encode()).decode()
    return f"{runtime.settings.public_url.rstrip('/')}/app/conversations/{global_id}"


async def log_timeline(runtime: Runtime, connection_id: int) -> int:
    """Put the conversation's messages on the CRM timeline: each lead reply and each message
    the agent sent, once per CRM; how many were logged now.

    Each message is committed with the CRM's record id right after the CRM took it; a crash in
    between is covered by the adapters, which find their earlier record by key before writing.
    A batch that fills up queues the next one at once.
    """
    async with runtime.session() as session:
        connection = await session.get(CrmConnection, connection_id)
        if connection is None or connection.credentials is None:
            return 0
        if connection.status is ConnectionStatus.ERROR:
            return 0
        brokerage = await session.get(Brokerage, connection.brokerage_id)
        language = brokerage.language if brokerage is not None else "es"
        try:
            provider = open_provider(runtime, connection)
        except CrmAuthError as exc:
            await _fail(runtime, connection_id, exc)
            return 0
        items = await repository.messages_to_log(
            session, connection, utcnow() - TIMELINE_WINDOW, TIMELINE_BATCH
        )
        our_phone = runtime.settings.twilio_from_number
        logged = 0
        for item in items:
            incoming = item.direction is Direction.INBOUND
            entry = TimelineEntry(
                external_id=item.external_id,
                idempotency_key=f"message:{item.message_id}",
                link=(
                    f"{conversation_link(runtime, item.conversation_id)}?message={item.message_id}"
                ),
                incoming=incoming,
                channel=item.channel,
                heading=timeline_heading(language, incoming, item.channel, item.lead_name),
                body=item.body,
                at=item.at,
                lead_phone=item.lead_phone,
                our_phone=our_phone,
            )
            try:
                record_id = await provider.log_timeline(entry)
            except CrmAuthError as exc:
                await _fail(runtime, connection_id, exc)
                return logged
            except CrmNotFound:
                record_id = ""  # the person was deleted in the CRM: nothing to log it on
            except CrmError as exc:
                raise Retry(defer=_retry_after(exc)) from exc
            session.add(
                TimelineLog(
                    brokerage_id=connection.brokerage_id,
                    connection_id=connection.id,
                    message_id=item.message_id,
                    record_id=record_id,
                )
            )
            await commit(session)
            logged += 1
    if len(items) == TIMELINE_BATCH:
        await runtime.jobs.enqueue(
            "crm_log_timeline", connection_id, job_id=f"crm-timeline:{connection_id}:{logged}"
        )
    return logged
