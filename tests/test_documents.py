"""A document is validated once per schema and rules, found again by identity: the same
query text (the same parsed document, from the parser's cache) is answered from it, valid or
not, and another document is validated on its own."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from strawberry.extensions import ParserCache

from graphql_schema import documents


@strawberry.type
class Query:
    @strawberry.field
    def greeting(self) -> str:
        return "hola"


async def test_a_document_is_validated_once_and_its_verdict_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    validated: list[Any] = []
    original = documents.validate_document

    def counting(schema: Any, document: Any, rules: Any) -> Any:
        validated.append(document)
        return original(schema, document, rules)

    monkeypatch.setattr(documents, "validate_document", counting)
    schema = strawberry.Schema(
        query=Query, extensions=[lambda: ParserCache(maxsize=16), documents.DocumentValidation]
    )

    for _ in range(3):
        assert (await schema.execute("{ greeting }")).data == {"greeting": "hola"}
        wrong = await schema.execute("{ greeting nothing }")
        assert wrong.errors and "nothing" in wrong.errors[0].message
    assert len(validated) == 2
    assert (await schema.execute("{ other: greeting }")).data == {"other": "hola"}
    assert len(validated) == 3
