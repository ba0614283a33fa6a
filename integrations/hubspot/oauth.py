"""HubSpot OAuth 2 authorization code with `state` and PKCE, through authlib.

authlib's client is an httpx2 client here (stack-notes 5.1), so it is only used for these token
calls; API calls go through the shared httpx client. HubSpot wants the client credentials in the
form body, hence `client_secret_post` instead of authlib's default Basic header.
"""

from __future__ import annotations

from typing import Any

import httpx2
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError

from integrations.crm import CrmAuthError, CrmUnavailable
from integrations.oauth import (
    Clock,
    OAuthToken,
    PendingOAuth,
    PendingOAuthStore,
    take_pending,
    utc_now,
)

AUTHORIZE_URL = "https://app.hubspot.com/oauth/authorize"
TOKEN_URL = "https://api.hubapi.com/oauth/v1/token"
PROVIDER = "hubspot"
SCOPES = ("crm.objects.contacts.read", "crm.objects.contacts.write")
STATE_TTL_SECONDS = 600


class HubSpotOAuth:
    def __init__(
        self,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        *,
        scopes: tuple[str, ...] = SCOPES,
        authorize_url: str = AUTHORIZE_URL,
        token_url: str = TOKEN_URL,
        transport: httpx2.AsyncBaseTransport | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._redirect_uri = redirect_uri
        self._scopes = scopes
        self._authorize_url = authorize_url
        self._token_url = token_url
        self._transport = transport
        self._clock = clock

    def _client(self, **kwargs: Any) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(
            self._client_id,
            self._client_secret,
            token_endpoint_auth_method="client_secret_post",
            redirect_uri=self._redirect_uri,
            code_challenge_method="S256",
            timeout=httpx2.Timeout(15.0, connect=5.0),
            transport=self._transport,
            **kwargs,
        )

    async def build_authorize_url(
        self, store: PendingOAuthStore, owner: str
    ) -> tuple[str, str, str]:
        """(consent URL, state, PKCE code_verifier); state and verifier are saved in `store`."""
        verifier = generate_token(64)
        async with self._client(scope=" ".join(self._scopes)) as client:
            url, state = client.create_authorization_url(
                self._authorize_url, code_verifier=verifier
            )
        await store.save(state, PendingOAuth(PROVIDER, owner, verifier), STATE_TTL_SECONDS)
        return url, state, verifier

    async def exchange_code(
        self, store: PendingOAuthStore, code: str, state: str | None
    ) -> tuple[OAuthToken, PendingOAuth]:
        """Handle `/oauth/hubspot/callback`: the state must be pending (else OAuthStateError)."""
        pending = await take_pending(store, state, PROVIDER)
        async with self._client() as client:
            payload = await self._token_call(
                client.fetch_token(
                    self._token_url,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=pending.code_verifier,
                )
            )
        return OAuthToken.from_token_response(payload, now=self._clock()), pending

    async def refresh(self, refresh_token: str) -> OAuthToken:
        async with self._client() as client:
            payload = await self._token_call(
                client.refresh_token(self._token_url, refresh_token=refresh_token)
            )
        return OAuthToken.from_token_response(
            payload, now=self._clock(), previous_refresh_token=refresh_token
        )

    @staticmethod
    async def _token_call(call: Any) -> dict[str, Any]:
        refused = CrmAuthError(
            "HubSpot refused BR SCALE's access (the app was uninstalled or the login expired). "
            "Please reconnect HubSpot."
        )
        try:
            payload = dict(await call)
        except OAuthError as exc:
            raise refused from exc
        except (httpx2.TransportError, httpx2.HTTPStatusError) as exc:
            raise CrmUnavailable("HubSpot did not answer; please try again.") from exc
        # HubSpot's errors are {"status": "BAD_REFRESH_TOKEN", "message": ...}, which authlib
        # does not recognise as an OAuth error.
        if "access_token" not in payload:
            raise refused
        return payload
