"""docs/API.md's examples, run as a partner would copy them: every Python block, in order, as
one script against a live server; then its subscription example catches up after a drop."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from asyncio.subprocess import PIPE
from pathlib import Path
from typing import Any

import httpx

from app.accounts.principal import SCOPES
from app.activity.events import ActivityType, record_activity
from app.core.config import Settings
from app.core.runtime import open_runtime
from app.core.uow import commit
from app.webhooks.service import sign
from graphql_schema.asgi import create_app
from tests.conftest import Api
from tests.support.servers import serve

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "API.md"


FOLLOW = """
history = graphql("{ activity { edges { node { id type } } } }")["activity"]["edges"]
first = history[-1]["node"]["id"]
last = asyncio.run(
    follow(first, handle=lambda e: print("EVENT", e["type"], flush=True), stop_after=2)
)
latest = graphql("{ activity(first: 1) { edges { node { id } } } }")["activity"]["edges"]
print("LAST SEEN IS THE LAST EVENT" if latest[0]["node"]["id"] == last else "MISSED", last)
"""


def blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", GUIDE.read_text(), re.S)


async def test_the_guide_examples_run_against_the_api(
    sqlite_settings: Settings,
) -> None:
    async with open_runtime(sqlite_settings) as runtime, serve(create_app(runtime=runtime)) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            api = Api(client)
            await api.sign_up()
            key = await api.ok(
                'mutation($s: [String!]!) { createApiKey(input: {name: "guide", scopes: $s}) '
                "{ secret } }",
                {"s": list(SCOPES)},
            )
        async with runtime.session() as session:
            for type_ in (ActivityType.CONVERSATION_STARTED, ActivityType.MESSAGE_SENT):
                record_activity(session, 1, type_)
            await commit(session)

        # The blocks as one script in a process of its own, then its `follow` from the first
        # event: the one after it (caught up), then a live one.
        script = "\n".join(blocks()) + FOLLOW
        env = {**os.environ, "BRSCALE_URL": url, "BRSCALE_API_KEY": key["createApiKey"]["secret"]}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", script, env=env, stdout=PIPE, stderr=PIPE
        )
        assert process.stdout is not None
        output = []
        while not output or not output[-1].startswith("EVENT"):
            line = await asyncio.wait_for(process.stdout.readline(), 60)
            if not line:
                _, err = await process.communicate()
                raise AssertionError(err.decode())
            output.append(line.decode().strip())
        async with runtime.session() as session:
            record_activity(session, 1, ActivityType.LEAD_REPLIED)
            await commit(session)
        rest, err = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, err.decode()
        output.extend(rest.decode().splitlines())
    assert "{'brokerage': {'name': 'Casa Ana'}}" in output
    assert "0 leads" in output
    assert "{'data': {'brokerage': {'name': 'Casa Ana'}}}" in output
    assert any(line.startswith("201 {'id':") for line in output)
    assert "LEAD_QUALIFIED ['conversationId', 'lead', 'messageId', 'property']" in output
    assert [line for line in output if line.startswith("EVENT")] == [
        "EVENT MESSAGE_SENT",
        "EVENT LEAD_REPLIED",
    ]
    assert output[-1].startswith("LAST SEEN IS THE LAST EVENT")

    namespace: dict[str, Any] = {}
    exec(next(b for b in blocks() if "def verify_signature" in b), namespace)
    # The signature recipe accepts what we sign and nothing else.
    verify = namespace["verify_signature"]
    body = b'{"id":"x","type":"LEAD_QUALIFIED"}'
    header = sign("whsec_test", int(time.time()), body.decode())
    assert verify("whsec_test", header, body)
    assert not verify("whsec_test", header, body + b" ")
    stale = sign("whsec_test", int(time.time()) - 3600, body.decode())
    assert not verify("whsec_test", stale, body)
