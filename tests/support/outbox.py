"""Reading the server's local outbox (`{data_dir}/outbox.jsonl`) as a person reads their mail."""

from __future__ import annotations

import json
import re
from pathlib import Path


def sign_up_link(outbox: Path, email: str) -> str:
    """The token of the latest sign-up link e-mailed to `email`."""
    for line in reversed(outbox.read_text().splitlines()):
        mail = json.loads(line)
        if mail.get("kind") == "sign-up" and mail["to"] == email.lower():
            found = re.search(r"/app/signup/([^\s\"]+)", mail["body"])
            if found:
                return found.group(1)
    raise AssertionError(f"no sign-up link was e-mailed to {email}")
