"""Long-lived per-process services that domains open lazily (the conversation engine, a parse
pool, rate limiters...), each under a typed key its domain declares.

A key carries the type of what it holds, so `runtime.services.get(ENGINE)` is an `Engine | None`
to the type checker and no caller looks a service up by a string it could misspell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")


class ServiceKey(Generic[T]):
    """The name of one service and, through `T`, its type."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"ServiceKey({self.name!r})"


class Services:
    def __init__(self) -> None:
        self._items: dict[ServiceKey[Any], Any] = {}

    def get(self, key: ServiceKey[T]) -> T | None:
        return cast("T | None", self._items.get(key))

    def __getitem__(self, key: ServiceKey[T]) -> T:
        return cast("T", self._items[key])

    def __contains__(self, key: ServiceKey[Any]) -> bool:
        return key in self._items

    def set(self, key: ServiceKey[T], service: T) -> T:
        self._items[key] = service
        return service

    def setdefault(self, key: ServiceKey[T], make: Callable[[], T]) -> T:
        """The service under `key`, made by `make` the first time."""
        if key not in self._items:
            self._items[key] = make()
        return cast("T", self._items[key])

    def pop(self, key: ServiceKey[T]) -> T | None:
        return cast("T | None", self._items.pop(key, None))
