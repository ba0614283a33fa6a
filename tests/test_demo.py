"""`brscale demo` plays the whole flow on the embedded default, as the README promises."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


async def test_demo_runs_the_whole_flow_in_the_terminal(tmp_path: Path) -> None:
    env = {**os.environ, "BRSCALE_DATA_DIR": str(tmp_path), "COLUMNS": "120"}
    for name in ("DATABASE_URL", "REDIS_URL", "OPENAI_API_KEY", "SMTP_URL"):
        env.pop(name, None)
    demo = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.cli", "demo", env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(demo.communicate(), 120)
    text = out.decode()
    assert demo.returncode == 0, text
    assert "29 rows: 27 new leads, 0 updated, 1 duplicates merged" in text
    assert "line 7" in text  # the row with neither a valid email nor phone, by its line
    assert "understood: VIEWING_REQUEST -> WAITING" in text  # times offered to choose from
    assert "understood: NOT_INTERESTED -> CLOSED" in text
    # The dashboard closes the demo with its figures.
    assert "5. Dashboard" in text
    assert "messages sent" in text
    assert "tasks for the broker" in text
    # The e-mails always go out; the texts only in waking hours in Mexico City (quiet hours
    # queue them till 8:00), so the count depends on when the test runs.
    sent = (tmp_path / "demo" / "outbox.jsonl").read_text().splitlines()
    assert sum('"channel": "EMAIL"' in line for line in sent) >= 6
