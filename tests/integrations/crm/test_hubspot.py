"""HubSpot adapter against the HubSpot-shaped stand-in."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from integrations.crm import CrmAuthError, CrmContact, WebhookRejected, WriteBack
from integrations.hubspot import (
    HubSpotClient,
    HubSpotOAuth,
    hubspot_signature_v1,
    hubspot_signature_v2,
    parse_hubspot_events,
    verify_hubspot_request,
)
from integrations.oauth import (
    InMemoryPendingOAuthStore,
    OAuthStateError,
    OAuthToken,
    TokenSource,
)
from tests.integrations.crm.conftest import FAST_RETRIES, ManualClock, Running
from tests.support.hubspot_standin import HubSpotStandIn

REDIRECT = "https://brscale.example/oauth/hubspot/callback"
WEBHOOK_URL = "https://brscale.example/webhooks/hubspot"


def oauth_for(hubspot: Running[HubSpotStandIn], clock: ManualClock) -> HubSpotOAuth:
    return HubSpotOAuth(
        hubspot.stand_in.client_id,
        hubspot.stand_in.client_secret,
        REDIRECT,
        token_url=f"{hubspot.url}/oauth/v1/token",
        clock=clock,
    )


def client_for(
    hubspot: Running[HubSpotStandIn], http: httpx.AsyncClient, tokens: TokenSource
) -> HubSpotClient:
    return HubSpotClient(
        http, tokens, account_key="portal-1", api_url=hubspot.url, policy=FAST_RETRIES
    )


def static_client(hubspot: Running[HubSpotStandIn], http: httpx.AsyncClient) -> HubSpotClient:
    access, _ = hubspot.stand_in.issue_token()
    return client_for(hubspot, http, TokenSource.static(access))


async def import_all(client: HubSpotClient) -> list[CrmContact]:
    contacts: list[CrmContact] = []
    cursor = None
    while True:
        page = await client.list_contacts(cursor)
        contacts.extend(page.contacts)
        if page.next_cursor is None:
            return contacts
        cursor = page.next_cursor


async def test_full_import_pages_with_after_and_maps_contacts(hubspot, http):
    for contact_id in range(1, 251):
        hubspot.stand_in.add_contact(contact_id)
    hubspot.stand_in.add_contact(
        42,
        firstname="Ana",
        lastname="Martínez",
        email="ana@example.com",
        hs_additional_emails="ana.work@example.com;ana@example.com",
        phone="+13055550101",
        mobilephone="+13055550102",
        hs_lead_status="IN_PROGRESS",
        notes_last_contacted="2024-05-02T14:30:00.000Z",
        hs_analytics_source="ORGANIC_SEARCH",
    )

    contacts = await import_all(static_client(hubspot, http))

    assert [c.external_id for c in contacts] == [str(i) for i in range(1, 251)]
    list_calls = [r for r in hubspot.stand_in.requests if r[1] == "/crm/v3/objects/contacts"]
    assert len(list_calls) == 3
    ana = contacts[41]
    assert (ana.first_name, ana.last_name) == ("Ana", "Martínez")
    assert ana.emails == ["ana@example.com", "ana.work@example.com"]
    assert ana.phones == ["+13055550101", "+13055550102"]
    assert ana.status == "IN_PROGRESS"
    assert ana.last_activity_at == datetime(2024, 5, 2, 14, 30, tzinfo=UTC)
    assert ana.updated_at == datetime(2024, 1, 1, 0, 42, tzinfo=UTC)
    assert ana.source == "ORGANIC_SEARCH"


async def test_oauth_round_trip_with_pkce_and_state(hubspot, http, clock):
    oauth = oauth_for(hubspot, clock)
    store = InMemoryPendingOAuthStore()

    url, state, verifier = await oauth.build_authorize_url(store, owner="brokerage-7")
    query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    assert url.startswith("https://app.hubspot.com/oauth/authorize?")
    assert query["state"] == state
    assert query["redirect_uri"] == REDIRECT
    assert query["scope"] == "crm.objects.contacts.read crm.objects.contacts.write"
    assert query["code_challenge_method"] == "S256"
    assert verifier not in url
    callback = hubspot.stand_in.approve(url)

    with pytest.raises(OAuthStateError):
        await oauth.exchange_code(store, callback["code"], state + "x")
    token, pending = await oauth.exchange_code(store, callback["code"], callback["state"])

    assert pending.owner == "brokerage-7"
    assert hubspot.stand_in.token_grants == ["authorization_code"]
    assert token.expires_at == clock.now + timedelta(seconds=1800)
    assert token.refresh_token in hubspot.stand_in.refresh_tokens
    page = await client_for(hubspot, http, TokenSource(token)).list_contacts()
    assert page.contacts == []
    with pytest.raises(OAuthStateError):  # single use: a replayed callback is refused
        await oauth.exchange_code(store, callback["code"], callback["state"])


async def test_token_endpoint_refusal_is_an_auth_error(hubspot, clock):
    with pytest.raises(CrmAuthError, match="reconnect HubSpot"):
        await oauth_for(hubspot, clock).refresh("not-a-refresh-token")


async def test_refresh_in_the_middle_of_paging_is_persisted(hubspot, http, clock):
    for contact_id in range(1, 301):
        hubspot.stand_in.add_contact(contact_id)
    access, refresh = hubspot.stand_in.issue_token()
    first = OAuthToken(access, refresh, clock.now + timedelta(seconds=1800))
    saved: list[OAuthToken] = []

    async def persist(token: OAuthToken) -> None:
        saved.append(token)

    tokens = TokenSource(
        first, refresh=oauth_for(hubspot, clock).refresh, on_token_refreshed=persist, clock=clock
    )
    client = client_for(hubspot, http, tokens)

    page = await client.list_contacts()
    clock.advance(timedelta(minutes=29, seconds=30))  # the stand-in sees the same time
    contacts = list(page.contacts)
    while page.next_cursor:
        page = await client.list_contacts(page.next_cursor)
        contacts.extend(page.contacts)

    assert len(contacts) == 300
    assert hubspot.stand_in.token_grants == ["refresh_token"]
    assert len(saved) == 1
    assert saved[0].refresh_token == refresh
    assert saved[0].expires_at == clock.now + timedelta(seconds=1800)
    used = [token for _, path, token in hubspot.stand_in.requests]
    assert used == [access, saved[0].access_token, saved[0].access_token]
    assert tokens.token == saved[0]


async def test_a_token_refused_early_is_refreshed_once_and_the_call_retried(hubspot, http, clock):
    hubspot.stand_in.add_contact(1)
    access, refresh = hubspot.stand_in.issue_token()
    # We believe the token good for hours (clock skew, or it lapsed while we waited out a
    # Retry-After): HubSpot has already expired it.
    believed = OAuthToken(access, refresh, clock.now + timedelta(hours=3))
    clock.advance(timedelta(seconds=hubspot.stand_in.access_token_ttl + 1))
    saved: list[OAuthToken] = []

    async def persist(token: OAuthToken) -> None:
        saved.append(token)

    tokens = TokenSource(
        believed, refresh=oauth_for(hubspot, clock).refresh, on_token_refreshed=persist, clock=clock
    )
    hubspot.stand_in.throttle_next(retry_after=1)
    page = await client_for(hubspot, http, tokens).list_contacts()

    assert [c.external_id for c in page.contacts] == ["1"]
    assert hubspot.stand_in.token_grants == ["refresh_token"]  # once
    assert [t.access_token for t in saved] == [tokens.token.access_token]
    used = [token for _, _, token in hubspot.stand_in.requests]
    assert used[-1] == saved[0].access_token and access in used


async def test_a_token_refused_again_after_its_refresh_is_an_auth_error(hubspot, http, clock):
    access, refresh = hubspot.stand_in.issue_token()
    tokens = TokenSource(
        OAuthToken(access, refresh, clock.now + timedelta(hours=3)),
        refresh=oauth_for(hubspot, clock).refresh,
        clock=clock,
    )
    hubspot.stand_in.fail_next(401)
    hubspot.stand_in.fail_next(401)
    with pytest.raises(CrmAuthError, match="Please reconnect HubSpot"):
        await client_for(hubspot, http, tokens).list_contacts()
    assert hubspot.stand_in.token_grants == ["refresh_token"]


async def test_expired_token_without_refresh_is_an_auth_error(hubspot, http, clock):
    access, _ = hubspot.stand_in.issue_token()
    clock.advance(timedelta(hours=1))
    with pytest.raises(CrmAuthError, match="Please reconnect HubSpot"):
        await client_for(hubspot, http, TokenSource.static(access)).list_contacts()


async def test_429_with_retry_after_then_success(hubspot, http):
    hubspot.stand_in.add_contact(1)
    client = static_client(hubspot, http)
    hubspot.stand_in.throttle_next(retry_after=1)

    started = time.monotonic()
    page = await client.list_contacts()

    assert time.monotonic() - started >= 1.0
    assert [c.external_id for c in page.contacts] == ["1"]
    assert len(hubspot.stand_in.requests) == 2


async def test_injected_500_is_retried(hubspot, http):
    hubspot.stand_in.add_contact(1)
    client = static_client(hubspot, http)
    hubspot.stand_in.fail_next(502)

    contact = await client.get_contact("1")

    assert contact.first_name == "First1"
    assert len(hubspot.stand_in.requests) == 2


async def test_updated_since_searches_lastmodifieddate(hubspot, http):
    for contact_id in range(1, 21):
        hubspot.stand_in.add_contact(contact_id)  # modified 2024-01-01 00:01 .. 00:20

    page = await static_client(hubspot, http).list_updated_since(
        datetime(2024, 1, 1, 0, 18, tzinfo=UTC)
    )

    assert [c.external_id for c in page.contacts] == ["18", "19", "20"]
    assert page.next_cursor is None


async def test_write_back_twice_creates_one_associated_note(hubspot, http):
    hubspot.stand_in.add_contact(9, hs_lead_status="NEW")
    client = static_client(hubspot, http)
    write = WriteBack(
        external_id="9",
        score=85,
        subject="BR SCALE: score 85, qualified",
        note="Wants a viewing tomorrow.",
        idempotency_key="conv-3:step-2",
        crm_status="CONNECTED",
    )

    first = await client.write_back(write)
    second = await client.write_back(write)

    assert (first.created, second.created) == (True, False)
    assert first.note_id == second.note_id == "1"
    assert list(hubspot.stand_in.notes) == [1]
    assert hubspot.stand_in.note_links == {9: [1]}
    body = hubspot.stand_in.notes[1]["hs_note_body"]
    assert body.startswith("BR SCALE: score 85, qualified\n\nWants a viewing tomorrow.")
    assert hubspot.stand_in.contacts[9]["hs_lead_status"] == "CONNECTED"


async def test_webhook_v3_good_tampered_and_stale(hubspot, http, clock):
    hubspot.stand_in.add_contact(5, firstname="Rosa")
    secret = hubspot.stand_in.client_secret
    event = {
        "eventId": 100,
        "subscriptionId": 7,
        "portalId": 62515,
        "occurredAt": int(clock.now.timestamp() * 1000),
        "subscriptionType": "contact.propertyChange",
        "attemptNumber": 0,
        "objectId": 5,
        "propertyName": "firstname",
        "propertyValue": "Rosa",
        "changeSource": "CRM_UI",
    }
    body, headers = hubspot.stand_in.signed_delivery(WEBHOOK_URL, [event])
    headers = {k.lower(): v for k, v in headers.items()}

    verify_hubspot_request(headers, "POST", WEBHOOK_URL, body, secret, now=clock.now)
    events = parse_hubspot_events(body)
    assert [(e.subscription_type, e.object_id, e.property_value) for e in events] == [
        ("contact.propertyChange", "5", "Rosa")
    ]
    assert events[0].dedupe_key == f"7:100:{event['occurredAt']}"
    fetched = await static_client(hubspot, http).fetch_webhook_resources(events)
    assert [(c.external_id, c.first_name) for c in fetched] == [("5", "Rosa")]

    with pytest.raises(WebhookRejected, match="Signature-v3"):
        verify_hubspot_request(
            headers, "POST", WEBHOOK_URL, body.replace(b"Rosa", b"Eve"), secret, now=clock.now
        )
    with pytest.raises(WebhookRejected, match="Signature-v3"):
        verify_hubspot_request(headers, "POST", WEBHOOK_URL + "?x=1", body, secret, now=clock.now)
    with pytest.raises(WebhookRejected, match="stale"):
        verify_hubspot_request(
            headers, "POST", WEBHOOK_URL, body, secret, now=clock.now + timedelta(minutes=6)
        )


def test_webhook_v3_uri_is_signed_with_decoded_reserved_characters(hubspot, clock):
    secret = hubspot.stand_in.client_secret
    signed_url = "https://brscale.example/webhooks/hubspot?tenant=a:b"
    body, headers = hubspot.stand_in.signed_delivery(signed_url, [])
    headers = {k.lower(): v for k, v in headers.items()}

    received_as = "https://brscale.example/webhooks/hubspot?tenant=a%3Ab"
    verify_hubspot_request(headers, "POST", received_as, body, secret, now=clock.now)


def test_webhook_v1_and_v2_signatures(clock):
    secret, body = "s3cret", b'[{"eventId": 1}]'
    v1 = {"x-hubspot-signature": hubspot_signature_v1(secret, body)}
    verify_hubspot_request(v1, "POST", WEBHOOK_URL, body, secret, now=clock.now)
    v2 = {
        "x-hubspot-signature": hubspot_signature_v2(secret, "POST", WEBHOOK_URL, body),
        "x-hubspot-signature-version": "v2",
    }
    verify_hubspot_request(v2, "POST", WEBHOOK_URL, body, secret, now=clock.now)

    with pytest.raises(WebhookRejected):
        verify_hubspot_request(v1, "POST", WEBHOOK_URL, body + b" ", secret, now=clock.now)
    with pytest.raises(WebhookRejected):
        verify_hubspot_request(v2, "POST", WEBHOOK_URL, body, "other-secret", now=clock.now)
