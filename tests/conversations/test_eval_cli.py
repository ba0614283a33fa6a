"""`brscale eval` with OPENAI_API_KEY set: the held-out corpus goes through the chat model's path
(the loopback stand-in here, the real API in production) and the figures are printed per intent,
with the fact guard's and the promises' figures over every reply composed, and the first SMS's
segments."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from app.conversations.corpus import examples
from app.conversations.intents import Intent
from tests.support.openai_standin import running_standin

ROOT = Path(__file__).resolve().parents[2]


# A process that imports the whole app and reads the held-out corpus twice: on a busy machine
# (or beside the other pytest-xdist worker) more than the suite's 120 s; its own wait is 600 s.
@pytest.mark.timeout(330)
async def test_eval_through_the_chat_model_prints_per_intent_figures(tmp_path: Path) -> None:
    """A stand-in "model" that reads every reply as INTERESTED and, one time in two, invents a
    bathroom count: the chat model's section has its own per-intent table, and the invented
    replies are counted as replaced, so no reply states a fact the listing lacks."""
    calls = 0

    def model(body: dict[str, Any]) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        baths = "5 baños" if calls % 2 else "2.5 baños"
        return {"intent": "INTERESTED", "language": "es", "reply": f"¡Qué bien! Tiene {baths}."}

    async with running_standin() as (server, url):
        server.respond_with(model)
        env = {
            **os.environ,
            "BRSCALE_DATA_DIR": str(tmp_path),
            "OPENAI_API_KEY": server.api_key,
            "OPENAI_BASE_URL": url,
            "OPENAI_MODEL": "gpt-4o-mini",
        }
        run = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "app.cli",
            "eval",
            env=env,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(run.communicate(), 600)
    text = out.decode()
    assert run.returncode == 0, err.decode()[-3000:]

    offline, chat = text.split("chat model gpt-4o-mini")
    assert "offline model (rules for opt-outs + classifier)" in offline
    held_out = examples("heldout")
    for section in (offline, chat):
        for intent in Intent:
            assert re.search(rf"^{intent.value}\s+\d\.\d{{3}}\s+\d\.\d{{3}}\s+\d+$", section, re.M)
        assert "facts stated that are not in the listing: 0 (of " in section
        assert "promises without a task: " in section
    # Every reply but a stop reached the model (the rules answer a stop without asking it).
    assert 0 < len(server.requests) < len(held_out)
    replaced = re.search(r"model replies replaced by the template \(fact guard\): (\d+)", chat)
    assert replaced is not None
    # Every invented count, and a few true ones that left a question unanswered without
    # promising the broker's answer.
    assert len(server.requests) // 2 <= int(replaced.group(1)) < len(server.requests)
    assert re.search(r"first-SMS segments \(with the stop line\): max [12], median", text)
