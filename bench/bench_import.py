"""Lead import benchmark: the product's CSV import into PostgreSQL beside a bare floor, one run.

    python -m bench.bench_import [--rows 100000] [--file leads.csv]

It also prints the dry run of the same file (run first, on the empty database, as a broker
would) beside the import's parse time alone (the same reader and worker pool, nothing written);
target: the dry run within 1.5x of the parse time.

DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/brscale_bench) is dropped and
re-created. Each side runs in its own subprocess, so its peak RSS (ru_maxrss) is its own. The
floor: csv.DictReader, the same phonenumbers and email-validator checks, asyncpg COPY into a bare
table. Target: the product within 1.5x of the floor's time and under 300 MB peak.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_URL = "postgresql://postgres@127.0.0.1:5432/brscale_bench"
BATCH = 2000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _product(path: Path, url: str) -> dict[str, float]:
    from app.accounts.models import Brokerage
    from app.core.config import Settings
    from app.core.runtime import open_runtime
    from app.leads import flows, importer, repository

    with tempfile.TemporaryDirectory() as data:
        settings = Settings(DATABASE_URL=url, BRSCALE_DATA_DIR=Path(data))  # type: ignore[call-arg]
        async with open_runtime(settings) as runtime:
            async with runtime.session() as session:
                brokerage = Brokerage(name="Bench", default_region="US")
                session.add(brokerage)
                await session.flush()
                record = await importer.create_import(session, brokerage.id, path.name)
                await session.commit()
            started = time.perf_counter()
            done = await flows.run_import(runtime, record.id, path, importer.ImportOptions())
            seconds = time.perf_counter() - started
            workers = _worker_peaks_mb(runtime.services.get(importer.PARSE_POOL))
            async with runtime.session() as session:
                rejected = await repository.rejected_row_count(session, done.id)
    return {
        "rows": done.total_rows,
        "seconds": seconds,
        "leads": done.imported,
        "rejected": rejected,
        "status": done.status.value,  # type: ignore[dict-item]
        "workers_mb": sum(workers),
        "workers": len(workers),
    }


async def _dry_run(path: Path, url: str) -> dict[str, float]:
    """The dry run of the same file on the same empty database, as a broker runs it first."""
    from app.accounts.models import Brokerage
    from app.core.config import Settings
    from app.core.runtime import open_runtime
    from app.leads import flows, importer

    with tempfile.TemporaryDirectory() as data:
        settings = Settings(DATABASE_URL=url, BRSCALE_DATA_DIR=Path(data))  # type: ignore[call-arg]
        async with open_runtime(settings) as runtime:
            async with runtime.session() as session:
                brokerage = Brokerage(name="Bench dry run", default_region="US")
                session.add(brokerage)
                await session.flush()
                record = await importer.create_import(
                    session, brokerage.id, path.name, dry_run=True
                )
                await session.commit()
            started = time.perf_counter()
            done = await flows.run_import(runtime, record.id, path, importer.ImportOptions())
            seconds = time.perf_counter() - started
            workers = _worker_peaks_mb(runtime.services.get(importer.PARSE_POOL))
    return {
        "rows": done.total_rows,
        "seconds": seconds,
        "leads": done.imported,
        "status": done.status.value,  # type: ignore[dict-item]
        "workers_mb": sum(workers),
        "workers": len(workers),
    }


async def _parse_only(path: Path, url: str) -> dict[str, float]:
    """The import's parse time: the same reader, parser and worker pool, nothing written."""
    from app.core.config import Settings
    from app.core.runtime import open_runtime
    from app.leads import importer
    from app.leads.parsing import BatchParser
    from app.leads.rows import RowParser

    with tempfile.TemporaryDirectory() as data:
        settings = Settings(DATABASE_URL=url, BRSCALE_DATA_DIR=Path(data))  # type: ignore[call-arg]
        async with open_runtime(settings) as runtime:
            started = time.perf_counter()
            options = importer.ImportOptions()
            table, mapping = importer.open_table(path, options, settings.import_max_bytes)
            rows = leads = 0
            with table:
                parser = BatchParser(
                    RowParser.for_table(table, mapping, default_region="US"),
                    importer.COLUMN_LENGTHS,
                )
                async with importer.parsed_batches(runtime, table, parser) as batches:
                    async for parsed in batches:
                        rows += parsed.rows
                        leads += len(parsed.values)
            seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "leads": leads, "workers_mb": 0, "workers": 0}


def _worker_peaks_mb(pool: Any) -> list[float]:
    """Peak RSS of each parse worker process (they are the fork server's children, not ours)."""
    peaks = []
    for pid in getattr(pool, "_processes", None) or {}:
        status = Path(f"/proc/{pid}/status").read_text()
        kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
        peaks.append(int(kb) / 1024)
    return peaks


