"""Every domain's jobs, imported in one place so workers and the in-process runner know them."""

from app.activity import tasks as activity_tasks
from app.conversations import tasks as conversation_tasks
from app.core.jobs import TASKS
from app.crm_sync import tasks as crm_tasks
from app.digest import tasks as digest_tasks
from app.matching import tasks as matching_tasks
from app.messaging import tasks as messaging_tasks
from app.teams import tasks as team_tasks
from app.viewings import tasks as viewing_tasks
from app.webhooks import tasks as webhook_tasks

__all__ = [
    "TASKS",
    "activity_tasks",
    "conversation_tasks",
    "crm_tasks",
    "digest_tasks",
    "matching_tasks",
    "messaging_tasks",
    "team_tasks",
    "viewing_tasks",
    "webhook_tasks",
]
