"""Follow Up Boss adapter: API v1 client, OAuth, and webhook verification."""

from integrations.followupboss.client import FollowUpBossClient, FubApiKey, brscale_tags
from integrations.followupboss.mapping import person_to_contact
from integrations.followupboss.oauth import FollowUpBossOAuth
from integrations.followupboss.webhooks import (
    FubWebhookEvent,
    FubWebhookReader,
    fub_signature,
    parse_fub_webhook,
    verify_fub_signature,
)

__all__ = [
    "FollowUpBossClient",
    "FollowUpBossOAuth",
    "FubApiKey",
    "FubWebhookEvent",
    "FubWebhookReader",
    "brscale_tags",
    "fub_signature",
    "parse_fub_webhook",
    "person_to_contact",
    "verify_fub_signature",
]
