"""The GraphQL WebSocket protocols (graphql-transport-ws and the legacy graphql-ws) as Strawberry
runs them, with two changes: a shared live result (graphql_schema/live.py) goes to each socket
as the one string serialised per process, and `subscribe` takes automatic persisted queries
(graphql_schema/persisted.py) as HTTP requests do."""

from __future__ import annotations

from typing import Any, cast

from graphql import GraphQLError
from starlette.websockets import WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http import GraphQLRequestData
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.types.execution import ExecutionResult, PreExecutionError

from app.core.errors import DomainError
from graphql_schema.context import Context
from graphql_schema.live import SharedResult
from graphql_schema.persisted import persisted_queries


async def _send_text(adapter: Any, text: str) -> None:
    try:
        await cast(ASGIWebSocketAdapter, adapter).ws.send_text(text)
    except WebSocketDisconnect as exc:
        raise WebSocketDisconnected from exc


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        payload: Any = message.get("payload")
        if (
            self.connection_acknowledged
            and message.get("id") not in self.operations
            and isinstance(payload, dict)
            and payload.get("extensions")
        ):
            request = GraphQLRequestData(
                query=payload.get("query"),
                variables=payload.get("variables"),
                operation_name=payload.get("operationName"),
                extensions=payload.get("extensions"),
            )
            try:
                request = await persisted_queries(self.context.runtime).resolve(request)
            except DomainError as exc:
                error = GraphQLError(exc.message, extensions=exc.extensions)
                await self.send_message(
                    {"id": message["id"], "type": "error", "payload": [error.formatted]}
                )
                return
            message = cast(
                SubscribeMessage,
                {**message, "payload": {**payload, "query": request.query}},
            )
        await super().handle_subscribe(message)

    async def _send_result_stream(
        self, operation: Operation[Context, None], result_source: Any
    ) -> None:
        first = True
        async for result in result_source:
            if isinstance(result, SharedResult):
                if not operation.completed:
                    await _send_text(self.websocket, result.message("next", operation.id))
            elif first and isinstance(result, PreExecutionError):
                await self._handle_pre_execution_error(operation, result)
                return
            elif not isinstance(result, ExecutionResult):
                await self._reject_incremental_delivery(operation)
                return
            else:
                await operation.send_next(result)
            first = False


class LegacyWSHandler(BaseGraphQLWSHandler[Context, None]):
    async def send_data_message(self, execution_result: ExecutionResult, operation_id: str) -> None:
        if isinstance(execution_result, SharedResult):
            await _send_text(self.websocket, execution_result.message("data", operation_id))
            return
        await super().send_data_message(execution_result, operation_id)
