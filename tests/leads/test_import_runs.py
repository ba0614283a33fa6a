"""Running imports: re-imports merge, interrupted imports resume, opt-outs stay, progress streams."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from app.accounts.models import Brokerage
from app.accounts.principal import SCOPES, Principal
from app.activity.events import activity_channel
from app.core.config import Settings
from app.core.errors import NotFound
from app.core.runtime import Runtime, open_runtime
from app.leads import flows, importer, repository
from app.leads.models import ImportStatus, Lead, LeadImport
from graphql_schema.context import Context
from graphql_schema.relay import encode_id
from graphql_schema.schema import schema

HEADER = "Name,Email,Phone,Last Contact,Notes\n"


async def brokerage(runtime: Runtime, region: str = "US") -> int:
    async with runtime.session() as session:
        row = Brokerage(name="Casa Ana", default_region=region)
        session.add(row)
        await session.commit()
        return row.id


async def run(runtime: Runtime, brokerage_id: int, path: Path) -> LeadImport:
    async with runtime.session() as session:
        record = await importer.create_import(session, brokerage_id, path.name)
        await session.commit()
    return await flows.run_import(runtime, record.id, path, importer.ImportOptions())


def write(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(row + "\n" for row in rows))
    return path


async def all_leads(runtime: Runtime) -> list[Lead]:
    async with runtime.session() as session:
        return list((await session.execute(select(Lead).order_by(Lead.id))).scalars())


async def problems(runtime: Runtime, record: LeadImport) -> list[dict[str, Any]]:
    async with runtime.session() as session:
        return await repository.import_errors(session, record.id)


def counts(record: LeadImport) -> tuple[Any, ...]:
    return (record.status, record.total_rows, record.imported, record.updated, record.duplicates)


async def test_reimport_updates_never_duplicates_and_keeps_what_we_know(
    runtime: Runtime, tmp_path: Path
) -> None:
    broker = await brokerage(runtime)
    first = write(
        tmp_path,
        "first.csv",
        [
            "Ana,ana@example.com,305 555 0100,2024-05-01,",
            "Bob,bob@example.com,305 555 0101,2024-01-10,",
            # The same person within one file: an older row, but a fuller name, which stays.
            "Ana Smith,ANA@example.com,,2024-02-01,",
        ],
    )
    assert counts(await run(runtime, broker, first)) == (ImportStatus.COMPLETED, 3, 2, 0, 1)

    second = write(
        tmp_path,
        "second.csv",
        [
            # An older contact date, a new phone and an initial for a surname: the date and
            # the name stay, both phones are kept.
            "Ana S.,ana@example.com,305 555 0199,2024-03-01,",
            # Known by his phone, with a new email and a newer date: both emails are kept.
            "Bob,bob.new@example.com,(305) 555-0101,2024-06-01,",
            "Cleo,cleo@example.com,,,",
        ],
    )
    assert counts(await run(runtime, broker, second)) == (ImportStatus.COMPLETED, 3, 1, 2, 0)
    saved = [
        (
            lead.name,
            lead.email,
            lead.other_emails,
            lead.phone,
            lead.other_phones,
            lead.last_contact_at.date().isoformat() if lead.last_contact_at else None,
        )
        for lead in await all_leads(runtime)
    ]
    assert saved == [
        ("Ana Smith", "ana@example.com", [], "+13055550100", ["+13055550199"], "2024-05-01"),
        ("Bob", "bob@example.com", ["bob.new@example.com"], "+13055550101", [], "2024-06-01"),
        ("Cleo", "cleo@example.com", [], None, [], None),
    ]

    # The very same file again changes nothing and creates nothing.
    assert counts(await run(runtime, broker, second)) == (ImportStatus.COMPLETED, 3, 0, 0, 0)
    assert len(await all_leads(runtime)) == 3


async def test_opted_out_leads_stay_opted_out_after_a_reimport(
    runtime: Runtime, tmp_path: Path
) -> None:
    broker = await brokerage(runtime)
    path = write(tmp_path, "leads.csv", ["Ana,ana@example.com,,2024-05-01,"])
    await run(runtime, broker, path)
    async with runtime.session() as session:
        await session.execute(update(Lead).values(opted_out=True))
        await session.commit()
    again = write(tmp_path, "again.csv", ["Ana Smith,ana@example.com,305 555 0100,2024-07-01,"])
    assert counts(await run(runtime, broker, again))[3] == 1
    [lead] = await all_leads(runtime)
    assert (lead.name, lead.phone, lead.opted_out) == ("Ana Smith", "+13055550100", True)


async def test_an_interrupted_import_says_so_and_importing_again_finishes_it(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broker = await brokerage(runtime)
    rows = [f"Lead {i},lead{i}@example.com,,2024-05-0{i},a" for i in range(1, 8)]
    rows.insert(2, "Nobody,,,,")  # a rejected row in the first batch keeps its report
    path = write(tmp_path, "leads.csv", rows)
    monkeypatch.setattr(importer, "BATCH_ROWS", 3)
    real_upsert = flows.upsert_leads
    calls = 0

    async def failing_second_batch(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise ConnectionResetError("database went away")
        return await real_upsert(*args, **kwargs)

    monkeypatch.setattr(flows, "upsert_leads", failing_second_batch)
    failed = await run(runtime, broker, path)
    assert counts(failed) == (ImportStatus.FAILED, 3, 2, 0, 0)
    assert failed.failure == "The import stopped part-way; import the same file again to finish it."
    assert failed.error_count == 1
    assert await problems(runtime, failed) == [
        {
            "line": 4,
            "column": None,
            "message": "Row skipped: it has no email or phone number",
            "cell": None,
        }
    ]
    async with runtime.session() as session:
        stored = await session.get(LeadImport, failed.id)
        assert stored is not None and counts(stored) == counts(failed)
    assert len(await all_leads(runtime)) == 2

    monkeypatch.setattr(flows, "upsert_leads", real_upsert)
    finished = await run(runtime, broker, path)
    assert counts(finished) == (ImportStatus.COMPLETED, 8, 5, 0, 0)  # the first two, unchanged
    emails = [lead.email for lead in await all_leads(runtime)]
    assert emails == [f"lead{i}@example.com" for i in range(1, 8)]


async def test_import_progress_streams_snapshots_until_done(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broker = await brokerage(runtime)
    monkeypatch.setattr(importer, "BATCH_ROWS", 2)
    path = write(tmp_path, "leads.csv", [f"L{i},l{i}@example.com,,," for i in range(5)])
    async with runtime.session() as session:
        record = await importer.create_import(session, broker, path.name)
        await session.commit()
    principal = Principal(broker, None, None, frozenset(SCOPES))
    context = Context(runtime=runtime, request=None, principal=principal)  # type: ignore[arg-type]
    stream = await schema.subscribe(
        "subscription($id: ID!) { importProgress(importId: $id) { status totalRows imported } }",
        variable_values={"id": encode_id("LeadImport", record.id)},
        context_value=context,
    )
    snapshots = []
    async with runtime.events.subscribe(activity_channel(broker)) as bus:
        first = await anext(stream)  # type: ignore[arg-type]
        snapshots.append(first.data["importProgress"])
        await flows.run_import(runtime, record.id, path, importer.ImportOptions())
        payloads = [bus.get_nowait() for _ in range(bus.qsize())]
        async for result in stream:  # type: ignore[union-attr]
            assert result.errors is None
            snapshots.append(result.data["importProgress"])
    payloads = [p for p in payloads if p["stream"] == "import"]  # the brokerage's other events
    assert [(p["data"]["status"], p["data"]["total_rows"]) for p in payloads] == [
        ("RUNNING", 2),
        ("RUNNING", 4),
        ("RUNNING", 5),
        ("COMPLETED", 5),
    ]
    assert snapshots[0] == {"status": "RUNNING", "totalRows": 0, "imported": 0}
    assert snapshots[-1] == {"status": "COMPLETED", "totalRows": 5, "imported": 5}
    assert len(snapshots) >= 2

    # Another brokerage cannot follow it.
    other = Principal(broker + 1, None, None, frozenset(SCOPES))
    foreign = await schema.subscribe(
        "subscription($id: ID!) { importProgress(importId: $id) { status } }",
        variable_values={"id": encode_id("LeadImport", record.id)},
        context_value=Context(runtime=runtime, request=None, principal=other),  # type: ignore[arg-type]
    )
    result = await anext(foreign)  # type: ignore[arg-type]
    assert [(e.message, type(e.original_error)) for e in result.errors or []] == [
        ("LeadImport not found", NotFound)
    ]


async def test_long_cells_are_clipped_not_failing_their_batch(
    runtime: Runtime, tmp_path: Path
) -> None:
    broker = await brokerage(runtime)
    path = tmp_path / "long.csv"
    path.write_text(f"Name,Email,Source\n{'N' * 400},ana@example.com,{'Zillow ' * 20}\n")
    assert counts(await run(runtime, broker, path)) == (ImportStatus.COMPLETED, 1, 1, 0, 0)
    [lead] = await all_leads(runtime)
    assert (lead.name, lead.source) == ("N" * 300, ("Zillow " * 20)[:40])


def big_file(tmp_path: Path, rows: int) -> Path:
    """Rows of every kind across several batches: good, duplicated, partly bad and rejected."""
    lines = []
    for i in range(rows):
        phone = f"(305) 555-{i % 10_000:04d}" if i % 7 else "call me"
        email = f"lead{i % (rows - 50)}@example.com" if i % 11 else "not an email"
        notes = f"busca en Polanco, presupuesto de {i % 9 + 1} millones, {i % 4 + 1} recámaras"
        day = f"{i % 28 + 1:02d}/03/2025" if i % 13 else "someday"
        lines.append(f'Lead {i},{email},{phone},{day},"{notes}"')
    return write(tmp_path, "big.csv", lines)


async def test_a_big_file_parses_across_processes_exactly_as_in_a_thread(
    pg_settings: Settings, tmp_path: Path
) -> None:
    path = big_file(tmp_path, 3 * importer.BATCH_ROWS + 123)
    outcomes = []
    for processes in (2, 0):
        settings = pg_settings.model_copy(update={"import_processes": processes})
        async with open_runtime(settings) as runtime:
            record = await run(runtime, await brokerage(runtime), path)
            assert (importer.PARSE_POOL in runtime.services) == (processes > 0)
            leads = [
                (lead.name, lead.email, lead.phone, lead.last_contact_at, lead.locations,
                 lead.min_budget, lead.max_budget, lead.bedrooms)
                for lead in await all_leads(runtime)
                if lead.brokerage_id == record.brokerage_id
            ]  # fmt: skip
            errors = await problems(runtime, record)
        assert record.error_count == len(errors)
        outcomes.append((counts(record), errors, leads))
    assert outcomes[0] == outcomes[1]
    (status, total, imported, updated, duplicates), errors, leads = outcomes[0]
    assert (status, total, updated) == (ImportStatus.COMPLETED, 3 * importer.BATCH_ROWS + 123, 0)
    assert imported == len(leads) and duplicates > 0 and imported + duplicates < total
    assert next(lead for lead in leads if lead[0] == "Lead 100")[4:] == (
        ["Polanco"],
        None,
        2_000_000,
        1,
    )
    assert {
        "line": 2 + 13,
        "column": "Last Contact",
        "message": 'Date "someday" is not a date we can read (expected dd/mm/yyyy)',
        "cell": None,
    } in errors
    rejected = [e["line"] for e in errors if e["column"] is None]
    assert rejected == [2 + i for i in range(0, total, 77)]  # no valid email nor phone


async def test_a_killed_parse_worker_fails_that_import_and_the_next_one_runs(
    pg_settings: Settings, tmp_path: Path
) -> None:
    path = big_file(tmp_path, 2 * importer.BATCH_ROWS + 10)
    async with open_runtime(pg_settings.model_copy(update={"import_processes": 1})) as runtime:
        broker = await brokerage(runtime)
        first = await run(runtime, broker, path)
        pool = runtime.services[importer.PARSE_POOL]
        for process in list(pool._processes.values()):
            process.kill()
        failed = await run(runtime, broker, path)
        assert failed.status is ImportStatus.FAILED
        assert failed.failure == (
            "The import stopped part-way; import the same file again to finish it."
        )
        again = await run(runtime, broker, path)
        assert runtime.services[importer.PARSE_POOL] is not pool
    # Nothing new: the file's leads are all there (its repeated people update each other).
    assert counts(again)[:3] == (ImportStatus.COMPLETED, first.total_rows, 0)


async def test_a_file_that_breaks_part_way_keeps_every_row_before_the_break(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "BATCH_ROWS", 3)  # the break falls in a batch read ahead
    path = tmp_path / "broken.csv"
    good = "".join(f"Lead {i},lead{i}@example.com,,,\n" for i in range(8))
    path.write_bytes((HEADER + good + 'Bob,"bob@example.com\n').encode() + b"x" * 200_000)

    record = await run(runtime, await brokerage(runtime), path)

    assert counts(record) == (ImportStatus.FAILED, 8, 8, 0, 0)
    assert record.failure is not None and record.failure.startswith("Line 10: ")
    assert len(await all_leads(runtime)) == 8
