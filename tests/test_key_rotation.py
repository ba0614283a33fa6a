"""Rotating BRSCALE_SECRET_KEY: put a new key in front, rotate, drop the old one. Sessions,
unsubscribe links and stored CRM credentials keep working through it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.accounts.models import Brokerage
from app.core.runtime import open_runtime
from app.core.security import SecretBox
from app.core.uow import commit
from app.crm_sync.credentials import ApiKeyCredential, seal, unseal
from app.crm_sync.models import ConnectionStatus, CrmConnection, CrmProviderName
from app.crm_sync.service import rotate_credentials
from app.messaging.links import lead_for_unsubscribe, unsubscribe_token
from tests.conftest import make_settings

OLD, NEW = "old-key-" + "x" * 40, "new-key-" + "y" * 40


async def test_rotation_keeps_sessions_links_and_credentials(tmp_path: Path) -> None:
    before = make_settings(tmp_path, BRSCALE_SECRET_KEY=OLD)
    async with open_runtime(before) as runtime, runtime.session() as session:
        brokerage = Brokerage(name="Casa")
        session.add(brokerage)
        await session.flush()
        session.add(
            CrmConnection(
                brokerage_id=brokerage.id,
                provider=CrmProviderName.FOLLOWUPBOSS,
                status=ConnectionStatus.CONNECTED,
                credentials=seal(runtime.secrets, ApiKeyCredential("fub-secret")),
            )
        )
        await commit(session)
        token = runtime.tokens.issue(user_id=1, brokerage_id=1)
    link = unsubscribe_token(before.signing_key, 42)

    during = make_settings(tmp_path, BRSCALE_SECRET_KEY=f"{NEW},{OLD}")
    async with open_runtime(during) as runtime:
        assert runtime.tokens.verify(token) is not None  # old sessions still valid
        assert lead_for_unsubscribe(during.signing_keys, link) == 42  # old links still work
        async with runtime.session() as session:
            assert await rotate_credentials(session, runtime.secrets) == 1
            await commit(session)
            stored = (await session.execute(select(CrmConnection.credentials))).scalar_one()
        fresh = runtime.tokens.issue(user_id=1, brokerage_id=1)

    after = SecretBox([NEW])  # the old key is gone
    assert unseal(after, stored) == ApiKeyCredential("fub-secret")
    async with open_runtime(make_settings(tmp_path, BRSCALE_SECRET_KEY=NEW)) as runtime:
        assert runtime.tokens.verify(fresh) is not None
        assert runtime.tokens.verify(token) is None  # signed with the removed key
