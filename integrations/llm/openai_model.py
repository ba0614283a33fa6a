"""The chat model behind the conversation agent when `OPENAI_API_KEY` is set.

langchain-openai's `ChatOpenAI` against any OpenAI-compatible `/v1/chat/completions`, with
structured output (a JSON-schema `response_format`) so intent and reply come back typed.
Retries (429 with `Retry-After`, 5xx) are the openai SDK's, bounded by `max_retries`.
langchain-openai and the openai SDK (~30 MB) load when a model is made, i.e. only when a key is
configured: importing this module costs nothing.
"""

from __future__ import annotations

from typing import Any, cast

from integrations.llm.prompts import first_message_prompt, reply_prompt
from integrations.llm.schema import (
    FirstMessageRequest,
    ReplyRequest,
    StructuredDraft,
    StructuredReply,
)

DEFAULT_MODEL = "gpt-4o-mini"


class OpenAIConversationModel:
    """Drafts first messages and reads replies with one OpenAI-compatible chat model."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        model: str = DEFAULT_MODEL,
        timeout: float = 30.0,
        max_retries: int = 3,
        temperature: float = 0.3,
    ) -> None:
        from langchain_core.messages import HumanMessage, SystemMessage
        from langchain_openai import ChatOpenAI

        self._human, self._system = HumanMessage, SystemMessage
        self.chat = ChatOpenAI(
            model=model,
            api_key=cast(Any, api_key),
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            temperature=temperature,
            # Chat Completions, which every OpenAI-compatible server speaks.
            use_responses_api=False,
        )
        self._reader = self.chat.with_structured_output(StructuredReply, method="json_schema")
        self._drafter = self.chat.with_structured_output(StructuredDraft, method="json_schema")

    async def understand(self, request: ReplyRequest) -> StructuredReply:
        system, user = reply_prompt(request)
        result = await self._reader.ainvoke([self._system(system), self._human(user)])
        return cast(StructuredReply, result)

    async def draft_first_message(self, request: FirstMessageRequest) -> StructuredDraft:
        system, user = first_message_prompt(request)
        result = await self._drafter.ainvoke([self._system(system), self._human(user)])
        return cast(StructuredDraft, result)
