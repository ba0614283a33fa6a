"""Whom the AI speaks for: the lead's assigned agent (their name and sign-off) when it has
one, else the brokerage's own agentName and signature."""

from __future__ import annotations

from typing import Any, cast

from app.accounts.models import Brokerage, User


class _AgentVoice:
    """The brokerage as its messages read it, with the agent's name and signature."""

    def __init__(self, brokerage: Brokerage, agent: User) -> None:
        self._brokerage = brokerage
        self.agent_name = agent.name.strip()
        # Signed by the agent: their own block, else their name over the brokerage's.
        self.signature = (agent.signature or "").strip() or f"{self.agent_name}\n{brokerage.name}"

    def __getattr__(self, name: str) -> Any:
        return getattr(self._brokerage, name)


def speaking_for(brokerage: Brokerage, agent: User | None) -> Brokerage:
    """`brokerage` with the agent's name and signature when the lead has an agent. Read-only:
    everything but those two reads through to the brokerage."""
    if agent is None or not agent.name.strip():
        return brokerage
    return cast(Brokerage, _AgentVoice(brokerage, agent))
