"""Leads' emails and phones never reach the logs: not through a failed statement's parameters
or error detail, not through a log call's arguments."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Brokerage, User
from app.core.logging import configure_logging
from app.core.runtime import Runtime


async def test_contact_details_are_redacted_from_logs(
    runtime: Runtime, capsys: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging()
    log = logging.getLogger("brscale.test")
    try:
        async with runtime.session() as session:
            await session.execute(insert(Brokerage).values(id=1, name="Casa"))
            user = {"brokerage_id": 1, "name": "L", "password_hash": "x"}
            await session.execute(insert(User).values(email="lucia@example.com", **user))
            with pytest.raises(IntegrityError) as failed:
                await session.execute(insert(User).values(email="lucia@example.com", **user))
        assert "lucia@example.com" not in str(failed.value).split("DETAIL")[0]  # no parameters
        try:
            raise failed.value
        except IntegrityError:
            log.exception("saving the user failed")
        log.warning("texting %s for %s", "+52 55 1234 5678", "lucia@example.com")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    err = capsys.readouterr().err
    assert "saving the user failed" in err and "texting <phone> for <email>" in err
    assert "lucia@example.com" not in err
    assert "1234 5678" not in err
