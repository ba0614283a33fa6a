"""An OpenAI-compatible `/v1/chat/completions` stand-in for testing real clients over HTTP.

It answers in the shapes the OpenAI API uses for what langchain-openai sends: a JSON-schema
`response_format` (structured output, the default of `with_structured_output`), a forced tool
call (`method="function_calling"`), JSON mode, plain text and streaming. Tests script what the
"model" says, make the next call fail (500, or 429 with `Retry-After`), and read the requests.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.support.servers import serve


@dataclass
class RecordedRequest:
    headers: dict[str, str]
    body: dict[str, Any]
    at: float


@dataclass
class _Failure:
    status: int
    retry_after: str | None


@dataclass
class OpenAIStandin:
    api_key: str = "sk-test-standin"
    requests: list[RecordedRequest] = field(default_factory=list)
    _script: deque[_Failure | dict[str, Any] | str] = field(default_factory=deque)
    _counter: int = 0
    # Answers every request once the script is used up (e.g. a whole evaluation run).
    _responder: Callable[[dict[str, Any]], dict[str, Any] | str] | None = None

    # --- scripting ------------------------------------------------------------------------

    def reply_next(self, payload: dict[str, Any] | str) -> None:
        """Queue what the model says next: an object (structured output) or plain text."""
        self._script.append(payload)

    def respond_with(self, responder: Callable[[dict[str, Any]], dict[str, Any] | str]) -> None:
        """Answer each request (its JSON body) with what `responder` says, once the script is
        used up."""
        self._responder = responder

    def fail_next(self, status: int = 500, retry_after: str | None = None) -> None:
        """Queue one failed response (e.g. 500, or 429 with a `Retry-After` header)."""
        self._script.append(_Failure(status, retry_after))

    # --- the API ----------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[Route("/v1/chat/completions", self._completions, methods=["POST"])]
        )

    async def _completions(self, request: Request) -> Response:
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return _error(400, "We could not parse the JSON body of your request.", "invalid_json")
        self.requests.append(RecordedRequest(dict(request.headers), body, time.monotonic()))
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return _error(401, "Incorrect API key provided.", "invalid_api_key")
        if not body.get("model") or not isinstance(body.get("messages"), list):
            return _error(400, "'model' and 'messages' are required.", "missing_required_parameter")
        if not self._script and self._responder is not None:
            self._script.append(self._responder(body))
        if not self._script:
            return _error(500, "The stand-in has no scripted reply for this request.", "no_script")
        step = self._script.popleft()
        if isinstance(step, _Failure):
            headers = {"retry-after": step.retry_after} if step.retry_after else {}
            kind = "rate_limit_exceeded" if step.status == 429 else "server_error"
            return _error(step.status, f"Scripted failure {step.status}.", kind, headers)
        mismatch = _schema_mismatch(body, step)
        if mismatch:
            return _error(500, mismatch, "script_does_not_match_schema")
        self._counter += 1
        message = _message_for(body, step)
        completion_id = f"chatcmpl-standin{self._counter}"
        if body.get("stream"):
            return StreamingResponse(
                _stream(completion_id, body["model"], message), media_type="text/event-stream"
            )
        finish = "tool_calls" if message.get("tool_calls") else "stop"
        return JSONResponse(
            {
                "id": completion_id,
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "system_fingerprint": "fp_standin",
                "choices": [
                    {"index": 0, "message": message, "logprobs": None, "finish_reason": finish}
                ],
                "usage": {"prompt_tokens": 50, "completion_tokens": 20, "total_tokens": 70},
            },
            headers={"x-request-id": f"req_{self._counter}"},
        )


def _error(
    status: int, message: str, code: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    kind = (
        "requests"
        if status == 429
        else "server_error"
        if status >= 500
        else "invalid_request_error"
    )
    return JSONResponse(
        {"error": {"message": message, "type": kind, "param": None, "code": code}},
        status_code=status,
        headers=headers,
    )


def _forced_tool(body: dict[str, Any]) -> str | None:
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        name = choice.get("function", {}).get("name")
        return str(name) if name else None
    return None


def _schema_mismatch(body: dict[str, Any], step: dict[str, Any] | str) -> str | None:
    """Catch a test scripting an answer the request's schema would not allow."""
    schema: dict[str, Any] | None = None
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        schema = response_format["json_schema"]["schema"]
    elif tool := _forced_tool(body):
        for candidate in body.get("tools", []):
            if candidate["function"]["name"] == tool:
                schema = candidate["function"]["parameters"]
    if schema is None:
        return None
    if not isinstance(step, dict):
        return "A structured-output request was scripted a plain-text answer."
    missing = set(schema.get("required", [])) - set(step)
    extra = set(step) - set(schema.get("properties", {}))
    if missing or (extra and schema.get("additionalProperties") is False):
        return f"Scripted answer does not match the schema: missing {missing}, extra {extra}."
    return None


def _message_for(body: dict[str, Any], step: dict[str, Any] | str) -> dict[str, Any]:
    tool = _forced_tool(body)
    if tool is not None:
        arguments = json.dumps(step, ensure_ascii=False)
        return {
            "role": "assistant",
            "content": None,
            "refusal": None,
            "tool_calls": [
                {
                    "id": "call_standin",
                    "type": "function",
                    "function": {"name": tool, "arguments": arguments},
                }
            ],
        }
    content = step if isinstance(step, str) else json.dumps(step, ensure_ascii=False)
    return {"role": "assistant", "content": content, "refusal": None}


async def _stream(completion_id: str, model: str, message: dict[str, Any]) -> AsyncIterator[str]:
    base = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
    }
    delta = {"role": "assistant", "content": message.get("content") or ""}
    first = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
    last = {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
    yield f"data: {json.dumps(first)}\n\n"
    yield f"data: {json.dumps(last)}\n\n"
    yield "data: [DONE]\n\n"


@contextlib.asynccontextmanager
async def running_standin(
    api_key: str = "sk-test-standin",
) -> AsyncIterator[tuple[OpenAIStandin, str]]:
    """Serve a fresh stand-in on 127.0.0.1; yield it and its OpenAI base URL (ending in /v1)."""
    standin = OpenAIStandin(api_key=api_key)
    async with serve(standin.app()) as url:
        yield standin, f"{url}/v1"
