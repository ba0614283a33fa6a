"""A connection's credential (a FUB API key or an OAuth token set), sealed for the database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.core.security import SecretBox
from integrations.oauth import OAuthToken


@dataclass(frozen=True)
class ApiKeyCredential:
    api_key: str

    def __repr__(self) -> str:  # never print a secret, not even in a traceback
        return "ApiKeyCredential(api_key=***)"


@dataclass(frozen=True)
class OAuthCredential:
    token: OAuthToken

    def __repr__(self) -> str:
        return f"OAuthCredential(expires_at={self.token.expires_at})"


Credential = ApiKeyCredential | OAuthCredential


def seal(box: SecretBox, credential: Credential) -> str:
    data: dict[str, Any]
    if isinstance(credential, ApiKeyCredential):
        data = {"kind": "api_key", "api_key": credential.api_key}
    else:
        data = {"kind": "oauth", "token": credential.token.as_dict()}
    return box.encrypt(json.dumps(data))


def unseal(box: SecretBox, ciphertext: str) -> Credential:
    data = json.loads(box.decrypt(ciphertext))
    if data["kind"] == "api_key":
        return ApiKeyCredential(data["api_key"])
    return OAuthCredential(OAuthToken.from_dict(data["token"]))