def _normalise(row: dict[str, str]) -> tuple[str | None, str | None] | None:
    import phonenumbers
    from email_validator import EmailNotValidError, validate_email

    email = phone = None
    raw_email, raw_phone = row.get("Email", "").strip(), row.get("Phone Number", "").strip()
    if raw_email:
        with contextlib.suppress(EmailNotValidError):
            email = validate_email(raw_email, check_deliverability=False).normalized.lower()
    if raw_phone:
        try:
            number = phonenumbers.parse(raw_phone, "US")
            if phonenumbers.is_valid_number(number):
                phone = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            pass
    return (email, phone) if email or phone else None


async def _floor(path: Path, url: str) -> dict[str, float]:
    import csv

    import asyncpg

    conn = await asyncpg.connect(url)
    await conn.execute(
        "CREATE TABLE floor_leads (id bigserial PRIMARY KEY, name text, email text, phone text,"
        " notes text)"
    )
    started = time.perf_counter()
    total = kept = 0
    with path.open(newline="", encoding="utf-8-sig") as source:
        batch: list[tuple[str, str | None, str | None, str]] = []
        for row in csv.DictReader(source):
            total += 1
            contact = _normalise(row)
            if contact is not None:
                name = f"{row.get('First Name', '')} {row.get('Last Name', '')}".strip()
                batch.append((name, *contact, row.get("Notes", "")))
            if len(batch) >= BATCH:
                kept += len(batch)
                await conn.copy_records_to_table(
                    "floor_leads", records=batch, columns=["name", "email", "phone", "notes"]
                )
                batch = []
        if batch:
            kept += len(batch)
            await conn.copy_records_to_table(
                "floor_leads", records=batch, columns=["name", "email", "phone", "notes"]
            )
    seconds = time.perf_counter() - started
    await conn.execute("DROP TABLE floor_leads")
    await conn.close()
    return {"rows": total, "seconds": seconds, "leads": kept}


def _child(kind: str, path: Path, url: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_import", "--child", kind, "--file", str(path)],
        env={**os.environ, "DATABASE_URL": url, "REDIS_URL": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--file", type=Path)
    parser.add_argument("--child", choices=["product", "floor", "dry_run", "parse"])
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or BENCH_URL
    if args.child:
        run = {"product": _product, "floor": _floor, "dry_run": _dry_run, "parse": _parse_only}[
            args.child
        ]
        result = asyncio.run(run(args.file, url))
        print(json.dumps({**result, "peak_mb": _peak_mb()}))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = args.file
        if path is None:
            from bench.leadgen import write

            path = write(Path(folder) / "leads.csv", args.rows)
        from app.core.db import recreate_database

        asyncio.run(recreate_database(url))
        floor = _child("floor", path, url)
        parse = _child("parse", path, url)
        dry_run = _child("dry_run", path, url)
        product = _child("product", path, url)
    size = path.stat().st_size / 1e6 if path.exists() else 0
    print(f"file: {floor['rows']:,.0f} rows{f', {size:.1f} MB' if size else ''}")
    for name, result in (("floor (csv + phone/email + COPY)", floor), ("product import", product)):
        print(
            f"{name:34} {result['rows'] / result['seconds']:9,.0f} rows/s  "
            f"{result['seconds']:6.1f} s  peak {result['peak_mb']:6.0f} MB  "
            f"leads {result['leads']:,.0f}"
        )
    if product["workers"]:
        print(
            f"{'  + its parse worker processes':34} {product['workers']:9.0f} workers"
            f"{'':12}peak {product['workers_mb']:6.0f} MB in all"
        )
    for name, result in (
        ("import's parse only (no writes)", parse),
        ("dry run (whole file)", dry_run),
    ):
        print(
            f"{name:34} {result['rows'] / result['seconds']:9,.0f} rows/s  "
            f"{result['seconds']:6.1f} s  peak {result['peak_mb']:6.0f} MB  "
            f"leads {result['leads']:,.0f}"
        )
    dry_ratio = dry_run["seconds"] / parse["seconds"]
    print(
        f"dry run / parse time: {dry_ratio:.2f}x (target <= 1.5x): "
        f"{'OK' if dry_ratio <= 1.5 else 'OVER TARGET'}; dry run would import "
        f"{dry_run['leads']:,.0f}, the import imported {product['leads']:,.0f}"
    )
    ratio = product["seconds"] / floor["seconds"]
    memory = product["peak_mb"] + product["workers_mb"]
    verdict = "OK" if ratio <= 1.5 and memory < 300 else "OVER TARGET"
    print(
        f"product / floor time: {ratio:.2f}x, product memory {memory:.0f} MB"
        f" (target <= 1.5x, < 300 MB): {verdict}"
    )


if __name__ == "__main__":
    main()
