"""A Twilio-shaped Messages API on loopback: checks auth, records sends, answers as scripted.

Status callbacks and inbound messages it produces are signed with the `twilio` package's own
validator, so they are an independent check of our signature code.
"""

from __future__ import annotations

import asyncio
import base64
import secrets
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

ERRORS = {
    "opted_out": (400, 21610, "Attempt to send to unsubscribed recipient"),
    "invalid_number": (400, 21211, "The 'To' number is not a valid phone number."),
    "server_error": (500, 20500, "Internal Server Error"),
}


@dataclass(frozen=True)
class Answer:
    """One scripted answer: "ok", "opted_out", "invalid_number", "server_error",
    "rate_limited" (429 with `Retry-After: retry_after`) or "hang" (accept, then answer late)."""

    kind: str
    retry_after: int = 1
    hang_seconds: float = 2.0


@dataclass
class SentMessage:
    sid: str
    form: dict[str, str]
    created: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class TwilioStandIn:
    account_sid: str = "AC" + "0" * 32
    auth_token: str = "standin-auth-token"
    script: deque[Answer] = field(default_factory=deque)
    messages: list[SentMessage] = field(default_factory=list)
    attempts: list[tuple[float, dict[str, str]]] = field(default_factory=list)
    base_url: str = ""

    def answer(self, *answers: Answer | str) -> None:
        """Queue answers for the next requests; when the queue is empty every send succeeds."""
        self.script.extend(a if isinstance(a, Answer) else Answer(a) for a in answers)

    def reset(self) -> None:
        self.script.clear()
        self.messages.clear()
        self.attempts.clear()

    def _authorized(self, request: Request) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return request.headers.get("authorization") == f"Basic {expected}"

    async def _create_message(self, request: Request) -> Response:
        if request.path_params["sid"] != self.account_sid or not self._authorized(request):
            return _error(401, 20003, "Authenticate")
        form = {k: str(v) for k, v in (await request.form()).items()}
        self.attempts.append((time.monotonic(), form))
        answer = self.script.popleft() if self.script else Answer("ok")
        if answer.kind == "rate_limited":
            response = _error(429, 20429, "Too Many Requests")
            response.headers["Retry-After"] = str(answer.retry_after)
            return response
        if answer.kind in ERRORS:
            return _error(*ERRORS[answer.kind])
        sid = "SM" + secrets.token_hex(16)
        self.messages.append(SentMessage(sid, form))
        if answer.kind == "hang":
            await asyncio.sleep(answer.hang_seconds)
        return JSONResponse(
            {
                "sid": sid,
                "account_sid": self.account_sid,
                "to": form.get("To"),
                "from": form.get("From"),
                "body": form.get("Body"),
                "status": "queued",
                "num_segments": "1",
                "direction": "outbound-api",
                "error_code": None,
                "error_message": None,
                "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
            },
            status_code=201,
        )

    async def _list_messages(self, request: Request) -> Response:
        """`GET Messages.json?To=&From=&PageSize=`: the account's messages, newest first, as
        Twilio's list answers them (the fields our look-up reads)."""
        if request.path_params["sid"] != self.account_sid or not self._authorized(request):
            return _error(401, 20003, "Authenticate")
        to, from_ = request.query_params.get("To"), request.query_params.get("From")
        size = int(request.query_params.get("PageSize") or 50)
        found = [
            m
            for m in reversed(self.messages)
            if (to is None or m.form.get("To") == to)
            and (from_ is None or m.form.get("From") == from_)
        ][:size]
        return JSONResponse(
            {
                "messages": [
                    {
                        "sid": m.sid,
                        "to": m.form.get("To"),
                        "from": m.form.get("From"),
                        "body": m.form.get("Body"),
                        "status": "sent",
                        "date_created": format_datetime(m.created, usegmt=True),
                    }
                    for m in found
                ],
                "page_size": size,
                "next_page_uri": None,
            }
        )

    def app(self) -> Starlette:
        path = "/2010-04-01/Accounts/{sid}/Messages.json"
        return Starlette(
            routes=[
                Route(path, self._create_message, methods=["POST"]),
                Route(path, self._list_messages, methods=["GET"]),
            ]
        )

    def signed(self, url: str, params: dict[str, str]) -> str:
        return RequestValidator(self.auth_token).compute_signature(url, params)

    def status_callback(
        self, message: SentMessage, status: str, error_code: int | None = None
    ) -> tuple[str, dict[str, str], str]:
        """(url, form, X-Twilio-Signature) of the callback Twilio would POST for `message`."""
        url = message.form["StatusCallback"]
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": "2010-04-01",
            "From": message.form.get("From", ""),
            "To": message.form.get("To", ""),
            "MessageSid": message.sid,
            "SmsSid": message.sid,
            "MessageStatus": status,
            "SmsStatus": status,
        }
        if error_code is not None:
            params["ErrorCode"] = str(error_code)
        return url, params, self.signed(url, params)

    def post_status_callback(
        self, message: SentMessage, status: str, error_code: int | None = None
    ) -> httpx.Response:
        url, params, signature = self.status_callback(message, status, error_code)
        with httpx.Client(timeout=5) as client:
            return client.post(url, data=params, headers={"X-Twilio-Signature": signature})

    def inbound(self, url: str, from_: str, to: str, body: str) -> tuple[dict[str, str], str]:
        """(form, X-Twilio-Signature) of an inbound SMS webhook Twilio would POST to `url`."""
        sid = "SM" + secrets.token_hex(16)
        params = {
            "ToCountry": "US",
            "SmsMessageSid": sid,
            "NumMedia": "0",
            "SmsSid": sid,
            "SmsStatus": "received",
            "Body": body,
            "To": to,
            "NumSegments": "1",
            "MessageSid": sid,
            "AccountSid": self.account_sid,
            "From": from_,
            "ApiVersion": "2010-04-01",
        }
        return params, self.signed(url, params)


def _error(status: int, code: int, message: str) -> JSONResponse:
    return JSONResponse(
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
        status_code=status,
    )


@contextmanager
def serve_app(app: Any) -> Iterator[str]:
    """Run an ASGI app with uvicorn in a background thread on 127.0.0.1; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 5
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("stand-in server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()


@contextmanager
def running_twilio_standin(**kwargs: Any) -> Iterator[TwilioStandIn]:
    standin = TwilioStandIn(**kwargs)
    with serve_app(standin.app()) as base_url:
        standin.base_url = base_url
        yield standin
