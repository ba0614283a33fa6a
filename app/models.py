"""Every domain's tables, imported in one place for Alembic and the tests."""

from app.accounts.models import ApiKey, Brokerage, User
from app.activity.models import ActivityEventRow
from app.capture.models import CaptureKey
from app.core.db import Base
from app.crm_sync.models import CrmConnection, CrmLink, SyncRun, TimelineLog
from app.digest.models import Digest
from app.inbox.models import WebhookEvent
from app.leads.models import ImportRowError, Lead, LeadChange, LeadImport
from app.matching.models import Match
from app.messaging.models import Consent, Message
from app.properties.models import Property
from app.teams.models import AuditEntry, Invitation, StaffNotice
from app.threads.models import BrokerTask, Conversation, Viewing
from app.webhooks.models import WebhookDelivery, WebhookSubscription

__all__ = [
    "ActivityEventRow",
    "ApiKey",
    "AuditEntry",
    "Base",
    "BrokerTask",
    "Brokerage",
    "CaptureKey",
    "Consent",
    "Conversation",
    "CrmConnection",
    "CrmLink",
    "Digest",
    "ImportRowError",
    "Invitation",
    "Lead",
    "LeadChange",
    "LeadImport",
    "Match",
    "Message",
    "Property",
    "StaffNotice",
    "SyncRun",
    "TimelineLog",
    "User",
    "Viewing",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
]
