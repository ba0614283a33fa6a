"""Follow Up Boss OAuth 2 (authorization code): the consent URL, and code/refresh exchanges.

FUB's flavour (external-apis.md 1.3): `response_type=auth_code`, the callback carries
`response=approved|denied`, and the token endpoint takes the client credentials as HTTP Basic.
The token endpoint URL and body come from secondary sources (doc open item 3).
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Mapping
from urllib.parse import urlencode

import httpx

from integrations.crm import CrmAuthError, CrmUnavailable
from integrations.http import send_with_retries
from integrations.oauth import (
    Clock,
    OAuthStateError,
    OAuthToken,
    PendingOAuth,
    PendingOAuthStore,
    take_pending,
    utc_now,
)

AUTHORIZE_URL = "https://app.followupboss.com/oauth/authorize"
TOKEN_URL = "https://app.followupboss.com/oauth/token"
PROVIDER = "followupboss"
STATE_TTL_SECONDS = 900  # FUB auth codes live 15 minutes


class FollowUpBossOAuth:
    def __init__(
        self,
        http: httpx.AsyncClient,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        *,
        authorize_url: str = AUTHORIZE_URL,
        token_url: str = TOKEN_URL,
        clock: Clock = utc_now,
    ) -> None:
        self._http = http
        self._client_id = client_id
        self._client_secret = client_secret
        self._redirect_uri = redirect_uri
        self._authorize_url = authorize_url
        self._token_url = token_url
        self._clock = clock

    async def build_authorize_url(
        self, store: PendingOAuthStore, owner: str, *, prompt_login: bool = False
    ) -> tuple[str, str]:
        """The consent URL and its `state` (saved, single use, in `store`)."""
        state = secrets.token_urlsafe(32)
        await store.save(state, PendingOAuth(PROVIDER, owner, None), STATE_TTL_SECONDS)
        params = {
            "response_type": "auth_code",
            "client_id": self._client_id,
            "redirect_uri": self._redirect_uri,
            "state": state,
        }
        if prompt_login:
            params["prompt"] = "login"
        return f"{self._authorize_url}?{urlencode(params)}", state

    async def complete(
        self, store: PendingOAuthStore, callback_params: Mapping[str, str]
    ) -> tuple[OAuthToken, PendingOAuth]:
        """Handle `/oauth/followupboss/callback`: check `state`, then exchange the code."""
        pending = await take_pending(store, callback_params.get("state"), PROVIDER)
        code = callback_params.get("code")
        if callback_params.get("response") == "denied" or not code:
            raise OAuthStateError("the broker declined access in Follow Up Boss")
        token = await self._token_request(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self._redirect_uri,
                "state": callback_params["state"],
            }
        )
        return token, pending

    async def refresh(self, refresh_token: str) -> OAuthToken:
        return await self._token_request(
            {"grant_type": "refresh_token", "refresh_token": refresh_token},
            previous_refresh_token=refresh_token,
        )

    async def _token_request(
        self, form: dict[str, str], previous_refresh_token: str | None = None
    ) -> OAuthToken:
        client = base64.b64encode(f"{self._client_id}:{self._client_secret}".encode()).decode()
        request = self._http.build_request(
            "POST", self._token_url, data=form, headers={"Authorization": f"Basic {client}"}
        )
        try:
            response = await send_with_retries(self._http, request, retry_on_timeout=False)
        except httpx.TransportError as exc:
            raise CrmUnavailable("Follow Up Boss did not answer; please try again.") from exc
        if response.status_code in (400, 401, 403):
            raise CrmAuthError("Follow Up Boss refused the login. Please connect it again.")
        if response.status_code >= 300:
            raise CrmUnavailable(f"Follow Up Boss login failed ({response.status_code}).")
        return OAuthToken.from_token_response(
            response.json(), now=self._clock(), previous_refresh_token=previous_refresh_token
        )
