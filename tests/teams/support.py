"""A brokerage with a team, built through the API as its owner would."""

from __future__ import annotations

import json
from typing import Any

from app.core.runtime import Runtime
from app.core.uow import commit
from app.plans.rules import Plan
from app.plans.service import set_plan
from tests.conftest import Api
from tests.support.jobs import drain_jobs

INVITE = "mutation($i: InviteUserInput!) { inviteUser(input: $i) { id email role expiresAt } }"
ACCEPT = """mutation($i: AcceptInvitationInput!) {
  acceptInvitation(input: $i) { token user { id email role } }
}"""


async def on_plan(runtime: Runtime, plan: Plan, brokerage: str = "1") -> None:
    async with runtime.session() as session:
        await set_plan(session, brokerage, plan)
        await commit(session)


def notices(runtime: Runtime) -> list[dict[str, Any]]:
    """The team's notices that reached the local outbox (no SMTP or Twilio configured)."""
    path = runtime.settings.data_dir / "outbox.jsonl"
    if not path.exists():
        return []
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    return [line for line in lines if "staff_notice_id" in line]


async def invitation_token(api: Api, runtime: Runtime, email: str, role: str = "AGENT") -> str:
    """Invite `email` and read the token from the link of the e-mail it got."""
    await api.ok(INVITE, {"i": {"email": email, "role": role}})
    await drain_jobs(runtime)
    sent = [n for n in notices(runtime) if n["to"] == email]
    link = next(word for word in sent[-1]["body"].split() if "/app/invitations/" in word)
    return link.rsplit("/", 1)[1]


async def join(
    api: Api, runtime: Runtime, email: str, name: str, role: str = "AGENT"
) -> dict[str, str]:
    """Invite and accept: the new member's token and global id."""
    owner = api.token
    token = await invitation_token(api, runtime, email, role)
    data = await api.ok(
        ACCEPT, {"i": {"token": token, "name": name, "password": "agent password 1"}}
    )
    api.token = owner
    return {
        "token": data["acceptInvitation"]["token"],
        "id": data["acceptInvitation"]["user"]["id"],
    }


async def create_lead(api: Api, name: str, email: str, **extra: Any) -> str:
    data = await api.ok(
        "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }",
        {"i": {"name": name, "email": email, "locations": ["Polanco"], **extra}},
    )
    lead_id: str = data["createLead"]["id"]
    return lead_id
