"""What an operation's checks learn from its document, remembered per parsed document.

ParserCache hands back the same `DocumentNode` for the same query text, so facts read from
the document alone (which arguments carry variables, which variables set a page size) are
worked out once per document, not on every request. Keyed by identity (a document's own hash
walks the whole tree), holding the document so that its id is not reused; bounded like the
parser's cache.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

from graphql import DocumentNode, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

T = TypeVar("T")


class PerDocument(Generic[T]):
    def __init__(self, build: Callable[[DocumentNode], T], maxsize: int = 512) -> None:
        self._build = build
        self._maxsize = maxsize
        self._entries: OrderedDict[int, tuple[DocumentNode, T]] = OrderedDict()

    def __call__(self, document: DocumentNode) -> T:
        key = id(document)
        entry = self._entries.get(key)
        if entry is not None and entry[0] is document:
            self._entries.move_to_end(key)
            return entry[1]
        value = self._build(document)
        self._entries[key] = (document, value)
        while len(self._entries) > self._maxsize:
            self._entries.popitem(last=False)
        return value


def _no_results(_document: DocumentNode) -> dict[Hashable, list[GraphQLError]]:
    return {}


_VALIDATED = PerDocument(_no_results)


class DocumentValidation(SchemaExtension):
    """Strawberry's ValidationCache, keyed by the document's identity: its lru_cache hashed
    the whole document tree on every request to find the answer."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            schema = context.schema._schema
            rules = tuple(context.validation_rules)
            results = _VALIDATED(document)
            key = (id(schema), rules)
            errors = results.get(key)
            if errors is None:
                errors = results[key] = validate_document(schema, document, rules)
            context.pre_execution_errors = errors
        yield
