"""`brscale import` on the embedded default (SQLite in BRSCALE_DATA_DIR), as a broker runs it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent.parent / "fixtures" / "csv"


def brscale(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "BRSCALE_SECRET_KEY")
    }
    env.update({"BRSCALE_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"})
    return subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_imports_a_file_into_the_only_brokerage_and_prints_counts(tmp_path: Path) -> None:
    done = brscale(tmp_path, "import", str(FIXTURES / "seed.csv"), "--region", "US")
    assert done.returncode == 0, done.stderr
    assert "4 rows: 3 new leads, 0 updated, 0 unchanged, 0 duplicates, 1 rejected" in done.stdout
    assert (
        '  line 4: Email "not-an-email" is not a valid email address; Phone "123" is not a '
        "valid phone number for region US; Row skipped: it has no valid email or phone number"
    ) in done.stdout

    with sqlite3.connect(tmp_path / "data" / "brscale.sqlite3") as db:
        brokerages = db.execute("SELECT name FROM brokerages").fetchall()
        leads = db.execute("SELECT email, phone FROM leads ORDER BY id").fetchall()
    assert brokerages == [("My brokerage",)]
    assert leads == [
        ("ana@example.com", "+13055550100"),
        ("bob@example.com", None),
        (None, "+13055550102"),
    ]


def test_cli_refuses_a_file_that_is_not_a_table(tmp_path: Path) -> None:
    done = brscale(tmp_path, "import", str(FIXTURES / "binary.bin"))
    assert done.returncode == 1
    assert "This file is not a CSV table (it looks like a binary file)" in done.stdout


def test_an_import_loads_no_llm_or_graph_library(tmp_path: Path) -> None:
    """The chat model's and the conversation graph's libraries (openai, langchain, langgraph:
    ~85 MB) load only where a conversation runs; an import's process never pays for them."""
    heavy = ("openai", "langchain_openai", "langchain_core", "langgraph", "langsmith", "tiktoken")
    probe = (
        "import atexit, sys\n"
        f"heavy = {heavy!r}\n"
        "atexit.register(lambda: print('LOADED', sorted({m.split('.')[0] for m in sys.modules}"
        " & set(heavy))))\n"
        "from app.cli import main\n"
        "main()\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "BRSCALE_SECRET_KEY", "OPENAI_API_KEY")
    }
    env.update({"BRSCALE_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"})
    done = subprocess.run(
        [sys.executable, "-c", probe, "import", str(FIXTURES / "seed.csv"), "--region", "US"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "3 new leads" in done.stdout  # the import ran to its end, jobs drained
    assert done.stdout.splitlines()[-1] == "LOADED []"
