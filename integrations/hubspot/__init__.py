"""HubSpot adapter: CRM v3 contacts client, OAuth with PKCE, and webhook signatures."""

from integrations.hubspot.client import HubSpotClient
from integrations.hubspot.mapping import contact_to_crm
from integrations.hubspot.oauth import HubSpotOAuth
from integrations.hubspot.webhooks import (
    HubSpotWebhookEvent,
    HubSpotWebhookReader,
    hubspot_signature_v1,
    hubspot_signature_v2,
    hubspot_signature_v3,
    parse_hubspot_events,
    verify_hubspot_request,
)

__all__ = [
    "HubSpotClient",
    "HubSpotOAuth",
    "HubSpotWebhookEvent",
    "HubSpotWebhookReader",
    "contact_to_crm",
    "hubspot_signature_v1",
    "hubspot_signature_v2",
    "hubspot_signature_v3",
    "parse_hubspot_events",
    "verify_hubspot_request",
]
