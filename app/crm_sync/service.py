"""CRM connection rules: connect (API key or OAuth), sync now, disconnect, dashboard stats.

Services flush and queue jobs for after the commit; the caller commits. Credentials are sealed
with the runtime's SecretBox and never leave this package.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from app.activity.events import ActivityType, record_activity
from app.core.db import utcnow
from app.core.errors import BadUserInput
from app.core.jobs import enqueue
from app.core.runtime import Runtime
from app.core.security import SecretBox
from app.core.tenancy import get_scoped
from app.crm_sync import repository
from app.crm_sync.credentials import ApiKeyCredential, Credential, OAuthCredential, seal
from app.crm_sync.models import (
    ConnectionStatus,
    CrmConnection,
    CrmProviderName,
    SyncKind,
    SyncRun,
)
from app.crm_sync.oauth_state import pending_oauth_store
from app.crm_sync.providers import fub_oauth, hubspot_oauth
from app.crm_sync.writeback import deal_settings
from integrations.crm import CrmAuthError, CrmError, CrmProvider, DealPipeline
from integrations.followupboss import FollowUpBossClient, FubApiKey
from integrations.oauth import OAuthStateError

log = logging.getLogger(__name__)


class CrmConnectError(BadUserInput):
    """The CRM refused the credential, or OAuth is not configured; the message is for the broker."""


def sync_job_id(connection_id: int) -> str:
    return f"crm-sync:{connection_id}"


def request_sync(session: AsyncSession, connection: CrmConnection) -> None:
    """Import (or catch up) in the background once the transaction commits."""
    enqueue(session, "crm_sync", connection.id, job_id=sync_job_id(connection.id))


async def _store(
    session: AsyncSession,
    runtime: Runtime,
    brokerage_id: int,
    provider: CrmProviderName,
    credential: Credential,
    account_id: str | None,
) -> CrmConnection:
    connection = await repository.connection_for(session, brokerage_id, provider)
    if connection is None:
        connection = CrmConnection(
            brokerage_id=brokerage_id, provider=provider, sync_cursor={}, leads_imported=0
        )
        session.add(connection)
    elif account_id is not None and connection.account_id not in (None, account_id):
        # Another CRM account: its cursor means nothing there, start over.
        connection.sync_cursor = {}
        connection.leads_imported = 0
    connection.credentials = seal(runtime.secrets, credential)
    connection.account_id = account_id or connection.account_id
    connection.status = ConnectionStatus.CONNECTED
    connection.last_error = None
    await session.flush()
    request_sync(session, connection)
    return connection


async def connect_followupboss(
    session: AsyncSession, runtime: Runtime, brokerage_id: int, api_key: str
) -> CrmConnection:
    """Check the key with `GET /v1/me`, store it encrypted and start the first import."""
    api_key = api_key.strip()
    if not api_key:
        raise CrmConnectError("Paste the Follow Up Boss API key (Admin > API).")
    s = runtime.settings
    client = FollowUpBossClient(
        runtime.http,
        s.followupboss_api_url,
        FubApiKey(api_key),
        s.followupboss_system,
        s.followupboss_system_key or "",
        account_key=f"check-{brokerage_id}",
    )
    try:
        me = await client.me()
    except CrmAuthError as exc:
        raise CrmConnectError(
            "Follow Up Boss did not accept this API key. Copy it again from Admin > API."
        ) from exc
    except CrmError as exc:
        raise CrmConnectError(exc.message) from exc
    account = me.get("accountId")
    return await _store(
        session,
        runtime,
        brokerage_id,
        CrmProviderName.FOLLOWUPBOSS,
        ApiKeyCredential(api_key),
        str(account) if account else None,
    )


async def start_oauth(runtime: Runtime, brokerage_id: int, provider: CrmProviderName) -> str:
    """The provider's consent URL; its `state` waits server-side (single use, ten minutes)."""
    store = pending_oauth_store(runtime)
    s = runtime.settings
    owner = str(brokerage_id)
    if provider is CrmProviderName.HUBSPOT:
        if not (s.hubspot_client_id and s.hubspot_client_secret):
            raise CrmConnectError("HubSpot login is not configured on this server.")
        url, _, _ = await hubspot_oauth(runtime).build_authorize_url(store, owner)
        return url
    if not (s.followupboss_client_id and s.followupboss_client_secret):
        raise CrmConnectError("Follow Up Boss login is not configured on this server.")
    url, _ = await fub_oauth(runtime).build_authorize_url(store, owner)
    return url


async def complete_oauth(
    session: AsyncSession,
    runtime: Runtime,
    provider: CrmProviderName,
    params: dict[str, str],
) -> CrmConnection:
    """The callback: check `state`, exchange the code, store the tokens, start the import.

    Raises OAuthStateError for an unknown, reused, expired or tampered state, CrmAuthError when
    the provider refuses the code.
    """
    store = pending_oauth_store(runtime)
    # The account (HubSpot portal) is learnt from the first signed webhook delivery.
    account: str | None = None
    if provider is CrmProviderName.HUBSPOT:
        code = params.get("code")
        if not code:
            await store.pop(params.get("state") or "")
            raise OAuthStateError("HubSpot sent no authorization code")
        token, pending = await hubspot_oauth(runtime).exchange_code(
            store, code, params.get("state")
        )
    else:
        token, pending = await fub_oauth(runtime).complete(store, params)
    brokerage_id = int(pending.owner)
    return await _store(session, runtime, brokerage_id, provider, OAuthCredential(token), account)


async def list_connections(session: AsyncSession, brokerage_id: int) -> list[CrmConnection]:
    return await repository.list_connections(session, brokerage_id)


