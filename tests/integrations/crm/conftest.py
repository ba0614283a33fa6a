"""Fixtures for the CRM adapter tests: loopback stand-ins, a shared httpx client, a manual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

import httpx
import pytest
import pytest_asyncio

from integrations.http import RetryPolicy
from tests.support.fub_standin import FubStandIn, serve_app
from tests.support.hubspot_standin import HubSpotStandIn

T = TypeVar("T")
FAST_RETRIES = RetryPolicy(attempts=4, base_delay=0.01, max_delay=5.0)


@dataclass
class ManualClock:
    """Time as both the client and the HubSpot stand-in see it; tests move it forward."""

    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class Running(Generic[T]):
    stand_in: T
    url: str


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def fub() -> Iterator[Running[FubStandIn]]:
    stand_in = FubStandIn()
    with serve_app(stand_in.app()) as url:
        yield Running(stand_in, url)


@pytest.fixture
def hubspot(clock: ManualClock) -> Iterator[Running[HubSpotStandIn]]:
    stand_in = HubSpotStandIn(clock=clock)
    with serve_app(stand_in.app()) as url:
        yield Running(stand_in, url)


@pytest_asyncio.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(5.0)) as client:
        yield client
