"""Follow Up Boss adapter against the FUB-shaped stand-in."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from integrations.crm import (
    CrmAuthError,
    CrmContact,
    CrmUnavailable,
    WebhookRejected,
    WriteBack,
)
from integrations.followupboss import (
    FollowUpBossClient,
    FollowUpBossOAuth,
    FubApiKey,
    parse_fub_webhook,
)
from integrations.oauth import (
    InMemoryPendingOAuthStore,
    OAuthStateError,
    OAuthToken,
    TokenSource,
)
from tests.integrations.crm.conftest import FAST_RETRIES, Running
from tests.support.fub_standin import FubStandIn


def client_for(
    fub: Running[FubStandIn], http: httpx.AsyncClient, key: str = "fub-key-broker"
) -> FollowUpBossClient:
    return FollowUpBossClient(
        http,
        fub.url,
        FubApiKey(key),
        fub.stand_in.system,
        fub.stand_in.system_key,
        account_key="acct-1",
        policy=FAST_RETRIES,
    )


async def import_all(client: FollowUpBossClient) -> list[CrmContact]:
    contacts: list[CrmContact] = []
    cursor = None
    while True:
        page = await client.list_contacts(cursor)
        contacts.extend(page.contacts)
        if page.next_cursor is None:
            return contacts
        cursor = page.next_cursor


async def test_full_import_pages_to_the_end_and_maps_every_field(fub, http):
    for person_id in range(1, 301):
        fub.stand_in.add_person(person_id)
    fub.stand_in.add_person(
        77,
        firstName="Ana",
        lastName="Martínez",
        emails=[{"value": "ana@example.com"}, {"value": "ana.work@example.com"}],
        phones=[{"value": "+13055550101"}, {"value": "+13055550102"}],
        stage="Hot Prospect",
        tags=["Buyer", "Miami"],
        price=450000,
        lastActivity="2024-05-02T14:30:00Z",
        background="Wants 3 bedrooms near a school",
    )

    contacts = await import_all(client_for(fub, http))

    assert len(contacts) == 300
    assert {c.external_id for c in contacts} == {str(i) for i in range(1, 301)}
    assert [m for m, p in fub.stand_in.requests if p == "/v1/people"] == ["GET"] * 3
    ana = next(c for c in contacts if c.external_id == "77")
    assert (ana.first_name, ana.last_name) == ("Ana", "Martínez")
    assert ana.emails == ["ana@example.com", "ana.work@example.com"]
    assert ana.phones == ["+13055550101", "+13055550102"]
    assert ana.status == "Hot Prospect"
    assert ana.tags == ["Buyer", "Miami"]
    assert ana.price == Decimal("450000")
    assert ana.last_activity_at == datetime(2024, 5, 2, 14, 30, tzinfo=UTC)
    assert ana.notes == "Wants 3 bedrooms near a school"
    assert ana.source == "Zillow"


async def test_me_checks_an_api_key(fub, http):
    assert (await client_for(fub, http).me())["name"] == "Broker Owner"


async def test_revoked_key_is_an_auth_error_a_broker_understands(fub, http):
    fub.stand_in.revoked_keys.add("fub-key-broker")

    with pytest.raises(CrmAuthError) as raised:
        await client_for(fub, http).list_contacts()

    assert "Please reconnect Follow Up Boss" in raised.value.message
    assert len(fub.stand_in.requests) == 1  # a 401 is not retried


async def test_unknown_system_headers_are_refused(fub, http):
    client = FollowUpBossClient(
        http, fub.url, FubApiKey("fub-key-broker"), "BRSCALE", "wrong-key", account_key="a"
    )
    with pytest.raises(CrmAuthError):
        await client.me()


async def test_429_waits_for_retry_after_then_succeeds(fub, http):
    fub.stand_in.add_person(1)
    fub.stand_in.throttle_next(retry_after=1)

    started = time.monotonic()
    page = await client_for(fub, http).list_contacts()

    assert time.monotonic() - started >= 1.0
    assert [c.external_id for c in page.contacts] == ["1"]
    assert len(fub.stand_in.requests) == 2


async def test_injected_500_is_retried(fub, http):
    fub.stand_in.add_person(1)
    fub.stand_in.fail_next(500)

    page = await client_for(fub, http).list_contacts()

    assert [c.external_id for c in page.contacts] == ["1"]
    assert len(fub.stand_in.requests) == 2


async def test_persistent_500_becomes_crm_unavailable(fub, http):
    for _ in range(FAST_RETRIES.attempts):
        fub.stand_in.fail_next(503)
    with pytest.raises(CrmUnavailable):
        await client_for(fub, http).list_contacts()
    assert len(fub.stand_in.requests) == FAST_RETRIES.attempts


async def test_rate_limit_headers_slow_the_client_down(fub, http):
    fub.stand_in.rate_limit, fub.stand_in.window_seconds = 2, 1
    client = client_for(fub, http)

    started = time.monotonic()
    for _ in range(3):
        await client.me()

    # After two calls the server reports 0 remaining of 2 per 1 s: the third waits ~0.5 s.
    assert time.monotonic() - started >= 0.45


async def test_updated_since_returns_only_later_changes(fub, http):
    for person_id in range(1, 11):
        fub.stand_in.add_person(person_id)  # updated 2024-01-01 00:01 .. 00:10

    page = await client_for(fub, http).list_updated_since(datetime(2024, 1, 1, 0, 8, tzinfo=UTC))

    assert [c.external_id for c in page.contacts] == ["10", "9", "8"]
    assert page.next_cursor is None


async def test_write_back_twice_creates_one_note_and_keeps_broker_tags(fub, http):
    fub.stand_in.add_person(5, tags=["Buyer", "BR SCALE: cold"], stage="Lead")
    client = client_for(fub, http)
    write = WriteBack(
        external_id="5",
        score=85,
        subject="BR SCALE: score 85, qualified",
        tags=("BR SCALE: qualified", "BR SCALE score: 85"),
        note="Ana wants a viewing tomorrow at 10.",
        idempotency_key="conv-9:step-4",
        crm_status="Hot Prospect",
    )

    first = await client.write_back(write)
    second = await client.write_back(write)

    assert (first.created, second.created) == (True, False)
    assert first.note_id == second.note_id
    assert len(fub.stand_in.notes) == 1
    note = fub.stand_in.notes[0]
    assert note["personId"] == 5
    assert note["subject"] == "BR SCALE: score 85, qualified"
    assert note["body"].startswith("Ana wants a viewing tomorrow at 10.")
    person = fub.stand_in.people[5]
    assert person["tags"] == ["Buyer", "BR SCALE: qualified", "BR SCALE score: 85"]
    assert person["stage"] == "Hot Prospect"


async def test_webhook_signature_good_tampered_and_stale(fub, http):
    fub.stand_in.add_person(3, firstName="Luis")
    fub.stand_in.add_person(4)
    key = fub.stand_in.system_key
    now = datetime.now(UTC)
    body, headers = fub.stand_in.signed_webhook("peopleUpdated", [3, 4])

    event = parse_fub_webhook(body, headers["FUB-Signature"], key, now=now)

    assert (event.event, event.resource_ids) == ("peopleUpdated", ["3", "4"])
    assert event.uri == "https://api.followupboss.com/v1/people?id=3,4"
    fetched = await client_for(fub, http).fetch_webhook_resources(event)
    assert sorted((c.external_id, c.first_name) for c in fetched) == [
        ("3", "Luis"),
        ("4", "First4"),
    ]

    tampered = body.replace(b"[3, 4]", b"[3, 5]")
    with pytest.raises(WebhookRejected, match="FUB-Signature"):
        parse_fub_webhook(tampered, headers["FUB-Signature"], key, now=now)
    with pytest.raises(WebhookRejected, match="FUB-Signature"):
        parse_fub_webhook(body, headers["FUB-Signature"], "another-system-key", now=now)

    old_body, old_headers = fub.stand_in.signed_webhook(
        "peopleUpdated", [3], created=now - timedelta(hours=13)
    )
    with pytest.raises(WebhookRejected, match="stale"):
        parse_fub_webhook(old_body, old_headers["FUB-Signature"], key, now=now)


async def test_oauth_round_trip_then_bearer_calls(fub, http):
    store = InMemoryPendingOAuthStore()
    redirect = "https://brscale.example/oauth/followupboss/callback"
    oauth = FollowUpBossOAuth(
        http,
        fub.stand_in.client_id,
        fub.stand_in.client_secret,
        redirect,
        authorize_url="https://app.followupboss.com/oauth/authorize",
        token_url=f"{fub.url}/oauth/token",
    )
    url, state = await oauth.build_authorize_url(store, owner="brokerage-1")
    query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    assert query == {
        "response_type": "auth_code",
        "client_id": "fub-client",
        "redirect_uri": redirect,
        "state": state,
    }
    code = fub.stand_in.issue_code(redirect)

    with pytest.raises(OAuthStateError):
        await oauth.complete(store, {"response": "approved", "code": code, "state": "forged"})
    token, pending = await oauth.complete(
        store, {"response": "approved", "code": code, "state": state}
    )

    assert pending.owner == "brokerage-1"
    assert token.access_token in fub.stand_in.access_tokens
    bearer = FollowUpBossClient(
        http,
        fub.url,
        TokenSource(token),
        fub.stand_in.system,
        fub.stand_in.system_key,
        account_key="acct-oauth",
    )
    assert (await bearer.me())["id"] == 1
    with pytest.raises(OAuthStateError):  # the state is single use
        await oauth.complete(store, {"response": "approved", "code": code, "state": state})
    refreshed = await oauth.refresh(token.refresh_token or "")
    assert refreshed.access_token != token.access_token
    assert refreshed.access_token in fub.stand_in.access_tokens


async def test_a_token_refused_early_is_refreshed_once_and_the_call_retried(fub, http):
    """Follow Up Boss expired the access token before we thought (clock skew, or it lapsed
    while the client waited out a `Retry-After`): the 401 is answered by one refresh and the
    call is retried with the new token, not taken as a revoked connection (issue #12, 7: HubSpot
    and Follow Up Boss share `send_with_token`; only HubSpot's side was tested)."""
    store = InMemoryPendingOAuthStore()
    redirect = "https://brscale.example/oauth/followupboss/callback"
    oauth = FollowUpBossOAuth(
        http,
        fub.stand_in.client_id,
        fub.stand_in.client_secret,
        redirect,
        authorize_url="https://app.followupboss.com/oauth/authorize",
        token_url=f"{fub.url}/oauth/token",
    )
    _, state = await oauth.build_authorize_url(store, owner="brokerage-1")
    code = fub.stand_in.issue_code(redirect)
    token, _ = await oauth.complete(store, {"response": "approved", "code": code, "state": state})
    fub.stand_in.add_person(1)
    # We believe it good for hours; FUB no longer takes it.
    believed = OAuthToken(
        token.access_token, token.refresh_token, datetime.now(UTC) + timedelta(hours=3)
    )
    fub.stand_in.access_tokens.discard(token.access_token)
    saved: list[OAuthToken] = []

    async def persist(refreshed: OAuthToken) -> None:
        saved.append(refreshed)

    tokens = TokenSource(believed, refresh=oauth.refresh, on_token_refreshed=persist)
    client = FollowUpBossClient(
        http,
        fub.url,
        tokens,
        fub.stand_in.system,
        fub.stand_in.system_key,
        account_key="acct-oauth",
        policy=FAST_RETRIES,
    )
    page = await client.list_contacts()

    assert [c.external_id for c in page.contacts] == ["1"]
    assert len(saved) == 1  # refreshed once, and the new token stored
    assert saved[0].access_token in fub.stand_in.access_tokens
    assert tokens.token == saved[0]
