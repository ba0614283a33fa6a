"""Signed tokens in links and addresses: the unsubscribe link (lead) and reply address (thread).

Tokens never expire (an unsubscribe link must keep working for months) and carry no secret data.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from app.core.security import sign_value


def _token(key: str, purpose: str, id_: int) -> str:
    return f"{id_}.{sign_value(key, f'{purpose}:{id_}')}"


def _verify(keys: str | Sequence[str], purpose: str, token: str) -> int | None:
    """The id inside a token signed with any of `keys` (links outlive a key rotation)."""
    raw_id, dot, signature = token.partition(".")
    if not dot or not raw_id.isdigit():
        return None
    for key in [keys] if isinstance(keys, str) else keys:
        expected = sign_value(key, f"{purpose}:{int(raw_id)}")
        # Some mail servers lowercase the local part of an address: compare without case.
        if hmac.compare_digest(expected.lower(), signature.lower()):
            return int(raw_id)
    return None


def unsubscribe_token(key: str, lead_id: int) -> str:
    return _token(key, "unsubscribe", lead_id)


def lead_for_unsubscribe(keys: str | Sequence[str], token: str) -> int | None:
    return _verify(keys, "unsubscribe", token)


def reply_token_for(key: str, conversation_id: int) -> str:
    return _token(key, "reply", conversation_id)


def conversation_for_reply(keys: str | Sequence[str], token: str) -> int | None:
    return _verify(keys, "reply", token)
