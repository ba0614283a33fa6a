"""Sign-up through an e-mail link (the brokerage's first person: here beside invitations, above
the messaging that sends it), so that its answer never tells whether an address has an
account.

`request_sign_up` answers every valid request alike, in the same time (the password is hashed
either way), and the address's own mailbox learns the rest: a new address gets a link that
creates the brokerage and signs its owner in when opened (`confirm_sign_up`); an address that
already has an account gets a note saying so (log in instead; nothing changed). Whoever types
someone else's address learns nothing, and the owner hears about the attempt. The link is a
sealed token (encrypted: it carries the password's hash) that lasts 24 hours; nothing is stored
until it is opened. Requests count against the address's and the e-mail's sign-up budget, like
failed log-ins (so the mailbox cannot be flooded), on a count of their own (so they cannot lock
the owner out of logging in).
"""

from __future__ import annotations

import html
import json
import logging
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage, Role, User
from app.accounts.repository import user_by_email
from app.accounts.service import (
    TOO_MANY_ATTEMPTS,
    Session,
    check_new_password,
    normalized_email,
)
from app.core.errors import BadUserInput, Conflict, RateLimited
from app.core.ratelimit import LoginThrottle
from app.core.runtime import Runtime
from app.core.security import SealedTokens, hash_password_off_loop
from app.messaging.broker_mail import broker_email, send_broker_email

log = logging.getLogger("brscale.accounts")
SIGN_UP_LINK_TTL = timedelta(hours=24)
INVALID_LINK = "This sign-up link is not valid or has expired (links last 24 hours): sign up again."
TAKEN_AT_CONFIRMATION = "This e-mail already has an account: log in instead."


def sign_up_links(signing_keys: list[str]) -> SealedTokens:
    return SealedTokens(signing_keys, "sign-up")


async def request_sign_up(
    session: AsyncSession,
    runtime: Runtime,
    *,
    email: str,
    password: str,
    name: str,
    brokerage_name: str,
    logins: LoginThrottle,
    address: str,
) -> str:
    """E-mail the address a link to finish signing up, or, when it already has an account, a
    note saying so; the normalized address either way (the caller's answer must not differ)."""
    check_new_password(password)
    if not brokerage_name.strip() or not name.strip():
        raise BadUserInput("A name and a brokerage name are required.")
    normalized = normalized_email(email)
    if not await logins.attempt(f"sign-up:{normalized}", address):
        raise RateLimited(TOO_MANY_ATTEMPTS)
    password_hash = await hash_password_off_loop(password)  # both answers cost the same
    owner = await user_by_email(session, normalized)
    if owner is None:
        token = sign_up_links(runtime.settings.signing_keys).seal(
            json.dumps(
                {
                    "email": normalized,
                    "name": name.strip(),
                    "brokerage": brokerage_name.strip(),
                    "hash": password_hash,
                }
            )
        )
        link = f"{runtime.settings.public_url.rstrip('/')}/app/signup/{token}"
        subject, text = _confirmation(link)
    else:
        brokerage = await session.get(Brokerage, owner.brokerage_id)
        login = f"{runtime.settings.public_url.rstrip('/')}/app/login"
        subject, text = _already_registered(login, brokerage.language if brokerage else "es")
    mail = broker_email(
        runtime,
        to=normalized,
        subject=subject,
        text=text,
        html="".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n")),
        kind="sign-up",
    )
    try:
        await send_broker_email(runtime, mail)
    except Exception:  # the answer stays the same; asking again sends again
        log.warning("a sign-up e-mail could not be sent", exc_info=True)
    return normalized


async def confirm_sign_up(
    session: AsyncSession,
    runtime: Runtime,
    *,
    token: str,
    logins: LoginThrottle,
    address: str,
) -> Session:
    """Create the brokerage and its owner from a sign-up link and sign them in. A link opened
    twice signs in again (same password); after the address got an account another way,
    CONFLICT (only the mailbox's owner holds the link)."""
    sealed = sign_up_links(runtime.settings.signing_keys).open(token.strip(), SIGN_UP_LINK_TTL)
    if sealed is None:
        raise BadUserInput(INVALID_LINK)
    request = json.loads(sealed)
    email, password_hash = request["email"], request["hash"]
    tokens = runtime.tokens
    taken = await user_by_email(session, email)
    if taken is not None:
        if taken.password_hash != password_hash:
            raise Conflict(TAKEN_AT_CONFIRMATION)
        return Session(tokens.issue(taken.id, taken.brokerage_id, taken.token_version), taken)
    # The agent speaks for the broker who signed up ("se lo pregunto a Ana") until settings
    # name someone else; a brokerage's name in that sentence reads like a call centre.
    brokerage = Brokerage(name=request["brokerage"], agent_name=request["name"][:120])
    session.add(brokerage)
    await session.flush()
    user = User(
        brokerage_id=brokerage.id,
        email=email,
        name=request["name"],
        password_hash=password_hash,
        role=Role.OWNER,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # the same link opened twice at once
        raise Conflict(TAKEN_AT_CONFIRMATION) from exc
    await logins.succeeded(f"sign-up:{email}", address)
    return Session(tokens.issue(user.id, brokerage.id, user.token_version), user)


def _confirmation(link: str) -> tuple[str, str]:
    subject = "Confirma tu cuenta de BR SCALE / Confirm your BR SCALE account"
    text = (
        f"Para crear tu cuenta de BR SCALE abre este enlace en las próximas 24 horas:\n{link}"
        "\n\nTo create your BR SCALE account, open this link within 24 hours:\n"
        + link
        + "\n\nSi no fuiste tú, ignora este mensaje. / If this was not you, ignore this message."
    )
    return subject, text


def _already_registered(login: str, language: str) -> tuple[str, str]:
    if language == "en":
        return (
            "Someone tried to sign up to BR SCALE with your address",
            "Someone (maybe you) tried to create a BR SCALE account with this address, which "
            f"already has one. To get in, log in: {login}\n\nIf this was not you, nothing "
            "changed: your account and its password are as they were.",
        )
    return (
        "Alguien intentó crear una cuenta de BR SCALE con tu correo",
        "Alguien (quizá tú) intentó crear una cuenta de BR SCALE con este correo, que ya tiene "
        f"una. Para entrar, inicia sesión: {login}\n\nSi no fuiste tú, nada cambió: tu cuenta "
        "y tu contraseña siguen igual.",
    )
