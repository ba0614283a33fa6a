"""What BR SCALE tells the CRM about a conversation: status words and a summary note (no I/O)."""

from __future__ import annotations

from collections.abc import Sequence

from app.conversations.models import ConversationStatus
from app.crm_sync.models import CrmProviderName

AI_STATUS = {
    ConversationStatus.AWAITING_APPROVAL: "AI message awaiting approval",
    ConversationStatus.WAITING: "AI contacted, waiting for reply",
    ConversationStatus.RESPONDING: "AI conversation active",
    ConversationStatus.QUALIFIED: "Qualified by AI",
    ConversationStatus.HANDED_OFF: "Handed off to broker",
    ConversationStatus.COLD: "No reply (cold)",
    ConversationStatus.CLOSED: "Conversation closed",
    ConversationStatus.OPTED_OUT: "Opted out",
}

# HubSpot's default `hs_lead_status` options; Follow Up Boss stages belong to the broker and are
# never changed (BR SCALE's status goes to its own tags there).
HUBSPOT_LEAD_STATUS = {
    ConversationStatus.WAITING: "ATTEMPTED_TO_CONTACT",
    ConversationStatus.RESPONDING: "CONNECTED",
    ConversationStatus.QUALIFIED: "OPEN_DEAL",
    ConversationStatus.HANDED_OFF: "OPEN_DEAL",
    ConversationStatus.COLD: "BAD_TIMING",
    ConversationStatus.OPTED_OUT: "UNQUALIFIED",
}


def crm_status_for(provider: CrmProviderName, status: ConversationStatus) -> str | None:
    if provider is CrmProviderName.HUBSPOT:
        return HUBSPOT_LEAD_STATUS.get(status)
    return None


def idempotency_key(conversation_id: int, status: ConversationStatus) -> str:
    """One note per conversation and status: a repeat of the same step writes nothing new."""
    return f"conversation-{conversation_id}-{status.value.lower()}"


def conversation_note(
    *,
    lead_name: str,
    property_title: str | None,
    status: ConversationStatus,
    score: int,
    next_action: str | None,
    lead_said: Sequence[str],
    tasks: Sequence[str],
) -> str:
    """A few lines a broker reads in the CRM timeline."""
    who = lead_name or "The lead"
    about = f" about {property_title}" if property_title else ""
    lines = [f"{who}: {AI_STATUS[status].lower()}{about}. Qualification score {score}/100."]
    if lead_said:
        quoted = " / ".join(f'"{text.strip()[:200]}"' for text in lead_said if text.strip())
        if quoted:
            lines.append(f"Lead said: {quoted}")
    if next_action:
        lines.append(f"Next step: {next_action}")
    for task in tasks:
        lines.append(f"Broker task: {task}")
    return "\n".join(lines)
