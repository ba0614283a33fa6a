from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

# Sunday 6 December 2026, noon in Mexico City: the week's viewing hours lie ahead.
SUNDAY_NOON = datetime(2026, 12, 6, 12, tzinfo=ZoneInfo("America/Mexico_City"))


@pytest.fixture
def sunday_noon() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(SUNDAY_NOON, tick=True) as traveller:
        yield traveller
