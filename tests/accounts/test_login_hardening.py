"""Log-in under attack: hashing never stalls the server, unknown and known accounts answer
alike, guessing is throttled per account and per address (shared by every API process),
sign-up confirms no account, and session tokens can be revoked."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import statistics
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy import func, select

from app.accounts.models import Brokerage
from app.core.config import Settings
from app.core.runtime import Runtime, open_runtime
from app.core.security import hash_password, verify_password
from app.teams.signup import sign_up_links
from graphql_schema.asgi import create_app
from tests.conftest import SECRET, Api, error_codes, make_settings, sign_up_link

LOG_IN = "mutation($i: LogInInput!) { logIn(input: $i) { token user { email } } }"
ME = "{ me { email } }"
PASSWORD = "correct horse battery"


def log_in(email: str, password: str) -> tuple[str, dict[str, Any]]:
    return LOG_IN, {"i": {"email": email, "password": password}}


@contextlib.asynccontextmanager
async def api_of(settings: Settings) -> AsyncIterator[Api]:
    async with open_runtime(settings) as runtime:
        transport = httpx.ASGITransport(app=create_app(runtime=runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield Api(client)


async def test_password_hashing_leaves_the_server_responsive(api: Api) -> None:
    await api.sign_up()
    started = time.perf_counter()
    verify_password(hash_password("x" * 12), "y" * 12)
    one_hash = time.perf_counter() - started

    gaps: list[float] = []

    async def ticker() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticking = asyncio.create_task(ticker())
    try:
        answers = await asyncio.gather(
            *(api(*log_in("ana@example.com", f"wrong password {i}")) for i in range(4))
        )
    finally:
        ticking.cancel()
    assert [error_codes(a) for a in answers] == [["UNAUTHENTICATED"]] * 4
    # Hashing on the event loop would stall it a whole hash at a time.
    assert max(gaps) < max(0.05, one_hash / 3), (max(gaps), one_hash)


async def test_an_unknown_account_answers_like_a_known_one(api: Api) -> None:
    await api.sign_up()

    async def timed(email: str) -> float:
        started = time.perf_counter()
        body = await api(*log_in(email, "not the password"))
        assert error_codes(body) == ["UNAUTHENTICATED"]
        assert body["errors"][0]["message"] == "Wrong email or password."
        return time.perf_counter() - started

    known, unknown = [], []
    for i in range(4):
        known.append(await timed("ana@example.com"))
        unknown.append(await timed(f"nobody{i}@example.com"))
    # Both check one password hash: an unknown account is not the fast one.
    assert statistics.median(unknown) > statistics.median(known) / 2, (known, unknown)


@pytest.mark.usefixtures("backend")
async def test_failed_log_ins_are_throttled_per_account(api: Api) -> None:
    await api.sign_up("ana@example.com", "Casa Ana")
    await api.sign_up("bea@example.com", "Casa Bea")
    for i in range(5):
        wrong = await api(*log_in("ana@example.com", f"guess {i}"), token="")
        assert error_codes(wrong) == ["UNAUTHENTICATED"]
    # Now even the right password waits out the window: guessing gains nothing.
    refused = await api(*log_in("ana@example.com", PASSWORD), token="")
    assert error_codes(refused) == ["RATE_LIMITED"]
    # Another account of the same address is not locked out.
    other = await api.ok(*log_in("bea@example.com", PASSWORD), token="")
    assert other["logIn"]["user"]["email"] == "bea@example.com"


async def test_guessing_from_one_address_is_throttled_across_api_processes(
    pg_settings: Settings, tmp_path: Path
) -> None:
    settings = make_settings(
        tmp_path,
        DATABASE_URL=pg_settings.database_url,
        REDIS_URL=pg_settings.redis_url,
        BRSCALE_LOGIN_FAILURES_PER_ADDRESS=6,
    )
    async with api_of(settings) as first, api_of(settings) as second:
        await first.sign_up()
        codes = []
        for i in range(4):  # a different account each time: only the address adds up
            codes += error_codes(await first(*log_in(f"a{i}@example.com", "guess"), token=""))
            codes += error_codes(await second(*log_in(f"b{i}@example.com", "guess"), token=""))
        assert codes == ["UNAUTHENTICATED"] * 6 + ["RATE_LIMITED"] * 2


SIGN_UP = "mutation($i: SignUpInput!) { signUp(input: $i) { email } }"
CONFIRM = "mutation($t: String!) { confirmSignUp(input: {token: $t}) { token user { email } } }"


def signing_up(email: str, password: str = "another password") -> tuple[str, dict[str, Any]]:
    return SIGN_UP, {
        "i": {"email": email, "password": password, "name": "Eve", "brokerageName": "Probe"}
    }


def mails_to(runtime: Runtime, email: str) -> list[dict[str, Any]]:
    outbox = runtime.settings.data_dir / "outbox.jsonl"
    return [m for m in map(json.loads, outbox.read_text().splitlines()) if m["to"] == email]


async def test_sign_up_answers_alike_for_a_taken_email_and_tells_only_its_owner(
    api: Api, runtime: Runtime
) -> None:
    """It answered CONFLICT for a taken address and a token for a new one: anyone could
    learn who has an account. Now both get the same answer, and the mailbox the rest."""
    await api.sign_up()
    taken = await api(*signing_up("Ana@Example.com"), token="")
    new = await api(*signing_up("bea@example.com"), token="")
    assert taken == {"data": {"signUp": {"email": "ana@example.com"}}}
    assert new == {"data": {"signUp": {"email": "bea@example.com"}}}

    (_, note) = mails_to(runtime, "ana@example.com")  # her own sign-up's link, then the note
    assert note["subject"] == "Alguien intentó crear una cuenta de BR SCALE con tu correo"
    assert "/app/login" in note["body"] and "/app/signup/" not in note["body"]
    # Nothing about her account changed: her password, not the prober's, still logs in.
    assert error_codes(await api(*log_in("ana@example.com", "another password"), token="")) == [
        "UNAUTHENTICATED"
    ]
    assert "errors" not in await api(*log_in("ana@example.com", PASSWORD), token="")

    # The new address holds a link that creates the account; opened twice, still one account.
    link = sign_up_link(runtime.settings.data_dir / "outbox.jsonl", "bea@example.com")
    assert error_codes(await api(*log_in("bea@example.com", "another password"), token="")) == [
        "UNAUTHENTICATED"
    ]  # nothing exists before the link is opened
    first = await api.ok(CONFIRM, {"t": link}, token="")
    again = await api.ok(CONFIRM, {"t": link}, token="")
    assert (
        first["confirmSignUp"]["user"]
        == again["confirmSignUp"]["user"]
        == {"email": "bea@example.com"}
    )
    me = await api.ok(ME, token=again["confirmSignUp"]["token"])
    assert me == {"me": {"email": "bea@example.com"}}
    async with runtime.session() as session:
        assert await session.scalar(select(func.count()).select_from(Brokerage)) == 2
    forged = await api(CONFIRM, {"t": link[:-8] + "AAAAAAA="}, token="")
    assert error_codes(forged) == ["BAD_USER_INPUT"]


def test_a_sign_up_link_lasts_a_day(monkeypatch: pytest.MonkeyPatch) -> None:
    links = sign_up_links([SECRET])
    token = links.seal("ana")
    assert links.open(token, timedelta(hours=24)) == "ana"
    assert sign_up_links(["another key"]).open(token, timedelta(hours=24)) is None
    later = time.time() + 25 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert links.open(token, timedelta(hours=24)) is None


async def test_log_out_revokes_every_session_token(api: Api) -> None:
    first = await api.sign_up()
    second = (await api.ok(*log_in("ana@example.com", PASSWORD)))["logIn"]["token"]
    assert await api.ok("mutation { logOut }", token=first) == {"logOut": True}
    assert error_codes(await api(ME, token=first)) == ["UNAUTHENTICATED"]
    assert error_codes(await api(ME, token=second)) == ["UNAUTHENTICATED"]
    fresh = (await api.ok(*log_in("ana@example.com", PASSWORD)))["logIn"]["token"]
    assert (await api.ok(ME, token=fresh))["me"]["email"] == "ana@example.com"


async def test_change_password_ends_other_sessions_and_returns_a_fresh_token(api: Api) -> None:
    old = await api.sign_up()
    change = (
        "mutation($i: ChangePasswordInput!) { changePassword(input: $i) { token user { email } } }"
    )
    wrong = await api(change, {"i": {"currentPassword": "nope", "newPassword": "new secret 123"}})
    assert error_codes(wrong) == ["UNAUTHENTICATED"]
    changed = await api.ok(
        change, {"i": {"currentPassword": PASSWORD, "newPassword": "new secret 123"}}
    )
    fresh = changed["changePassword"]["token"]
    assert error_codes(await api(ME, token=old)) == ["UNAUTHENTICATED"]
    assert (await api.ok(ME, token=fresh))["me"]["email"] == "ana@example.com"
    assert error_codes(await api(*log_in("ana@example.com", PASSWORD), token="")) == [
        "UNAUTHENTICATED"
    ]
    assert (await api.ok(*log_in("ana@example.com", "new secret 123"), token=""))["logIn"]


async def test_a_signed_token_with_a_malformed_subject_is_unauthenticated(api: Api) -> None:
    await api.sign_up()
    key = hashlib.sha256(b"session-token:" + SECRET.encode()).digest()
    now = datetime.now(UTC)
    for claims in ({"sub": "abc", "brk": 1}, {"sub": "1", "brk": None}, {"sub": "1"}):
        token = jwt.encode({**claims, "exp": now + timedelta(hours=1)}, key, algorithm="HS256")
        assert error_codes(await api(ME, token=token)) == ["UNAUTHENTICATED"], claims
