"""Invitations: a signed link that expires and works once; accepting creates the user."""

from __future__ import annotations

from datetime import timedelta

from app.accounts.models import Role
from app.accounts.principal import SCOPES, Principal
from app.core.db import utcnow
from app.core.runtime import Runtime
from app.core.security import PurposeTokens
from app.core.uow import commit
from app.plans.rules import Plan
from app.teams import service
from tests.conftest import Api, error_codes
from tests.support.jobs import drain_jobs
from tests.teams.support import ACCEPT, INVITE, invitation_token, notices, on_plan

USERS = "{ users { email name role } }"


async def test_an_invited_agent_accepts_and_signs_in_as_an_agent(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up("owner@example.com")
    invited = await api.ok(INVITE, {"i": {"email": "Luis@Example.com", "role": "AGENT"}})
    assert invited["inviteUser"]["email"] == "luis@example.com"
    token = await invitation_token(api, runtime, "luis@example.com")
    (mail,) = [n for n in notices(runtime) if n["to"] == "luis@example.com"][-1:]
    assert mail["channel"] == "EMAIL"
    assert f"{runtime.settings.public_url}/app/invitations/{token}" in mail["body"]

    accepted = await api.ok(
        ACCEPT, {"i": {"token": token, "name": "Luis", "password": "agent password 1"}}
    )
    assert accepted["acceptInvitation"]["user"] == {
        "id": accepted["acceptInvitation"]["user"]["id"],
        "email": "luis@example.com",
        "role": "AGENT",
    }
    logged = await api.ok(
        'mutation { logIn(input: {email: "luis@example.com", password: "agent password 1"}) '
        "{ user { role } } }"
    )
    assert logged["logIn"]["user"]["role"] == "AGENT"
    team = await api.ok(USERS)
    assert [(u["email"], u["role"]) for u in team["users"]] == [
        ("owner@example.com", "OWNER"),
        ("luis@example.com", "AGENT"),
    ]
    audit = await api.ok("{ auditLog { edges { node { action actorName } } } }")
    assert [e["node"]["action"] for e in audit["auditLog"]["edges"]][:2] == [
        "USER_JOINED",
        "USER_INVITED",
    ]


async def test_a_used_link_is_refused_and_no_second_user_appears(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up("owner@example.com")
    token = await invitation_token(api, runtime, "luis@example.com")
    owner = api.token
    await api.ok(ACCEPT, {"i": {"token": token, "name": "Luis", "password": "agent password 1"}})
    again = await api(
        ACCEPT, {"i": {"token": token, "name": "Mallory", "password": "other password 2"}}
    )
    assert error_codes(again) == ["CONFLICT"]
    api.token = owner
    team = await api.ok(USERS)
    assert [u["name"] for u in team["users"]] == ["Ana", "Luis"]


async def test_expired_and_forged_links_are_refused(api: Api, runtime: Runtime) -> None:
    await api.sign_up("owner@example.com")
    tokens = service.invitation_tokens(runtime.settings.signing_keys)
    owner = Principal(1, 1, None, frozenset(SCOPES), Role.OWNER)
    async with runtime.session() as session:
        old = await service.invite_user(
            session,
            owner,
            tokens,
            email="old@example.com",
            role=Role.AGENT,
            public_url="http://x",
            now=utcnow() - timedelta(days=8),
        )
        await commit(session)
    expired = await api(
        ACCEPT, {"i": {"token": old.token, "name": "Old", "password": "agent password 1"}}
    )
    assert error_codes(expired) == ["BAD_USER_INPUT"]
    assert "expired" in expired["errors"][0]["message"]

    good = await invitation_token(api, runtime, "luis@example.com")
    tampered = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    foreign = PurposeTokens("another key", "invitation").issue(
        {"inv": 2, "n": "guess"}, utcnow() + timedelta(days=1)
    )
    session_token = api.token  # a session token is not an invitation
    for forged in (tampered, foreign, session_token, "not-a-token"):
        answer = await api(
            ACCEPT, {"i": {"token": forged, "name": "Eve", "password": "agent password 1"}}
        )
        assert error_codes(answer) == ["BAD_USER_INPUT"], forged
    team = await api.ok(USERS)
    assert [u["email"] for u in team["users"]] == ["owner@example.com"]


async def test_the_plans_users_limit_counts_pending_invitations(api: Api, runtime: Runtime) -> None:
    await api.sign_up("owner@example.com")
    await on_plan(runtime, Plan.STANDALONE)  # one user: the owner
    refused = await api(INVITE, {"i": {"email": "luis@example.com", "role": "AGENT"}})
    assert error_codes(refused) == ["CONFLICT"]
    assert "Standalone plan holds 1 users" in refused["errors"][0]["message"]
    await on_plan(runtime, Plan.CRM_ENHANCED)  # three users
    await api.ok(INVITE, {"i": {"email": "a@example.com", "role": "AGENT"}})
    await api.ok(INVITE, {"i": {"email": "b@example.com", "role": "AGENT"}})
    third = await api(INVITE, {"i": {"email": "c@example.com", "role": "AGENT"}})
    assert error_codes(third) == ["CONFLICT"]
    pending = await api.ok("{ invitations { email } }")
    assert [i["email"] for i in pending["invitations"]] == ["a@example.com", "b@example.com"]


async def test_only_owners_and_admins_invite_and_only_owners_invite_owners(
    api: Api, runtime: Runtime
) -> None:
    from tests.teams.support import join

    await api.sign_up("owner@example.com")
    await on_plan(runtime, Plan.ENTERPRISE)
    agent = await join(api, runtime, "agent@example.com", "Agente")
    admin = await join(api, runtime, "admin@example.com", "Admin", role="ADMIN")
    by_agent = await api(INVITE, {"i": {"email": "x@example.com"}}, token=agent["token"])
    assert error_codes(by_agent) == ["FORBIDDEN"]
    owner_by_admin = await api(
        INVITE, {"i": {"email": "x@example.com", "role": "OWNER"}}, token=admin["token"]
    )
    assert error_codes(owner_by_admin) == ["FORBIDDEN"]
    await api.ok(INVITE, {"i": {"email": "x@example.com", "role": "AGENT"}}, token=admin["token"])


async def test_inviting_an_address_with_an_account_answers_like_any_other(
    api: Api, runtime: Runtime
) -> None:
    """It answered CONFLICT "already has a BR SCALE account": anyone who signs up could
    learn who has an account. Now the same answer, and the address's owner gets a note."""
    await api.sign_up("ana@example.com", "Casa Ana")
    await api.sign_up("owner@example.com", "Casa Bea")  # another brokerage probing
    taken = await api(INVITE, {"i": {"email": "ana@example.com", "role": "AGENT"}})
    free = await api(INVITE, {"i": {"email": "luis@example.com", "role": "AGENT"}})
    assert "errors" not in taken and "errors" not in free
    assert taken["data"]["inviteUser"].keys() == free["data"]["inviteUser"].keys()
    pending = await api.ok("{ invitations { email } }")
    assert {i["email"] for i in pending["invitations"]} == {"ana@example.com", "luis@example.com"}
    await drain_jobs(runtime)
    (note,) = [n for n in notices(runtime) if n["to"] == "ana@example.com"]
    assert "/app/invitations/" not in note["body"]
    assert "ya tiene una cuenta de BR SCALE" in note["body"]
    (link,) = [n for n in notices(runtime) if n["to"] == "luis@example.com"]
    assert "/app/invitations/" in link["body"]