async def get_connection(
    session: AsyncSession, brokerage_id: int, connection_id: int
) -> CrmConnection:
    return await get_scoped(
        session, CrmConnection, brokerage_id, connection_id, what="CRM connection"
    )


async def sync_now(session: AsyncSession, brokerage_id: int, connection_id: int) -> CrmConnection:
    connection = await get_connection(session, brokerage_id, connection_id)
    if connection.credentials is None:
        raise BadUserInput("This CRM is disconnected: connect it again to sync.")
    request_sync(session, connection)
    return connection


# A connection's client (`flows.open_provider`, whose token refresh commits on its own).
OpenProvider = Callable[[Runtime, CrmConnection], CrmProvider]


# A run's error when the broker disconnected the CRM while it ran.
DISCONNECTED_RUN = (
    "Stopped: the CRM was disconnected while this sync ran. Connect it again to sync; the "
    "next run continues from where this one stopped."
)


def announce_finished(session: AsyncSession, run: SyncRun) -> None:
    """The feed shows the end of the first import, and of any later pass that changed leads
    (a catch-up that found nothing, every few minutes, stays out of it)."""
    if run.kind is SyncKind.IMPORT or run.imported or run.updated or run.conflicts:
        record_activity(
            session, run.brokerage_id, ActivityType.CRM_SYNC_FINISHED, data={"sync_run_id": run.id}
        )


async def close_unfinished_runs(session: AsyncSession, connection_id: int, reason: str) -> int:
    """End the connection's imports and catch-ups still open, failed, with `reason`; their
    pages so far stay counted. The caller commits."""
    runs = await repository.unfinished_runs(session, connection_id)
    for run in runs:
        run.finished_at = utcnow()
        run.errors += 1
        run.error = reason
        announce_finished(session, run)
    return len(runs)


async def disconnect(
    session: AsyncSession,
    runtime: Runtime,
    brokerage_id: int,
    connection_id: int,
    open_provider: OpenProvider,
) -> CrmConnection:
    """Remove the webhooks it registered, then delete the stored credential; imported leads and
    the sync log stay. A CRM that cannot be reached does not stop the disconnection: a webhook
    left behind is answered 410 Gone, which asks the CRM to delete it."""
    connection = await get_connection(session, brokerage_id, connection_id)
    if connection.credentials is not None and connection.webhook_ids:
        try:
            await open_provider(runtime, connection).unregister_webhooks(connection.webhook_ids)
        except CrmError as exc:
            log.warning(
                "CRM webhooks not removed on disconnect",
                extra={"connection_id": connection.id, "reason": exc.message},
            )
    connection.webhook_ids = []
    connection.webhooks_checked_at = None
    connection.credentials = None
    connection.status = ConnectionStatus.DISCONNECTED
    connection.last_error = None
    # The connection's row first: a sync's page in progress holds it (`still_connected`), and
    # the sync stops at its next page. Its run ends now, with the reason, not never.
    await session.flush()
    await close_unfinished_runs(session, connection.id, DISCONNECTED_RUN)
    await session.flush()
    return connection


async def deal_pipelines(
    session: AsyncSession,
    runtime: Runtime,
    brokerage_id: int,
    connection_id: int,
    open_provider: OpenProvider,
) -> list[DealPipeline]:
    """The CRM's deal pipelines (HubSpot), read live; [] for a CRM whose stages are the
    broker's (Follow Up Boss) or a disconnected one."""
    connection = await get_connection(session, brokerage_id, connection_id)
    if connection.credentials is None:
        return []
    try:
        return await open_provider(runtime, connection).deal_pipelines()
    except CrmError as exc:
        raise CrmConnectError(exc.message) from exc


async def update_deal_settings(
    session: AsyncSession,
    runtime: Runtime,
    brokerage_id: int,
    connection_id: int,
    changes: dict[str, str | None],
    open_provider: OpenProvider,
) -> CrmConnection:
    """Choose the pipeline and the stages deals are put in; checked against the CRM's own
    pipelines, so a typo is an error now rather than a failed write later."""
    connection = await get_connection(session, brokerage_id, connection_id)
    given = {key: value for key, value in changes.items() if value}
    chosen = deal_settings({**connection.settings, **given})
    pipelines = {
        p.id: p
        for p in await deal_pipelines(session, runtime, brokerage_id, connection_id, open_provider)
    }
    if not pipelines:
        raise CrmConnectError("This CRM has no deal pipelines for BR SCALE to use.")
    pipeline = pipelines.get(chosen["deal_pipeline"])
    if pipeline is None:
        known = ", ".join(sorted(pipelines))
        raise CrmConnectError(f"No deal pipeline '{chosen['deal_pipeline']}' (there are: {known}).")
    stages = {stage.id for stage in pipeline.stages}
    for key in ("qualified_stage", "viewing_stage"):
        if chosen[key] not in stages:
            raise CrmConnectError(
                f"The pipeline '{pipeline.label}' has no stage '{chosen[key]}' "
                f"(there are: {', '.join(stage.id for stage in pipeline.stages)})."
            )
    connection.settings = {**connection.settings, **given}
    await session.flush()
    return connection


async def rotate_credentials(session: AsyncSession, box: SecretBox) -> int:
    """Re-encrypt every stored credential under the newest key (after adding one in front of
    `BRSCALE_SECRET_KEY`); the old key can then be removed. The count of credentials rotated."""
    rows = await repository.connections_with_credentials(session)
    count = 0
    for connection in rows:
        assert connection.credentials is not None
        connection.credentials = box.rotate(connection.credentials)
        count += 1
    await session.flush()
    return count
