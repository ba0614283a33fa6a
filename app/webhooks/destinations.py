"""Where a partner's webhook may point: public internet addresses only.

A subscription's URL is chosen by whoever holds an API key or a manager's session, and our
workers post to it from inside our network, so an unchecked URL would let them reach our own
services (Redis, PostgreSQL, the cloud's metadata endpoint at 169.254.169.254) and read the
answers back through the delivery log (SSRF). The URL is checked when it is saved (literal
addresses and `localhost`, at once and without I/O) and again when each delivery is sent: the
name is resolved, every address must be public, and the request goes to the address that was
checked (a name that resolves to a public address for the check and to an internal one a moment
later, "DNS rebinding", cannot slip through). Loopback is allowed only when
`BRSCALE_WEBHOOK_ALLOW_LOOPBACK` says so (tests and local development, whose receivers run on
127.0.0.1); private ranges never are.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from app.core.errors import BadUserInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
LOCAL_NAMES = ("localhost", "localhost.localdomain")
RESOLVE_TIMEOUT_SECONDS = 5.0


class RefusedDestination(Exception):
    """The URL points to (or resolves to) an address a webhook may not reach."""


def allowed_address(address: IPAddress, *, allow_loopback: bool) -> bool:
    """Globally routable addresses only (not private, link-local, shared, reserved,
    multicast or unspecified); loopback only when allowed."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return allow_loopback
    return address.is_global and not address.is_multicast


def _literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_url(url: str, *, allow_loopback: bool) -> str:
    """The URL as given, when it is http(s) and does not name an internal host outright;
    BAD_USER_INPUT otherwise. Names are resolved at delivery (`pinned_request`)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise BadUserInput("`url` must be an http(s) URL.")
    host = parts.hostname.rstrip(".").lower()
    refused = BadUserInput(
        "`url` must point to a public internet address, not a private, loopback or link-local one."
    )
    address = _literal_address(host)
    if address is not None:
        if not allowed_address(address, allow_loopback=allow_loopback):
            raise refused
    elif (host in LOCAL_NAMES or host.endswith(".localhost")) and not allow_loopback:
        raise refused
    try:
        parts.port  # noqa: B018 (raises on a port out of range)
    except ValueError as exc:
        raise BadUserInput("`url` has an invalid port.") from exc
    return url


@dataclass(frozen=True)
class Pinned:
    """A request's URL rewritten to the checked address, and what keeps it the same request."""

    url: str
    headers: dict[str, str]
    extensions: dict[str, str]


async def pinned_request(url: str, *, allow_loopback: bool) -> Pinned:
    """Resolve the URL's host, check every address, and aim the request at the first one:
    the Host header and TLS (SNI and certificate check) keep the name. RefusedDestination
    when any address is internal or the name does not resolve."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _literal_address(host)
    if address is not None:
        addresses = [address]
    else:
        loop = asyncio.get_running_loop()
        try:
            infos = await asyncio.wait_for(
                loop.getaddrinfo(host, port, type=socket.SOCK_STREAM),
                RESOLVE_TIMEOUT_SECONDS,
            )
        except (OSError, TimeoutError) as exc:
            raise RefusedDestination(f"{host} does not resolve ({exc})") from exc
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
        if not addresses:
            raise RefusedDestination(f"{host} does not resolve")
    refused = [a for a in addresses if not allowed_address(a, allow_loopback=allow_loopback)]
    if refused:
        raise RefusedDestination(f"{host} resolves to a non-public address ({refused[0]})")
    target = addresses[0]
    literal = f"[{target}]" if target.version == 6 else str(target)
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    pinned = parts._replace(netloc=netloc).geturl()
    host_header = parts.hostname or host
    if parts.port:
        host_header = f"{host_header}:{parts.port}"
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    return Pinned(url=pinned, headers={"host": host_header}, extensions=extensions)


async def post(
    client: httpx.AsyncClient,
    url: str,
    *,
    content: str,
    headers: dict[str, str],
    seconds: float,
    allow_loopback: bool,
) -> httpx.Response:
    """POST to a partner's URL through `pinned_request`'s checks (redirects are not followed:
    a public endpoint could otherwise bounce the request inside); `seconds`: its timeout."""
    pinned = await pinned_request(url, allow_loopback=allow_loopback)
    return await client.post(
        pinned.url,
        content=content,
        headers={**headers, **pinned.headers},
        timeout=seconds,
        extensions=pinned.extensions,
        follow_redirects=False,
    )
