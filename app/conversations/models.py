"""The conversation rows and the broker's hand-off tasks, as this domain names them: the tables
are `app/threads` (below messaging, which reads and ends them too)."""

from app.threads.models import (
    BrokerTask,
    Conversation,
    ConversationStatus,
    TaskKind,
    TaskStatus,
    thread_id_for,
)

__all__ = [
    "BrokerTask",
    "Conversation",
    "ConversationStatus",
    "TaskKind",
    "TaskStatus",
    "thread_id_for",
]
