"""What BR SCALE tells the CRM about a conversation: status words and a summary note (no I/O)."""

from __future__ import annotations

from collections.abc import Sequence

from app.conversations.models import ConversationStatus
from app.crm_sync.models import CrmProviderName

# BR SCALE's status of a conversation, as the broker reads it in the CRM, in the brokerage's
# language (Spanish or English).
AI_STATUS = {
    "es": {
        ConversationStatus.AWAITING_APPROVAL: "Mensaje de la IA por aprobar",
        ConversationStatus.WAITING: "Contactado por la IA, sin respuesta aún",
        ConversationStatus.RESPONDING: "Conversación con la IA activa",
        ConversationStatus.QUALIFIED: "Calificado por la IA",
        ConversationStatus.HANDED_OFF: "Pasado al asesor",
        ConversationStatus.COLD: "Sin respuesta (frío)",
        ConversationStatus.CLOSED: "Conversación cerrada",
        ConversationStatus.OPTED_OUT: "Pidió no recibir mensajes",
    },
    "en": {
        ConversationStatus.AWAITING_APPROVAL: "AI message awaiting approval",
        ConversationStatus.WAITING: "AI contacted, waiting for reply",
        ConversationStatus.RESPONDING: "AI conversation active",
        ConversationStatus.QUALIFIED: "Qualified by AI",
        ConversationStatus.HANDED_OFF: "Handed off to broker",
        ConversationStatus.COLD: "No reply (cold)",
        ConversationStatus.CLOSED: "Conversation closed",
        ConversationStatus.OPTED_OUT: "Opted out",
    },
}
_WORDS = {
    "es": {
        "score": "calificación",
        "about": "sobre",
        "lead": "El cliente",
        "said": "El cliente dijo",
        "next": "Siguiente paso",
        "task": "Tarea del asesor",
    },
    "en": {
        "score": "score",
        "about": "about",
        "lead": "The lead",
        "said": "Lead said",
        "next": "Next step",
        "task": "Broker task",
    },
}


def _lang(language: str) -> str:
    return language if language in AI_STATUS else "en"


def ai_status(status: ConversationStatus, language: str) -> str:
    return AI_STATUS[_lang(language)][status]


def note_subject(status: ConversationStatus, score: int, language: str) -> str:
    """The note's title: "BR SCALE: calificación 85, Calificado por la IA"."""
    return f"BR SCALE: {_WORDS[_lang(language)]['score']} {score}, {ai_status(status, language)}"


def brscale_tags(status: ConversationStatus, score: int, language: str) -> tuple[str, ...]:
    """BR SCALE's own tags on a CRM person (they replace the ones it wrote before)."""
    word = _WORDS[_lang(language)]["score"]
    return (f"BR SCALE: {ai_status(status, language)}", f"BR SCALE {word}: {score}")


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
    language: str,
) -> str:
    """A few lines a broker reads in the CRM timeline, in the brokerage's language."""
    words = _WORDS[_lang(language)]
    who = lead_name or words["lead"]
    about = f" {words['about']} {property_title}" if property_title else ""
    status_words = ai_status(status, language)
    lines = [
        f"{who}: {status_words[0].lower()}{status_words[1:]}{about}. "
        f"{words['score'].capitalize()} {score}/100."
    ]
    if lead_said:
        quoted = " / ".join(f'"{text.strip()[:200]}"' for text in lead_said if text.strip())
        if quoted:
            lines.append(f"{words['said']}: {quoted}")
    if next_action:
        lines.append(f"{words['next']}: {next_action}")
    for task in tasks:
        lines.append(f"{words['task']}: {task}")
    return "\n".join(lines)


# Milestones the broker's pipeline tracks, and HubSpot's default deal pipeline stages for them.
QUALIFIED, VIEWING = "QUALIFIED", "VIEWING"
DEFAULT_DEAL_SETTINGS = {
    "deal_pipeline": "default",
    "qualified_stage": "qualifiedtobuy",
    "viewing_stage": "appointmentscheduled",
}
_TASK_TITLES = {
    ("es", QUALIFIED): "Llamar a {lead}: calificado por BR SCALE ({listing})",
    ("es", VIEWING): "Visita confirmada con {lead} ({listing})",
    ("en", QUALIFIED): "Call {lead}: qualified by BR SCALE ({listing})",
    ("en", VIEWING): "Viewing confirmed with {lead} ({listing})",
}


def milestone_task_title(milestone: str, lead_name: str, listing: str, language: str) -> str:
    lead = lead_name or _WORDS[_lang(language)]["lead"]
    return _TASK_TITLES[(_lang(language), milestone)].format(lead=lead, listing=listing)


def deal_settings(settings: dict[str, str] | None) -> dict[str, str]:
    """The connection's deal settings over the defaults."""
    return {**DEFAULT_DEAL_SETTINGS, **{k: v for k, v in (settings or {}).items() if v}}
