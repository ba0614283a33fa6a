"""Sign-up, log-in, `me`, tokens and API keys, over HTTP as a frontend would call them."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from app.core.runtime import Runtime
from app.core.security import TokenSigner
from tests.conftest import Api, error_codes

ME = "{ me { id email name } }"

pytestmark = pytest.mark.usefixtures("backend")


async def test_sign_up_then_log_in_then_me(api: Api) -> None:
    token = await api.sign_up("Ana@Example.com")

    me = await api.ok(ME, token=token)
    assert me["me"]["email"] == "ana@example.com"
    assert me["me"]["name"] == "Ana"

    logged = await api.ok(
        'mutation { logIn(input: {email: "ana@example.com", password: "correct horse battery"}) { token user { email } } }'
    )
    assert logged["logIn"]["user"]["email"] == "ana@example.com"
    assert (await api.ok(ME, token=logged["logIn"]["token"]))["me"]["email"] == "ana@example.com"


async def test_wrong_password_is_refused(api: Api) -> None:
    await api.sign_up()
    body = await api(
        'mutation { logIn(input: {email: "ana@example.com", password: "wrong password"}) { token } }'
    )
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert body["data"] is None


async def test_short_password_is_bad_input(api: Api) -> None:
    body = await api(
        'mutation { signUp(input: {email: "b@example.com", password: "short", name: "B", brokerageName: "B"}) { email } }'
    )
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_expired_token_is_refused(api: Api, runtime: Runtime) -> None:
    await api.sign_up()
    me = await api.ok(ME)
    user_id = int(__import__("base64").b64decode(me["me"]["id"]).decode().split(":")[1])
    expired_signer = TokenSigner(runtime.settings.signing_key, timedelta(hours=1))
    expired = expired_signer.issue(user_id, 1, now=datetime.now(UTC) - timedelta(hours=2))
    assert error_codes(await api(ME, token=expired)) == ["UNAUTHENTICATED"]


async def test_anonymous_and_garbage_tokens_are_unauthenticated(api: Api) -> None:
    assert error_codes(await api(ME)) == ["UNAUTHENTICATED"]
    assert error_codes(await api(ME, token="not-a-token")) == ["UNAUTHENTICATED"]
    assert error_codes(await api(ME, token="brs_abc_def")) == ["UNAUTHENTICATED"]


async def test_api_key_secret_shown_once_scopes_enforced_and_revocable(api: Api) -> None:
    await api.sign_up()
    created = await api.ok(
        'mutation { createApiKey(input: {name: "Zapier", scopes: ["crm:manage"]}) { secret apiKey { id name scopes lastUsedAt } } }'
    )
    secret = created["createApiKey"]["secret"]
    key_id = created["createApiKey"]["apiKey"]["id"]
    assert secret.startswith("brs_")
    assert created["createApiKey"]["apiKey"]["scopes"] == ["crm:manage"]

    listed = await api.ok("{ apiKeys { id name lastUsedAt } }", token=secret)
    assert [k["id"] for k in listed["apiKeys"]] == [key_id]
    assert listed["apiKeys"][0]["lastUsedAt"] is not None
    assert "secret" not in str(listed)

    await api.ok("mutation($id: ID!) { revokeApiKey(id: $id) { revoked } }", {"id": key_id})
    assert error_codes(await api("{ apiKeys { id } }", token=secret)) == ["UNAUTHENTICATED"]


async def test_scope_less_api_key_is_forbidden(api: Api) -> None:
    await api.sign_up()
    created = await api.ok(
        'mutation { createApiKey(input: {name: "bare", scopes: []}) { secret } }'
    )
    body = await api("{ apiKeys { id } }", token=created["createApiKey"]["secret"])
    assert error_codes(body) == ["FORBIDDEN"]


async def test_unknown_scope_is_bad_input(api: Api) -> None:
    await api.sign_up()
    body = await api(
        'mutation { createApiKey(input: {name: "x", scopes: ["everything"]}) { secret } }'
    )
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_internal_errors_are_masked(api: Api) -> None:
    body = await api("{ me { id } nope }")
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]


async def test_without_an_email_server_the_sign_up_link_is_in_the_log(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    """A local trial has no mailbox: the link that creates the account is printed too."""
    with caplog.at_level(logging.WARNING, logger="app.messaging.broker_mail"):
        await api.ok(
            "mutation($i: SignUpInput!) { signUp(input: $i) { email } }",
            {
                "i": {
                    "email": "ana@example.com",
                    "password": "a long password",
                    "name": "Ana",
                    "brokerageName": "Casa Ana",
                }
            },
        )
    links = {getattr(r, "link", None) for r in caplog.records} - {None}
    (link,) = links
    assert "/app/signup/" in link
    token = link.rsplit("/", 1)[1]
    confirmed = await api.ok(
        "mutation($i: ConfirmSignUpInput!) { confirmSignUp(input: $i) { user { name } } }",
        {"i": {"token": token}},
    )
    assert confirmed["confirmSignUp"]["user"] == {"name": "Ana"}
